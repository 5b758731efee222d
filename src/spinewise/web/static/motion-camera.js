// Spinewise camera coaching in the session player: MediaPipe Pose in the browser, the
// repetition counter, range bar and spoken cues, and the summary saved with the session log.
//
// Privacy: the camera stream is drawn and analysed in this page only. Nothing here sends a
// request except loading MediaPipe's own files from this app's /static/vendor/mediapipe-pose/
// (script, WebAssembly, model); the video, the frames and the keypoints are never uploaded.
// What leaves the phone is the summary (repetitions, angles, form flags) that rehab.js puts in
// the session log — the numbers a patient could have typed.
//
// The analysis is SpinewiseMotion.analyze (motion-core.js, the mirror of spinewise.motion) run
// on everything tracked so far, a few times a second: the live counter and the saved summary
// are the same computation. Pose results arrive at whatever rate the phone manages; they are
// put on a fixed 15 Hz time grid (the latest result of each 1/15 s slot, empty slots are
// dropped frames, which the analysis bridges when they are short).
(function (root) {
  "use strict";

  const VENDOR = "/static/vendor/mediapipe-pose/";
  const ANALYSIS_FPS = 15;
  const ANALYSE_EVERY_MS = 250;
  const NO_PERSON_CUE_S = 3;
  const MUTE_KEY = "spinewise.camera-muted";
  const CUES = {
    too_fast: "Slow down: take about two seconds down and two seconds back.",
    knees_past_toes: "Keep your knees over your feet: push your hips back.",
    hips_sagging: "Lift your hips a little higher, in line with your knees.",
  };
  // Lines of the skeleton drawn over the video (MediaPipe landmark indices).
  const BONES = [
    [11, 12], [11, 23], [12, 24], [23, 24], [11, 13], [13, 15], [12, 14], [14, 16],
    [23, 25], [25, 27], [24, 26], [26, 28], [27, 29], [29, 31], [27, 31], [28, 30], [30, 32], [28, 32],
    [0, 7], [0, 8],
  ];

  let poseLibrary = null;
  function loadPoseLibrary() {
    if (root.Pose) return Promise.resolve();
    if (!poseLibrary) {
      poseLibrary = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = VENDOR + "pose.js";
        script.onload = () => (root.Pose ? resolve() : reject(new Error("MediaPipe Pose did not load")));
        script.onerror = () => reject(new Error("MediaPipe Pose could not be loaded"));
        document.head.append(script);
      });
    }
    return poseLibrary;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const key of Object.keys(attrs || {})) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function muted() {
    try { return localStorage.getItem(MUTE_KEY) === "1"; } catch (e) { return false; }
  }

  function speak(text) {
    if (muted() || !root.speechSynthesis || !root.SpeechSynthesisUtterance) return;
    root.speechSynthesis.cancel();
    root.speechSynthesis.speak(new root.SpeechSynthesisUtterance(text));
  }

  // A finished camera run (or several, if the patient stopped and restarted) as the summary the
  // session log stores. Times of later runs continue after the earlier ones.
  function summarise(definition, runs) {
    const repetitions = [];
    const flags = [];
    let offset = 0;
    let framesWithPose = 0;
    for (const run of runs) {
      const before = repetitions.length;
      for (const r of run.result.repetitions) {
        repetitions.push({
          start_s: r.start_s + offset, end_s: r.end_s + offset, peak_deg: r.peak_deg,
          rom_deg: r.rom_deg, hold_s: r.hold_s,
        });
      }
      for (const f of run.result.form_flags) {
        flags.push({ t_s: f.t_s + offset, check: f.check, rep: f.rep + before });
      }
      framesWithPose += run.result.frames_with_pose;
      offset += run.trackedS;
    }
    const round = (x, k) => Math.round(x * k) / k;
    return {
      exercise: definition.name,
      angle: definition.angle,
      target_deg: definition.target_deg,
      reps: repetitions.length,
      repetitions: repetitions.map((r) => ({
        start_s: round(r.start_s, 1000), end_s: round(r.end_s, 1000), peak_deg: round(r.peak_deg, 10),
        rom_deg: round(Math.max(0, r.rom_deg), 10), hold_s: round(r.hold_s, 1000),
      })),
      form_flags: flags.map((f) => ({ t_s: round(f.t_s, 1000), check: f.check, rep: f.rep })),
      tracked_s: round(offset, 10),
      frames_with_pose: framesWithPose,
    };
  }

  function CameraCoach(section) {
    this.section = section;
    this.definition = JSON.parse(section.querySelector(".camera-definition").textContent);
    this.runs = [];
    this.facing = "user";
    this.running = false;
    this.build();
  }

  CameraCoach.prototype.build = function () {
    const s = this.section;
    this.startButton = s.querySelector(".camera-start");
    this.panel = el("div", { class: "camera-panel", hidden: "" });
    this.status = el("p", { class: "camera-status", role: "status", "aria-live": "polite" });
    const stage = el("div", { class: "camera-stage" });
    this.video = el("video", { playsinline: "", muted: "", autoplay: "", class: "camera-video" });
    this.video.muted = true;
    this.canvas = el("canvas", { class: "camera-canvas", width: "640", height: "480", "aria-label": "Camera view with the tracked skeleton" });
    stage.append(this.video, this.canvas);
    this.reps = el("p", { class: "big-number camera-reps", "aria-live": "polite" }, "0");
    const repsLabel = el("p", { class: "hint" }, "repetitions counted by the camera (an estimate)");
    const bar = el("div", { class: "range-bar", role: "meter", "aria-label": "Range of movement", "aria-valuemin": "0", "aria-valuemax": String(this.definition.target_deg) });
    this.barFill = el("div", { class: "range-fill" });
    const mark = el("div", { class: "range-mark", title: "counts from here (half the target)" });
    bar.append(this.barFill, mark);
    this.bar = bar;
    this.angleText = el("p", { class: "camera-angle hint" });
    this.cue = el("p", { class: "camera-cue", "aria-live": "assertive" });
    const buttons = el("div", { class: "actions camera-buttons" });
    this.muteButton = el("button", { type: "button", class: "secondary camera-mute" });
    this.flipButton = el("button", { type: "button", class: "secondary camera-flip" }, "Switch camera");
    this.stopButton = el("button", { type: "button", class: "camera-stop" }, "Stop camera");
    buttons.append(this.muteButton, this.flipButton, this.stopButton);
    this.summaryBox = el("div", { class: "camera-summary", hidden: "" });
    this.panel.append(stage, this.reps, repsLabel, bar, this.angleText, this.cue, buttons);
    s.append(this.status, this.panel, this.summaryBox);
    this.renderMute();

    this.startButton.addEventListener("click", () => this.start());
    this.stopButton.addEventListener("click", () => this.stop());
    this.flipButton.addEventListener("click", () => this.flip());
    this.muteButton.addEventListener("click", () => {
      try { localStorage.setItem(MUTE_KEY, muted() ? "0" : "1"); } catch (e) { /* private mode */ }
      if (muted() && root.speechSynthesis) root.speechSynthesis.cancel();
      this.renderMute();
    });
  };

  CameraCoach.prototype.renderMute = function () {
    this.muteButton.textContent = muted() ? "Voice off" : "Voice on";
    this.muteButton.setAttribute("aria-pressed", muted() ? "false" : "true");
  };

  CameraCoach.prototype.setState = function (state, message) {
    this.section.dataset.state = state;
    if (message !== undefined) this.status.textContent = message;
  };

  CameraCoach.prototype.start = async function () {
    if (this.running) return;
    this.startButton.disabled = true;
    this.summaryBox.hidden = true;
    this.setState("loading", "Starting the camera…");
    try {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error("no camera API");
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: this.facing, width: { ideal: 640 }, height: { ideal: 480 } },
      });
    } catch (e) {
      this.setState("error", "The camera is not available (" + (e.name || e.message) + "). You can count by hand with the buttons above.");
      this.startButton.disabled = false;
      return;
    }
    this.video.srcObject = this.stream;
    this.canvas.classList.toggle("mirrored", this.facing === "user");
    try {
      await this.video.play();
      this.setState("loading", "Loading the movement tracker on this phone…");
      await loadPoseLibrary();
      if (!this.pose) {
        this.pose = new root.Pose({ locateFile: (file) => VENDOR + file });
        // Lite model: fast enough on phones. MediaPipe's own landmark filter is off: it lags
        // behind the movement (a bend read late reads low), and motion-core.js cleans the
        // angle series itself (outliers, gaps, 0.2 s moving average).
        // The neural networks run on the CPU (WebAssembly, as MediaPipe does by default on
        // iOS): on a device without a fast GPU this is ~8x faster than WebGL (0.3 s against
        // 2.5 s per frame in headless Chromium), and on phones the lite model is fast either way.
        this.pose.setOptions({ useCpuInference: true, modelComplexity: 0, smoothLandmarks: false, enableSegmentation: false,
          minDetectionConfidence: 0.5, minTrackingConfidence: 0.5 });
        this.pose.onResults((results) => this.onResults(results));
        await this.pose.initialize();
      }
    } catch (e) {
      this.stopStream();
      this.setState("error", "The movement tracker could not start (" + e.message + "). You can count by hand.");
      this.startButton.disabled = false;
      return;
    }
    this.frames = [];
    this.latest = null;
    this.lastSeen = 0;
    this.lastAnalysis = 0;
    this.result = null;
    this.flagsSpoken = 0;
    this.repsSpoken = 0;
    this.t0 = performance.now();
    this.running = true;
    this.panel.hidden = false;
    this.startButton.hidden = true;
    this.setState("waiting", "Looking for you… stand side-on, whole body in view.");
    speak("Camera on. Stand side-on to the phone.");
    this.loop();
  };

  CameraCoach.prototype.loop = async function () {
    while (this.running) {
      const before = performance.now();
      if (this.video.readyState >= 2) {
        try {
          await this.pose.send({ image: this.video });
        } catch (e) {
          this.setState("error", "Tracking stopped (" + e.message + ").");
          this.stop();
          return;
        }
      }
      // Pose estimation blocks the page (and the GPU) while it runs. Leave a fifth of the time
      // idle, after the next animation frame, so the counter, the skeleton and the buttons stay
      // responsive on slow phones (at 30 ms per frame this still tracks at ~25 frames/s).
      const idle = Math.max(0, (performance.now() - before) * 0.25);
      await new Promise((resolve) => root.requestAnimationFrame(() => setTimeout(resolve, idle)));
    }
  };

  CameraCoach.prototype.onResults = function (results) {
    if (!this.running) return;
    const t = (performance.now() - this.t0) / 1000;
    this.processed = (this.processed || 0) + 1;
    this.section.dataset.frames = String(this.processed);
    const canvas = this.canvas;
    const ctx = canvas.getContext("2d");
    const w = results.image.width || canvas.width;
    const h = results.image.height || canvas.height;
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    ctx.drawImage(results.image, 0, 0, w, h);
    const landmarks = results.poseLandmarks;
    let frame = null;
    if (landmarks && landmarks.length === 33) {
      frame = landmarks.map((p) => [p.x * w, p.y * h, p.visibility === undefined ? 1 : p.visibility]);
      this.drawSkeleton(ctx, frame);
      this.lastSeen = t;
    }
    // The latest result of each 1/15 s slot; empty slots stay null (dropped frames).
    const slot = Math.floor(t * ANALYSIS_FPS);
    while (this.frames.length <= slot) this.frames.push(null);
    if (frame) this.frames[slot] = frame;

    const angle = frame ? root.SpinewiseMotion.frameAngleDeg(frame, this.definition.angle) : NaN;
    this.section.dataset.angle = Number.isNaN(angle) ? "" : angle.toFixed(1);
    if (!Number.isNaN(angle)) {
      this.setState("tracking", "Tracking: keep going at a steady pace.");
      this.showAngle(angle);
    } else if (t - this.lastSeen > NO_PERSON_CUE_S && this.section.dataset.state !== "waiting") {
      this.setState("waiting", "Can't see you: step back so your whole body is in view, side-on.");
    }
    if (performance.now() - this.lastAnalysis > ANALYSE_EVERY_MS) {
      this.lastAnalysis = performance.now();
      this.analyse();
    }
  };

  CameraCoach.prototype.drawSkeleton = function (ctx, frame) {
    ctx.lineWidth = Math.max(2, ctx.canvas.width / 160);
    ctx.strokeStyle = "#00e0a0";
    ctx.fillStyle = "#ffffff";
    for (const [a, b] of BONES) {
      const p = frame[a], q = frame[b];
      if (p[2] < 0.5 || q[2] < 0.5) continue;
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      ctx.lineTo(q[0], q[1]);
      ctx.stroke();
    }
    for (const p of frame) {
      if (p[2] < 0.5) continue;
      ctx.beginPath();
      ctx.arc(p[0], p[1], ctx.lineWidth * 1.2, 0, 2 * Math.PI);
      ctx.fill();
    }
  };

  CameraCoach.prototype.showAngle = function (angle) {
    const rest = this.result ? this.result.rest_deg : 0;
    const target = this.definition.target_deg;
    const fraction = Math.max(0, Math.min(1.2, (angle - rest) / target));
    this.barFill.style.width = Math.round((fraction / 1.2) * 100) + "%";
    const shown = Math.max(0, Math.round(angle - rest)); // rest is a percentile: may dip below
    this.bar.setAttribute("aria-valuenow", String(shown));
    this.angleText.textContent = "Now " + shown + "° of " + target + "° target" +
      (this.definition.angle_label ? " (" + this.definition.angle_label + ")" : "");
  };

  CameraCoach.prototype.analyse = function () {
    let result;
    try {
      result = root.SpinewiseMotion.analyze({ fps: ANALYSIS_FPS, frames: this.frames }, this.definition);
    } catch (e) {
      return; // nothing tracked yet
    }
    this.result = result;
    const before = this.runs.reduce((n, run) => n + run.result.reps, 0);
    this.reps.textContent = String(before + result.reps);
    this.section.dataset.reps = String(before + result.reps);
    if (result.reps > this.repsSpoken) {
      // The camera taps "+1 rep" for the patient (rehab.js listens on the step).
      const step = this.section.closest(".step");
      for (let k = this.repsSpoken; k < result.reps; k++) {
        if (step) step.dispatchEvent(new CustomEvent("spinewise:camera-rep", { bubbles: false }));
      }
      this.repsSpoken = result.reps;
      if (navigator.vibrate) navigator.vibrate(80);
      const last = result.repetitions[result.repetitions.length - 1];
      this.cue.textContent = "Repetition " + (before + result.reps) + ": range " + Math.round(last.rom_deg) + "°.";
      speak(String(before + result.reps));
    }
    if (result.form_flags.length > this.flagsSpoken) {
      const flag = result.form_flags[result.form_flags.length - 1];
      this.flagsSpoken = result.form_flags.length;
      this.cue.textContent = CUES[flag.check] || flag.check;
      speak(CUES[flag.check] || flag.check);
    }
  };

  CameraCoach.prototype.stopStream = function () {
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  };

  CameraCoach.prototype.stop = function () {
    if (!this.running) return;
    this.running = false;
    this.analyse();
    const trackedS = (performance.now() - this.t0) / 1000;
    if (this.result) this.runs.push({ result: this.result, trackedS: trackedS });
    this.stopStream();
    this.panel.hidden = true;
    this.startButton.hidden = false;
    this.startButton.disabled = false;
    this.startButton.textContent = "Count more with the camera";
    this.setState("stopped", "Camera off.");
    this.showSummary();
  };

  CameraCoach.prototype.flip = async function () {
    this.facing = this.facing === "user" ? "environment" : "user";
    if (!this.running) return;
    this.stop();
    await this.start();
  };

  CameraCoach.prototype.summary = function () {
    return this.runs.length ? summarise(this.definition, this.runs) : null;
  };

  CameraCoach.prototype.showSummary = function () {
    const summary = this.summary();
    const box = this.summaryBox;
    box.innerHTML = "";
    if (!summary) return;
    box.hidden = false;
    box.append(el("h3", {}, "Camera count: " + summary.reps + " repetition" + (summary.reps === 1 ? "" : "s")));
    if (summary.reps) {
      const ranges = summary.repetitions.map((r) => Math.round(r.rom_deg) + "°").join(", ");
      box.append(el("p", {}, "Range of each: " + ranges + " (target " + summary.target_deg + "°)."));
    }
    const flags = summary.form_flags.map((f) => "repetition " + f.rep + ": " + (CUES[f.check] || f.check));
    box.append(el("p", {}, flags.length ? "Tips: " + flags.join(" ") : "No form tips."));
    box.append(el("p", { class: "hint" }, "An estimate from the camera, saved with your session when you finish. The video was not saved."));
    this.section.dataset.summaryReps = String(summary.reps);
  };

  const coaches = new WeakMap();

  function mountAll(scope) {
    (scope || document).querySelectorAll(".camera-coach").forEach((section) => {
      if (!coaches.has(section)) coaches.set(section, new CameraCoach(section));
    });
  }

  // The summary of a step's camera coaching, or null (used by rehab.js when the session is saved).
  function summaryFor(step) {
    const section = step.querySelector(".camera-coach");
    const coach = section && coaches.get(section);
    if (!coach) return null;
    if (coach.running) coach.stop();
    return coach.summary();
  }

  root.SpinewiseCamera = { mountAll, summaryFor, summarise };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll(document));
  else mountAll(document);
})(window);
