// Spinewise camera coaching: the analysis of spinewise.motion (Python), mirrored for the browser.
//
// Keypoints (MediaPipe Pose, 33 landmarks) -> tracked angle -> cleaning (Hampel outliers, short
// gaps filled, 0.2 s moving average) -> repetitions by hysteresis -> form checks. Each function
// mirrors the Python function of the same name in src/spinewise/motion/{keypoints,angles,
// smoothing,reps,checks,analyze}.py; docs/motion.md states the method and its sources.
// tests/motion/js/motion-core.test.mjs (node --test, run by pytest) checks this file against the
// shared fixtures in tests/motion/fixtures and against the Python output of the same recordings.
//
// Pure: no DOM, no network. A recording is {fps, frames}, a frame null or 33 points
// [x, y, visibility] (a point may be null), image coordinates (x right, y down).
(function (root) {
  "use strict";

  const LANDMARKS = [
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
  ];
  const INDEX = Object.fromEntries(LANDMARKS.map((name, i) => [name, i]));
  const LAYOUT = "mediapipe-pose-33";
  const MIN_VISIBILITY = 0.5; // MediaPipe drawing utilities' default
  const MAD_TO_SD = 1.4826;
  const REST_PERCENTILE = 5;

  // Python's round(): halves go to the even neighbour (numpy and the builtin agree).
  function pyRound(x) {
    const f = Math.floor(x);
    const diff = x - f;
    if (diff > 0.5) return f + 1;
    if (diff < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  }

  function round(x, decimals) {
    const k = Math.pow(10, decimals);
    return Math.round(x * k) / k;
  }

  const isNum = (v) => !Number.isNaN(v);

  // ---- keypoints -----------------------------------------------------------------------------

  function visiblePoint(frame, k, minVisibility) {
    if (!frame) return [NaN, NaN];
    const p = frame[k];
    if (!p || !(p[2] >= minVisibility)) return [NaN, NaN];
    return [p[0], p[1]];
  }

  // (frames) positions of a landmark ("left_knee") or a bilateral joint ("knee": the midpoint
  // when both sides are visible, the visible side alone, NaN when neither is).
  function joint(recording, name, minVisibility) {
    const minVis = minVisibility === undefined ? MIN_VISIBILITY : minVisibility;
    const frames = recording.frames;
    if (name in INDEX) return frames.map((f) => visiblePoint(f, INDEX[name], minVis));
    const l = INDEX["left_" + name];
    const r = INDEX["right_" + name];
    return frames.map((f) => {
      const a = visiblePoint(f, l, minVis);
      const b = visiblePoint(f, r, minVis);
      const seenA = isNum(a[0]);
      const seenB = isNum(b[0]);
      if (seenA && seenB) return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      return seenA ? a : b;
    });
  }

  function framesWithPose(recording) {
    return recording.frames.filter((f) => f && f.some((p) => p && isNum(p[0]))).length;
  }

  // ---- angles (degrees; grow away from rest) -------------------------------------------------

  const DEG = 180 / Math.PI;

  function segmentAngleFromVerticalDeg(lower, upper) {
    return lower.map((lo, i) => Math.atan2(Math.abs(upper[i][0] - lo[0]), lo[1] - upper[i][1]) * DEG);
  }

  function segmentAngleAboveHorizontalDeg(start, end) {
    return start.map((s, i) => Math.atan2(s[1] - end[i][1], Math.abs(end[i][0] - s[0])) * DEG);
  }

  function jointAngleDeg(a, vertex, c) {
    return vertex.map((v, i) => {
      const ux = a[i][0] - v[0], uy = a[i][1] - v[1];
      const wx = c[i][0] - v[0], wy = c[i][1] - v[1];
      return Math.abs(Math.atan2(ux * wy - uy * wx, ux * wx + uy * wy)) * DEG;
    });
  }

  const ANGLES = {
    trunk_flexion: (rec) => segmentAngleFromVerticalDeg(joint(rec, "hip"), joint(rec, "shoulder")),
    hip_flexion: (rec) => jointAngleDeg(joint(rec, "shoulder"), joint(rec, "hip"), joint(rec, "knee")).map((v) => 180 - v),
    knee_flexion: (rec) => jointAngleDeg(joint(rec, "hip"), joint(rec, "knee"), joint(rec, "ankle")).map((v) => 180 - v),
    shoulder_flexion: (rec) => jointAngleDeg(joint(rec, "hip"), joint(rec, "shoulder"), joint(rec, "elbow")),
    bridge_lift: (rec) => segmentAngleAboveHorizontalDeg(joint(rec, "shoulder"), joint(rec, "hip")),
    hip_sag: hipSagDeg,
  };

  function hipSagDeg(rec) {
    const shoulder = joint(rec, "shoulder"), hip = joint(rec, "hip"), knee = joint(rec, "knee");
    const interior = jointAngleDeg(shoulder, hip, knee);
    return interior.map((angle, i) => {
      const bend = 180 - angle;
      const dx = knee[i][0] - shoulder[i][0];
      const t = (hip[i][0] - shoulder[i][0]) / dx;
      const lineY = shoulder[i][1] + t * (knee[i][1] - shoulder[i][1]);
      return hip[i][1] > lineY ? bend : -bend; // NaN compares false, as in numpy
    });
  }

  // ---- smoothing -----------------------------------------------------------------------------

  function halfWindow(seconds, fps) {
    return Math.max(1, pyRound((seconds * fps) / 2));
  }

  function nanMean(values) {
    let sum = 0, n = 0;
    for (const v of values) if (isNum(v)) { sum += v; n += 1; }
    return n ? sum / n : NaN;
  }

  function nanMedian(values) {
    const seen = values.filter(isNum).sort((a, b) => a - b);
    if (!seen.length) return NaN;
    const mid = seen.length >> 1;
    return seen.length % 2 ? seen[mid] : (seen[mid - 1] + seen[mid]) / 2;
  }

  function centred(values, fps, windowS, reduce) {
    const half = halfWindow(windowS, fps);
    return values.map((v, i) => {
      if (!isNum(v)) return NaN;
      return reduce(values.slice(Math.max(0, i - half), i + half + 1));
    });
  }

  function movingAverage(values, fps, windowS) {
    return centred(values, fps, windowS === undefined ? 0.2 : windowS, nanMean);
  }

  function movingMedian(values, fps, windowS) {
    return centred(values, fps, windowS === undefined ? 0.4 : windowS, nanMedian);
  }

  function hampel(values, fps, windowS, minOutlierDeg) {
    const w = windowS === undefined ? 0.5 : windowS;
    const minOutlier = minOutlierDeg === undefined ? 10 : minOutlierDeg;
    const half = halfWindow(w, fps);
    const median = movingMedian(values, fps, w);
    const residual = values.map((v, i) => v - median[i]);
    const spread = movingMedian(residual.map(Math.abs), fps, w).map((s) => MAD_TO_SD * s);
    return values.map((v, i) => {
      let count = 0;
      for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
        if (isNum(values[j])) count += 1;
      }
      const limit = Math.max(3 * spread[i], minOutlier); // NaN stays NaN, as np.maximum
      return count >= 3 && Math.abs(residual[i]) > limit ? NaN : v;
    });
  }

  function fillGaps(values, fps, maxGapS) {
    const out = values.slice();
    const maxGap = Math.floor((maxGapS === undefined ? 0.5 : maxGapS) * fps);
    let start = null;
    for (let i = 0; i <= out.length; i++) {
      const missing = i < out.length && !isNum(out[i]);
      if (missing && start === null) start = i;
      else if (!missing && start !== null) {
        const interior = start > 0 && i < out.length;
        if (interior && i - start <= maxGap) {
          const a = out[start - 1], b = out[i];
          for (let j = start; j < i; j++) out[j] = a + ((b - a) * (j - start + 1)) / (i - start + 1);
        }
        start = null;
      }
    }
    return out;
  }

  function cleanSeries(values, fps) {
    return movingAverage(fillGaps(hampel(values, fps), fps), fps);
  }

  // ---- repetitions ---------------------------------------------------------------------------

  // numpy.percentile's default (linear interpolation between order statistics).
  function percentile(values, q) {
    const s = values.slice().sort((a, b) => a - b);
    const pos = ((s.length - 1) * q) / 100;
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  function restAngleDeg(angle) {
    const seen = angle.filter(isNum);
    if (!seen.length) throw new Error("no frame shows the joints this exercise needs");
    return percentile(seen, REST_PERCENTILE);
  }

  function nanArg(values, from, to, better) {
    let best = -1;
    for (let i = from; i <= to; i++) {
      if (isNum(values[i]) && (best < 0 || better(values[i], values[best]))) best = i;
    }
    return best < 0 ? from : best;
  }

  function crossingTime(times, values, i, level) {
    const v0 = values[i], v1 = values[i + 1];
    if (!isNum(v0) || !isNum(v1) || v0 === v1) return !isNum(v0) ? times[i + 1] : times[i];
    const frac = Math.min(1, Math.max(0, (level - v0) / (v1 - v0)));
    return times[i] + frac * (times[i + 1] - times[i]);
  }

  function onsetIndex(e, lower, armed, edge) {
    for (let i = armed; i >= lower; i--) if (e[i] <= edge) return i;
    return nanArg(e, lower, armed, (a, b) => a < b);
  }

  function offsetIndex(e, released, upper, edge) {
    for (let i = released; i <= upper; i++) if (e[i] <= edge) return i;
    return nanArg(e, released, upper, (a, b) => a < b);
  }

  function boundaryTime(times, e, i, edge, rising) {
    const j = rising ? i : i - 1;
    if (j >= 0 && j < e.length - 1 && isNum(e[j]) && isNum(e[j + 1])) {
      const lo = Math.min(e[j], e[j + 1]), hi = Math.max(e[j], e[j + 1]);
      if (lo <= edge && edge <= hi) return crossingTime(times, e, j, edge);
    }
    return times[i];
  }

  function holdSpan(angle, peakI, band) {
    const limit = angle[peakI] - band;
    let lo = peakI;
    while (lo > 0 && isNum(angle[lo - 1]) && angle[lo - 1] >= limit) lo -= 1;
    let hi = peakI;
    while (hi < angle.length - 1 && isNum(angle[hi + 1]) && angle[hi + 1] >= limit) hi += 1;
    return [lo, hi];
  }

  function detectRepetitions(angle, fps, targetDeg, options) {
    const o = options || {};
    const countFraction = o.count_fraction === undefined ? 0.5 : o.count_fraction;
    const returnFraction = o.return_fraction === undefined ? 0.25 : o.return_fraction;
    const boundaryFraction = o.boundary_fraction === undefined ? 0.1 : o.boundary_fraction;
    if (!(targetDeg > 0)) throw new Error("target_deg must be positive");
    const rest = o.rest_deg === undefined ? restAngleDeg(angle) : o.rest_deg;
    const e = angle.map((a) => a - rest);
    const times = angle.map((_, i) => i / fps);
    const high = countFraction * targetDeg;
    const low = returnFraction * targetDeg;
    const edge = boundaryFraction * targetDeg;
    const band = o.hold_band_deg === undefined ? Math.max(2, 0.05 * targetDeg) : o.hold_band_deg;
    const plateau = movingMedian(angle, fps, o.hold_smoothing_s === undefined ? 0.4 : o.hold_smoothing_s);

    const cycles = [];
    let armedAt = null;
    e.forEach((value, i) => {
      if (!isNum(value)) return;
      if (armedAt === null && value >= high) armedAt = i;
      else if (armedAt !== null && value <= low) { cycles.push([armedAt, i]); armedAt = null; }
    });

    const reps = [];
    let previousEnd = 0;
    cycles.forEach(([armed, released], k) => {
      const nextArmed = k + 1 < cycles.length ? cycles[k + 1][0] : angle.length - 1;
      const startI = onsetIndex(e, previousEnd, armed, edge);
      const endI = offsetIndex(e, released, nextArmed, edge);
      const startS = boundaryTime(times, e, startI, edge, true);
      const endS = boundaryTime(times, e, endI, edge, false);
      const peakI = nanArg(e, startI, endI, (a, b) => a > b);
      const peak = angle[peakI];
      const topI = nanArg(plateau, startI, endI, (a, b) => a > b);
      const [holdFrom, holdTo] = holdSpan(plateau, topI, band);
      reps.push({
        start_s: startS,
        end_s: endS,
        peak_s: times[peakI],
        peak_deg: peak,
        rom_deg: peak - rest,
        duration_s: endS - startS,
        up_s: Math.max(0, times[holdFrom] - startS),
        hold_s: times[holdTo] - times[holdFrom],
        down_s: Math.max(0, endS - times[holdTo]),
      });
      previousEnd = endI;
    });
    return reps;
  }

  // ---- form checks ---------------------------------------------------------------------------

  function smooth(values, fps) {
    return movingAverage(fillGaps(values, fps), fps);
  }

  function peakFrame(rec, rep) {
    return Math.min(rec.frames.length - 1, pyRound(rep.peak_s * rec.fps));
  }

  const CHECKS = {
    too_fast: (rec, rep, params) => (rep.duration_s < params.min_duration_s ? rep.start_s : null),
    knees_past_toes: (rec, rep, params) => {
      const knee = joint(rec, "knee"), ankle = joint(rec, "ankle");
      const toe = joint(rec, "foot_index"), heel = joint(rec, "heel");
      const heelToToe = toe.map((t, i) => t[0] - heel[i][0]).filter(isNum);
      const facing = heelToToe.length ? Math.sign(nanMedian(heelToToe)) : 0;
      if (facing === 0) return null; // feet not seen: the check cannot be made
      const excess = smooth(knee.map((k, i) => {
        const shank = Math.hypot(k[0] - ankle[i][0], k[1] - ankle[i][1]);
        return (facing * (k[0] - toe[i][0])) / shank;
      }), rec.fps);
      const atBottom = excess[peakFrame(rec, rep)];
      if (!isNum(atBottom)) return null;
      return atBottom > params.tolerance_shank ? rep.peak_s : null;
    },
    hips_sagging: (rec, rep, params) => {
      const sag = smooth(hipSagDeg(rec), rec.fps);
      const atTop = sag[peakFrame(rec, rep)];
      if (!isNum(atTop)) return null;
      return atTop > params.max_sag_deg ? rep.peak_s : null;
    },
  };

  function runChecks(exercise, rec, reps) {
    const flags = [];
    reps.forEach((rep, n) => {
      for (const check of exercise.checks || []) {
        const t = CHECKS[check.check](rec, rep, check);
        if (t !== null) flags.push({ t_s: t, check: check.check, rep: n + 1 });
      }
    });
    return flags.sort((a, b) => a.t_s - b.t_s || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
  }

  // ---- one recording, one exercise -----------------------------------------------------------

  // exercise: an entry of src/spinewise/motion/exercises.json plus its name
  // ({name, angle, target_deg, count_fraction, return_fraction, boundary_fraction, checks}).
  function analyze(recording, exercise) {
    const raw = ANGLES[exercise.angle](recording);
    const angle = cleanSeries(raw, recording.fps);
    const rest = restAngleDeg(angle);
    const reps = detectRepetitions(angle, recording.fps, exercise.target_deg, {
      rest_deg: rest,
      count_fraction: exercise.count_fraction,
      return_fraction: exercise.return_fraction,
      boundary_fraction: exercise.boundary_fraction,
    });
    const flags = runChecks(exercise, recording, reps);
    return {
      reps: reps.length,
      repetitions: reps.map((r) => ({
        start_s: round(r.start_s, 3), end_s: round(r.end_s, 3), peak_deg: round(r.peak_deg, 2),
        peak_s: round(r.peak_s, 3), rom_deg: round(r.rom_deg, 2), duration_s: round(r.duration_s, 3),
        up_s: round(r.up_s, 3), hold_s: round(r.hold_s, 3), down_s: round(r.down_s, 3),
      })),
      form_flags: flags.map((f) => ({ t_s: round(f.t_s, 3), check: f.check, rep: f.rep })),
      exercise: exercise.name,
      angle: exercise.angle,
      target_deg: exercise.target_deg,
      rest_deg: round(rest, 2),
      frames: recording.frames.length,
      frames_with_pose: framesWithPose(recording),
      angle_deg: angle, // the cleaned tracked angle (not part of the CLI's JSON)
    };
  }

  // The tracked angle of a single frame (for the live read-out), NaN if its joints are unseen.
  function frameAngleDeg(frame, angleName) {
    return ANGLES[angleName]({ fps: 1, frames: [frame] })[0];
  }

  const api = {
    LANDMARKS, INDEX, LAYOUT, MIN_VISIBILITY, pyRound, joint, framesWithPose, ANGLES,
    segmentAngleFromVerticalDeg, segmentAngleAboveHorizontalDeg, jointAngleDeg, hipSagDeg,
    movingAverage, movingMedian, hampel, fillGaps, cleanSeries, percentile, restAngleDeg,
    detectRepetitions, CHECKS, runChecks, analyze, frameAngleDeg,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.SpinewiseMotion = api;
})(typeof window !== "undefined" ? window : globalThis);
