// Spinewise exercise demonstrations: the stick figure drawn in SVG from keyframed joint angles.
//
// This file mirrors spinewise/rehab/figure.py line for line (forward_kinematics, place_on_floor,
// pose, ease, pose_at); docs/rehab.md states the conventions. tests/rehab/test_figure_js.py runs
// it under Node and checks that every exercise's joint positions equal `spinewise rehab pose`.
// Units: fractions of body height, degrees; figure axes x right, y UP (flipped when drawn).
(function (root) {
  "use strict";

  const SEGMENT_LENGTHS = {
    shank: 0.285, thigh: 0.245, lumbar: 0.144, thoracic: 0.144, neck: 0.117,
    upper_arm: 0.186, forearm: 0.146, foot: 0.11,
  };
  const HEAD_RADIUS = 0.065;
  const HIP_HALF_WIDTH = 0.191 / 2;
  const SHOULDER_HALF_WIDTH = 0.259 / 2;
  const CONTACT_RADIUS = {
    pelvis: 0.065, lumbar_top: 0.065, neck_base: 0.065, head: HEAD_RADIUS,
    hip_l: 0.065, hip_r: 0.065, shoulder_l: 0.065, shoulder_r: 0.065,
    knee_l: 0.03, knee_r: 0.03, elbow_l: 0.02, elbow_r: 0.02, wrist_l: 0.015, wrist_r: 0.015,
    ankle_l: 0.0, ankle_r: 0.0, toe_l: 0.0, toe_r: 0.0,
  };
  const ANGLE_NAMES = [
    "trunk", "spine", "neck", "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r",
    "shoulder_l", "shoulder_r", "elbow_l", "elbow_r",
  ];
  const POINT_NAMES = [
    "pelvis", "lumbar_top", "neck_base", "head", "hip_l", "hip_r", "knee_l", "knee_r",
    "ankle_l", "ankle_r", "toe_l", "toe_r", "shoulder_l", "shoulder_r", "elbow_l", "elbow_r",
    "wrist_l", "wrist_r",
  ];

  // Direction phi from straight up, clockwise positive: unit vector (sin phi, cos phi).
  function step(start, phiDeg, length) {
    const phi = (phiDeg * Math.PI) / 180;
    return [start[0] + length * Math.sin(phi), start[1] + length * Math.cos(phi)];
  }

  // figure.forward_kinematics: 2-D joint positions with the pelvis at the origin.
  function forwardKinematics(a, view) {
    for (const name of ANGLE_NAMES) {
      if (typeof a[name] !== "number") throw new Error("missing angle " + name);
    }
    const L = SEGMENT_LENGTHS;
    const frontal = view === "frontal";
    const pts = { pelvis: [0, 0] };
    pts.lumbar_top = step(pts.pelvis, a.trunk, L.lumbar);
    const phiThoracic = a.trunk + a.spine;
    pts.neck_base = step(pts.lumbar_top, phiThoracic, L.thoracic);
    pts.head = step(pts.neck_base, phiThoracic + a.neck, L.neck);
    for (const [side, sign] of [["l", 1], ["r", -1]]) {
      const mirror = frontal ? sign : 1;
      let hip, shoulder;
      if (frontal) {
        hip = step(pts.pelvis, a.trunk + 90 * sign, HIP_HALF_WIDTH);
        shoulder = step(pts.neck_base, phiThoracic + 90 * sign, SHOULDER_HALF_WIDTH);
      } else {
        hip = pts.pelvis;
        shoulder = pts.neck_base;
      }
      const phiThigh = a.trunk + 180 - mirror * a["hip_" + side];
      const knee = step(hip, phiThigh, L.thigh);
      const phiShank = phiThigh + mirror * a["knee_" + side];
      const ankle = step(knee, phiShank, L.shank);
      const toe = frontal ? ankle : step(ankle, phiShank - 90 - a["ankle_" + side], L.foot);
      const phiUpper = phiThoracic + 180 - mirror * a["shoulder_" + side];
      const elbow = step(shoulder, phiUpper, L.upper_arm);
      const wrist = step(elbow, phiUpper - mirror * a["elbow_" + side], L.forearm);
      pts["hip_" + side] = hip;
      pts["knee_" + side] = knee;
      pts["ankle_" + side] = ankle;
      pts["toe_" + side] = toe;
      pts["shoulder_" + side] = shoulder;
      pts["elbow_" + side] = elbow;
      pts["wrist_" + side] = wrist;
    }
    const out = {};
    for (const name of POINT_NAMES) out[name] = pts[name];
    return out;
  }

  // figure.lowest_y / place_on_floor: lowest body surface (y - contact radius) onto y = 0.
  function placeOnFloor(points) {
    let lowest = Infinity;
    for (const name of Object.keys(points)) {
      lowest = Math.min(lowest, points[name][1] - CONTACT_RADIUS[name]);
    }
    const out = {};
    for (const name of Object.keys(points)) out[name] = [points[name][0], points[name][1] - lowest];
    return out;
  }

  // figure.pose: what is drawn (on the floor with the anchor at x = 0, or anchor at the origin).
  function pose(angles, view, anchor, floor) {
    anchor = anchor || "pelvis";
    if (POINT_NAMES.indexOf(anchor) < 0) throw new Error("unknown anchor " + anchor);
    let points = forwardKinematics(angles, view || "sagittal");
    if (floor !== false) points = placeOnFloor(points);
    const ax = points[anchor][0];
    const dy = floor !== false ? 0 : -points[anchor][1];
    const out = {};
    for (const name of Object.keys(points)) out[name] = [points[name][0] - ax, points[name][1] + dy];
    return out;
  }

  // figure.ease: cosine (smooth start and stop) or linear.
  function ease(s, easing) {
    s = Math.min(Math.max(s, 0), 1);
    if (easing === "linear") return s;
    return (1 - Math.cos(Math.PI * s)) / 2;
  }

  // figure.pose_at: interpolated angles and the active cue; keyframes carry full angle sets.
  function poseAt(keyframes, t, loop, easing) {
    if (!keyframes || !keyframes.length) throw new Error("a demonstration needs keyframes");
    const duration = keyframes[keyframes.length - 1].t_s;
    if (loop !== false && duration > 0) t = ((t % duration) + duration) % duration; // Python %
    if (t <= keyframes[0].t_s) return { angles: Object.assign({}, keyframes[0].angles), cue: keyframes[0].cue };
    for (let k = 0; k + 1 < keyframes.length; k++) {
      const before = keyframes[k];
      const after = keyframes[k + 1];
      if (before.t_s <= t && t < after.t_s) {
        const e = ease((t - before.t_s) / (after.t_s - before.t_s), easing || "cosine");
        const angles = {};
        for (const name of ANGLE_NAMES) {
          angles[name] = before.angles[name] + (after.angles[name] - before.angles[name]) * e;
        }
        return { angles: angles, cue: before.cue };
      }
    }
    const last = keyframes[keyframes.length - 1];
    return { angles: Object.assign({}, last.angles), cue: last.cue };
  }

  // Points of a demonstration at time t (what `spinewise rehab pose ID --t T --json` prints).
  function demonstrationPoints(demo, t) {
    const state = poseAt(demo.keyframes, t, demo.loop, demo.easing);
    return { points: pose(state.angles, demo.view, demo.anchor, demo.floor), cue: state.cue, angles: state.angles };
  }

  // ---- drawing --------------------------------------------------------------------------------

  const SVG_NS = "http://www.w3.org/2000/svg";
  const LIMBS = [
    ["hip", "knee", "ankle", "toe"],
    ["shoulder", "elbow", "wrist"],
  ];

  function svgEl(name, attrs, parent) {
    const el = root.document.createElementNS(SVG_NS, name);
    for (const key of Object.keys(attrs || {})) el.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(el);
    return el;
  }

  // Bounds over the whole demonstration, so the view does not jump while the figure moves.
  function bounds(demo) {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    const samples = 24;
    const duration = demo.duration_s || demo.keyframes[demo.keyframes.length - 1].t_s;
    for (let n = 0; n <= samples; n++) {
      const pts = demonstrationPoints(demo, (duration * n) / samples).points;
      for (const name of Object.keys(pts)) {
        const r = name === "head" ? HEAD_RADIUS : 0.02;
        minX = Math.min(minX, pts[name][0] - r);
        maxX = Math.max(maxX, pts[name][0] + r);
        minY = Math.min(minY, pts[name][1] - r);
        maxY = Math.max(maxY, pts[name][1] + r);
      }
    }
    if (demo.floor) minY = Math.min(minY, 0);
    const pad = 0.08;
    return { minX: minX - pad, maxX: maxX + pad, minY: minY - pad, maxY: maxY + pad };
  }

  function polyline(points, names) {
    return names.map((n) => points[n][0].toFixed(4) + "," + (-points[n][1]).toFixed(4)).join(" ");
  }

  // Mount an animated demonstration in `container`; cue text goes to `cueEl` (aria-live).
  function mount(container, demo, cueEl) {
    const b = bounds(demo);
    const svg = svgEl("svg", {
      viewBox: [b.minX, -b.maxY, b.maxX - b.minX, b.maxY - b.minY].map((v) => v.toFixed(3)).join(" "),
      class: "figure",
      role: "img",
      "aria-label": "Animated demonstration",
    });
    container.appendChild(svg);
    if (demo.floor) {
      svgEl("line", { x1: b.minX, x2: b.maxX, y1: 0, y2: 0, class: "floor" }, svg);
    }
    if (demo.base_pose === "sitting") {
      const seat = demonstrationPoints(demo, 0).points;
      const hipY = seat.pelvis[1] - CONTACT_RADIUS.pelvis;
      svgEl("rect", { x: (seat.pelvis[0] - 0.12).toFixed(3), y: (-hipY).toFixed(3), width: 0.24, height: hipY.toFixed(3), class: "seat" }, svg);
    }
    const far = svgEl("g", { class: demo.view === "frontal" ? "limb" : "limb far" }, svg);
    const body = svgEl("g", { class: "limb" }, svg);
    const near = svgEl("g", { class: "limb" }, svg);
    const farLines = LIMBS.map(() => svgEl("polyline", {}, far));
    const nearLines = LIMBS.map(() => svgEl("polyline", {}, near));
    const trunk = svgEl("polyline", {}, body);
    const girdles = demo.view === "frontal" ? [svgEl("polyline", {}, body), svgEl("polyline", {}, body)] : [];
    const head = svgEl("circle", { r: HEAD_RADIUS, class: "head" }, body);
    let lastCue = null;

    function draw(t) {
      const state = demonstrationPoints(demo, t);
      const p = state.points;
      trunk.setAttribute("points", polyline(p, ["pelvis", "lumbar_top", "neck_base", "head"]));
      if (girdles.length) {
        girdles[0].setAttribute("points", polyline(p, ["hip_l", "pelvis", "hip_r"]));
        girdles[1].setAttribute("points", polyline(p, ["shoulder_l", "neck_base", "shoulder_r"]));
      }
      head.setAttribute("cx", p.head[0].toFixed(4));
      head.setAttribute("cy", (-p.head[1]).toFixed(4));
      LIMBS.forEach((limb, n) => {
        const visible = demo.view === "frontal" ? limb.filter((j) => j !== "toe") : limb;
        farLines[n].setAttribute("points", polyline(p, visible.map((j) => j + "_r")));
        nearLines[n].setAttribute("points", polyline(p, visible.map((j) => j + "_l")));
      });
      if (cueEl && state.cue !== lastCue) {
        cueEl.textContent = state.cue;
        lastCue = state.cue;
      }
    }

    const reduced = root.matchMedia && root.matchMedia("(prefers-reduced-motion: reduce)").matches;
    let playing = !reduced;
    let started = null;
    let offset = 0;
    function frame(now) {
      if (!playing) return;
      if (started === null) started = now;
      draw(offset + (now - started) / 1000);
      root.requestAnimationFrame(frame);
    }
    draw(0);
    if (playing) root.requestAnimationFrame(frame);
    return {
      svg: svg,
      draw: draw,
      get playing() { return playing; },
      toggle() {
        if (playing) {
          playing = false;
          offset += started === null ? 0 : (performance.now() - started) / 1000;
          started = null;
        } else {
          playing = true;
          root.requestAnimationFrame(frame);
        }
        return playing;
      },
    };
  }

  // Every <div data-demo-for="ID"> with a sibling JSON block gets its animation.
  function mountAll(scope) {
    (scope || root.document).querySelectorAll("[data-demonstration]").forEach((holder) => {
      if (holder.dataset.mounted) return;
      holder.dataset.mounted = "1";
      const data = root.document.getElementById(holder.dataset.demonstration);
      if (!data) return;
      const demo = JSON.parse(data.textContent);
      const cue = holder.querySelector(".cue");
      const stage = holder.querySelector(".stage");
      const player = mount(stage, demo, cue);
      const button = holder.querySelector("button.play");
      if (button) {
        button.textContent = player.playing ? "Pause" : "Play";
        button.addEventListener("click", () => {
          button.textContent = player.toggle() ? "Pause" : "Play";
        });
      }
      holder.figure = player;
    });
  }

  const api = {
    SEGMENT_LENGTHS, HEAD_RADIUS, CONTACT_RADIUS, ANGLE_NAMES, POINT_NAMES,
    forwardKinematics, placeOnFloor, pose, ease, poseAt, demonstrationPoints, mount, mountAll,
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.SpinewiseFigure = api;
    const start = () => mountAll(root.document);
    if (root.document.readyState === "loading") root.document.addEventListener("DOMContentLoaded", start);
    else start();
    root.document.addEventListener("htmx:afterSwap", (event) => mountAll(event.target));
  }
})(typeof window !== "undefined" ? window : globalThis);
