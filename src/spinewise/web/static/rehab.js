// Spinewise remote physiotherapy in the browser: the guided session player and an offline
// queue for session logs. No inline script (CSP script-src 'self'); the page works without JS
// as a plain form, and this file turns it into a step-by-step player.
//
// Dropped connections: a finished session is written to localStorage first, then POSTed to
// the API with the client_id the server gave the form. It is removed from the queue only
// when the server answers 2xx (201 new, 200 already stored: the client_id makes a resend
// harmless) or refuses it for good (4xx). Otherwise it is retried when the browser comes back
// online, every 30 s while a Spinewise page is open, and on the next page load.
(function () {
  "use strict";

  const QUEUE_KEY = "spinewise.session-queue.v1";

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function readQueue() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function writeQueue(queue) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
  }

  function enqueue(entry) {
    const queue = readQueue().filter((e) => e.body.client_id !== entry.body.client_id);
    queue.push(entry);
    writeQueue(queue);
  }

  function remove(clientId) {
    writeQueue(readQueue().filter((e) => e.body.client_id !== clientId));
  }

  // Send one entry; resolves to "sent", "refused" (a 4xx: will never succeed) or "pending".
  async function send(entry) {
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify(entry.body),
      });
    } catch (e) {
      return { state: "pending" };
    }
    if (response.ok) {
      remove(entry.body.client_id);
      return { state: "sent", data: await response.json() };
    }
    if (response.status === 401 || response.status === 403) return { state: "pending", status: response.status };
    if (response.status >= 400 && response.status < 500) {
      remove(entry.body.client_id);
      let detail = "";
      try { detail = (await response.json()).detail; } catch (e) { /* not JSON */ }
      return { state: "refused", detail: typeof detail === "string" ? detail : "the server refused it" };
    }
    return { state: "pending", status: response.status };
  }

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const entry of readQueue()) await send(entry);
    } finally {
      flushing = false;
    }
  }

  window.addEventListener("online", flush);
  setInterval(() => { if (readQueue().length) flush(); }, 30000);

  function newClientId(fallback) {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return fallback + "-" + Date.now().toString(36);
  }

  // ---- the player --------------------------------------------------------------------------

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const key of Object.keys(attrs || {})) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m + ":" + String(s).padStart(2, "0");
  }

  function buzz() {
    if (navigator.vibrate) navigator.vibrate(200);
  }

  // A countdown that survives background tabs (it reads the clock, not tick counts).
  function countdown(seconds, onTick, onDone) {
    const end = Date.now() + seconds * 1000;
    let extra = 0; // time spent paused, in ms
    let paused = null;
    let remainingAtPause = 0;
    const timer = setInterval(() => {
      if (paused) return;
      const left = (end + extra - Date.now()) / 1000;
      onTick(left);
      if (left <= 0) {
        clearInterval(timer);
        buzz();
        onDone();
      }
    }, 200);
    onTick(seconds);
    return {
      stop() { clearInterval(timer); },
      pause() { if (!paused) { paused = Date.now(); remainingAtPause = (end + extra - paused) / 1000; } },
      resume() { if (paused) { extra += Date.now() - paused; paused = null; } },
      get paused() { return Boolean(paused); },
      get remaining() { return remainingAtPause; },
    };
  }

  function setupCoach(step) {
    const sets = Number(step.dataset.sets) || 1;
    const reps = Number(step.dataset.reps) || 0;
    const hold = Number(step.dataset.hold) || 0;
    const minutes = Number(step.dataset.minutes) || 0;
    const rest = Number(step.dataset.rest) || 0;
    const perSide = step.dataset.perSide === "true";
    const coach = step.querySelector(".coach");
    const setsInput = step.querySelector(".sets-done");
    coach.hidden = false;
    coach.innerHTML = "";
    const setLine = el("p", { class: "set-line" });
    const big = el("p", { class: "big-number", "aria-live": "polite" });
    const sub = el("p", { class: "hint coach-hint" });
    const buttons = el("div", { class: "actions coach-buttons" });
    coach.append(setLine, big, sub, buttons);

    let set = 1;
    let count = 0;
    let running = null;
    let onCameraRep = null;
    step.addEventListener("spinewise:camera-rep", () => { if (onCameraRep) onCameraRep(); });
    const repTarget = reps ? reps * (perSide ? 2 : 1) : 0;

    function setStatus(value) {
      const radio = step.querySelector('input[type=radio][name^="status-"][value="' + value + '"]');
      if (radio && !step.querySelector('input[name^="status-"]:checked')) radio.checked = true;
    }

    function button(label, handler, cls) {
      const b = el("button", { type: "button", class: cls || "" }, label);
      b.addEventListener("click", handler);
      buttons.append(b);
      return b;
    }

    function finishSet() {
      if (running) running.stop();
      running = null;
      setsInput.value = String(set);
      if (set >= sets) {
        render("finished");
        setStatus("done");
        const log = step.querySelector(".log");
        if (log) log.classList.add("highlight");
        return;
      }
      set += 1;
      count = 0;
      if (rest > 0) render("rest");
      else render("work");
    }

    function render(phase) {
      buttons.innerHTML = "";
      onCameraRep = null;
      setLine.textContent = "Set " + Math.min(set, sets) + " of " + sets;
      if (phase === "finished") {
        big.textContent = "✓";
        sub.textContent = "All sets done. Say how it went below, then go to the next exercise.";
        return;
      }
      if (phase === "rest") {
        sub.textContent = "Rest before set " + set + ".";
        running = countdown(rest, (left) => { big.textContent = clock(left); }, () => render("work"));
        button("Skip rest", () => { running.stop(); running = null; render("work"); }, "secondary");
        return;
      }
      if (minutes) {
        sub.textContent = "Keep going at a comfortable pace.";
        big.textContent = clock(minutes * 60);
        const start = button("Start " + minutes + " min", () => {
          start.remove();
          running = countdown(minutes * 60, (left) => { big.textContent = clock(left); }, finishSet);
          const pause = button("Pause", () => {
            if (running.paused) { running.resume(); pause.textContent = "Pause"; }
            else { running.pause(); pause.textContent = "Resume"; }
          }, "secondary");
          button("Done", finishSet, "secondary");
        });
        return;
      }
      if (repTarget) {
        big.textContent = count + " / " + repTarget;
        sub.textContent = (hold ? "Hold each for " + hold + " s. " : "") + (perSide ? "Count both sides." : "Tap after each repetition.");
        if (hold) {
          const start = button("Start hold (" + hold + " s)", () => {
            start.disabled = true;
            running = countdown(hold, (left) => { sub.textContent = "Hold… " + clock(left); }, () => {
              running = null;
              count += 1;
              if (count >= repTarget) finishSet(); else render("work");
            });
          }, "big");
        } else {
          const addRep = () => {
            count += 1;
            big.textContent = count + " / " + repTarget;
            if (count >= repTarget) finishSet();
          };
          button("+1 rep", addRep, "big");
          onCameraRep = addRep; // camera coaching (motion-camera.js) counts for the patient
        }
        button("Set done", finishSet, "secondary");
        return;
      }
      if (hold) {
        big.textContent = clock(hold);
        sub.textContent = "Hold the position" + (perSide ? " on each side" : "") + ".";
        const start = button("Start hold", () => {
          start.remove();
          running = countdown(hold, (left) => { big.textContent = clock(left); }, finishSet);
        }, "big");
        button("Set done", finishSet, "secondary");
      }
    }
    render("work");
  }

  // Camera coaching (motion-camera.js): the summary numbers only, never video or keypoints.
  function cameraSummary(form, id) {
    if (!window.SpinewiseCamera) return null;
    const step = form.querySelector('.step[data-exercise="' + id + '"]');
    return step ? window.SpinewiseCamera.summaryFor(step) : null;
  }

  function collect(form) {
    const data = new FormData(form);
    const exercises = data.getAll("exercise_ids").map((id) => {
      const pain = data.get("pain-" + id);
      const sets = data.get("sets-" + id);
      const entry = {
        exercise_id: id,
        status: data.get("status-" + id) || "skipped",
        pain_during: pain === null || pain === "" ? null : Number(pain),
        difficulty: data.get("difficulty-" + id) || null,
        sets_done: sets ? Number(sets) : null,
      };
      const camera = cameraSummary(form, id);
      if (camera) entry.camera = camera;
      return entry;
    });
    return {
      client_id: data.get("client_id"),
      programme_id: Number(form.dataset.programme) || null,
      duration_s: Math.round((Date.now() - form.startedAt) / 1000),
      exercises: exercises,
    };
  }

  function showStatus(form, html, kind) {
    const box = document.getElementById("save-status");
    box.className = "card " + (kind || "");
    box.innerHTML = html;
    box.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  function setupPlayer(form) {
    const steps = Array.from(form.querySelectorAll(".step"));
    if (!steps.length) return;
    form.classList.add("player");
    form.startedAt = Date.now();
    const clientField = form.querySelector('input[name="client_id"]');
    // A fresh id per page load: a reloaded player is a new session, a resend is not.
    clientField.value = newClientId(clientField.value);
    const counter = form.querySelector(".step-count");
    const finish = form.querySelector("button.finish");
    let index = 0;

    const nav = el("div", { class: "actions player-nav" });
    const back = el("button", { type: "button", class: "secondary" }, "Back");
    const next = el("button", { type: "button", class: "big" }, "Next exercise");
    nav.append(back, next);
    finish.parentNode.before(nav);

    function show(n) {
      index = Math.max(0, Math.min(n, steps.length - 1));
      steps.forEach((step, i) => { step.hidden = i !== index; });
      counter.textContent = "Exercise " + (index + 1) + " of " + steps.length;
      back.disabled = index === 0;
      next.hidden = index === steps.length - 1;
      finish.hidden = index !== steps.length - 1;
      const step = steps[index];
      if (!step.dataset.coached) {
        step.dataset.coached = "1";
        setupCoach(step);
      }
      // The next exercise starts at the top; without the glide for people who asked for less
      // motion (a tap made during the glide can land on the wrong control).
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      window.scrollTo({ top: 0, behavior: still ? "auto" : "smooth" });
    }
    back.addEventListener("click", () => show(index - 1));
    next.addEventListener("click", () => show(index + 1));

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      finish.disabled = true;
      const body = collect(form);
      const entry = { url: form.dataset.api, body: body, queued_at: new Date().toISOString() };
      enqueue(entry);
      const result = await send(entry);
      const back = '<p><a class="button" href="' + form.dataset.return + '">Back to today</a></p>';
      if (result.state === "sent") {
        const done = body.exercises.filter((e) => e.status !== "skipped").length;
        showStatus(form, "<h2>Session saved</h2><p>" + done + " of " + body.exercises.length +
          " exercises done. Well done for showing up for your back.</p>" + back, "saved");
        form.hidden = true;
      } else if (result.state === "refused") {
        showStatus(form, "<h2>Not saved</h2><p>" + result.detail + "</p>", "error");
        finish.disabled = false;
      } else {
        showStatus(form, "<h2>Saved on this phone</h2><p>There is no connection right now. " +
          "Your session is kept on this device and will be sent automatically when you are back online.</p>" + back, "pending");
        form.hidden = true;
      }
    });
    show(0);
  }

  function start() {
    flush();
    const form = document.getElementById("session-form");
    if (form) setupPlayer(form);
  }

  window.SpinewiseQueue = { enqueue, flush, readQueue, send };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
