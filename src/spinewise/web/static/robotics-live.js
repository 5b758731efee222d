// Live robotic session (simulated device): samples arrive over the authenticated WebSocket at
// about 50 Hz; the trunk figure, the assistance gauge and the strip chart follow them. The stop
// button posts to the API, which presses the safety monitor's stop input.
(() => {
  const root = document.getElementById("robot-live");
  if (!root) return;
  const patientId = root.dataset.patientId;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const $ = (id) => document.getElementById(id);
  const CAUSES = {
    stop_button: "stop button", emergency_stop: "emergency stop", sensor_dropout: "sensor dropout",
    sensor_nan: "sensor reported an invalid value", sensor_stuck: "sensor stuck",
    comm_loss: "lost command stream (watchdog)", runaway: "runaway controller output",
    angle_limit: "angle limit reached", velocity_limit: "velocity limit reached",
  };
  const ACTIONS = { compliant_hold: "compliant hold", torque_off: "torque off and brake" };
  const WINDOW_S = 10;
  let sessionId = root.dataset.sessionId ? Number(root.dataset.sessionId) : null;
  let planned = 0;
  let limits = null;
  let buffer = [];
  let drawPending = false;
  let socket = null;
  let retry = 0;

  const R = 100; // trunk length in the SVG
  function tip(angleDeg, length) {
    const a = (angleDeg * Math.PI) / 180; // flexion tilts the trunk forward (to the right)
    return [length * Math.sin(a), -length * Math.cos(a)];
  }
  function setLine(id, angleDeg, length) {
    const [x, y] = tip(angleDeg, length);
    const el = $(id);
    el.setAttribute("x2", x.toFixed(1));
    el.setAttribute("y2", y.toFixed(1));
  }
  function drawLimits(lim) {
    if (!lim) return;
    const [lo, hi] = lim;
    setLine("trunk-limit-lo", lo, 118);
    setLine("trunk-limit-hi", hi, 118);
    const [x1, y1] = tip(lo, 118);
    const [x2, y2] = tip(hi, 118);
    const large = hi - lo > 180 ? 1 : 0;
    $("trunk-allowed").setAttribute(
      "d", `M0 0 L${x1.toFixed(1)} ${y1.toFixed(1)} A118 118 0 ${large} 1 ${x2.toFixed(1)} ${y2.toFixed(1)} Z`);
  }

  function showSession(info) {
    sessionId = info.id;
    planned = info.planned_repetitions;
    limits = info.limits ? info.limits.angle_deg : null;
    root.dataset.sessionId = String(info.id);
    $("live-title").textContent = `${info.protocol_name} · simulated patient: ${info.simulated_patient}`;
    $("live-duration").textContent = Math.round(info.planned_duration_s);
    $("live-torque-limit").textContent = info.limits ? info.limits.torque_nm : "—";
    $("stop-form").action = `/patients/${patientId}/robotics/sessions/${info.id}/stop`;
    $("stop-row").hidden = false;
    $("stop-button").disabled = false;
    $("stop-button").textContent = "STOP";
    $("live-ended").hidden = true;
    const start = document.getElementById("live-start");
    if (start) start.hidden = true;
    buffer = [];
    drawLimits(limits);
  }

  function showSample(s) {
    if (!limits) { limits = s.limits_deg; drawLimits(limits); }
    $("live-angle").textContent = s.angle_deg.toFixed(1);
    $("live-target").textContent = s.mode === "run" ? s.target_deg.toFixed(1) : "— (stopped)";
    $("live-time").textContent = s.t_s.toFixed(1);
    $("live-torque").textContent = s.motor_torque_nm.toFixed(1);
    $("live-torque-limit").textContent = s.torque_limit_nm;
    $("live-velocity").textContent = s.velocity_deg_s.toFixed(1);
    $("live-rep").textContent = s.repetition >= 0 ? `${s.repetition + 1} of ${planned || "?"}` : "between repetitions";
    $("assist-value").textContent = s.assistance.toFixed(2);
    $("assist-bar").setAttribute("width", (200 * Math.max(0, Math.min(1, s.assistance))).toFixed(1));
    const mode = $("live-mode");
    mode.dataset.mode = s.mode;
    if (s.mode === "run") {
      mode.textContent = "Running";
    } else {
      const cause = CAUSES[s.stop_reason] || s.stop_reason || "stop";
      mode.textContent = `SAFE STATE — ${ACTIONS[s.mode] || s.mode} (${cause})`;
      $("stop-button").disabled = true;
      $("stop-button").textContent = "STOPPED";
    }
    setLine("trunk-body", s.angle_deg, R);
    const [hx, hy] = tip(s.angle_deg, R + 12);
    $("trunk-head").setAttribute("cx", hx.toFixed(1));
    $("trunk-head").setAttribute("cy", hy.toFixed(1));
    // Once the monitor has taken over, the protocol's target no longer applies.
    $("trunk-target").style.visibility = s.mode === "run" ? "visible" : "hidden";
    setLine("trunk-target", s.target_deg, R);
    buffer.push([s.t_s, s.angle_deg, s.mode === "run" ? s.target_deg : null, s.mode !== "run"]);
    while (buffer.length && buffer[0][0] < s.t_s - WINDOW_S) buffer.shift();
    if (!drawPending) { drawPending = true; requestAnimationFrame(drawStrip); }
  }

  function drawStrip() {
    drawPending = false;
    const canvas = $("strip");
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio); }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!buffer.length || !limits) return;
    const left = 44, right = 8, top = 8, bottom = 22;
    const tEnd = Math.max(WINDOW_S, buffer[buffer.length - 1][0]);
    const tStart = tEnd - WINDOW_S;
    const yMin = limits[0] - 5, yMax = limits[1] + 5;
    const x = (t) => left + ((t - tStart) / WINDOW_S) * (w - left - right);
    const y = (a) => top + ((yMax - a) / (yMax - yMin)) * (h - top - bottom);
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = "#4a5a66";
    for (const a of [limits[0], 0, limits[1]]) ctx.fillText(`${a}°`, 4, y(a) + 4);
    ctx.textAlign = "center";
    for (let t = Math.ceil(tStart); t <= tEnd; t += 1) {
      if (t % 2 === 0 && x(t) < w - 14) ctx.fillText(`${t} s`, x(t), h - 6);
    }
    ctx.textAlign = "start";
    ctx.fillStyle = "#f8dcdc"; // safe state
    for (let i = 1; i < buffer.length; i++) {
      if (buffer[i][3]) ctx.fillRect(x(buffer[i - 1][0]), top, x(buffer[i][0]) - x(buffer[i - 1][0]) + 0.5, h - top - bottom);
    }
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#a1191b";
    ctx.setLineDash([6, 4]);
    for (const a of limits) { ctx.beginPath(); ctx.moveTo(left, y(a)); ctx.lineTo(w - right, y(a)); ctx.stroke(); }
    const series = (index, colour, dash, width) => {
      ctx.strokeStyle = colour; ctx.setLineDash(dash); ctx.lineWidth = width; ctx.beginPath();
      let drawing = false;
      for (const p of buffer) {
        if (p[index] === null) { drawing = false; continue; }
        if (drawing) ctx.lineTo(x(p[0]), y(p[index])); else ctx.moveTo(x(p[0]), y(p[index]));
        drawing = true;
      }
      ctx.stroke();
    };
    series(2, "#8a5300", [6, 4], 2);
    series(1, "#0f5e6b", [], 2.5);
    ctx.setLineDash([]);
  }

  function showEnded(info) {
    $("stop-button").disabled = true;
    $("stop-row").hidden = true;
    const box = $("live-ended");
    box.hidden = false;
    box.dataset.status = info.status;
    let text;
    if (info.stop_cause) {
      const cause = CAUSES[info.stop_cause] || info.stop_cause;
      const action = ACTIONS[info.stop_action] || info.stop_action;
      text = `Session ended: the device reached its safe state (${action}). Cause: ${cause} at ${Number(info.stop_t_s).toFixed(2)} s.`;
      if (info.stop_requested_by_name) text += ` Stop pressed by ${info.stop_requested_by_name}.`;
    } else if (info.status === "completed") {
      text = `Session completed: ${info.completed_repetitions} of ${info.planned_repetitions} repetitions, no safety event.`;
    } else {
      text = `Session ended (${info.status}). ${info.note || ""}`;
    }
    $("live-ended-text").textContent = text;
    $("live-record").href = info.url;
    const start = document.getElementById("live-start");
    if (start) start.hidden = false;
  }

  async function stop(event) {
    event.preventDefault();
    if (!sessionId) return;
    const button = $("stop-button");
    button.disabled = true;
    button.textContent = "STOPPING…";
    try {
      const answer = await fetch(`/api/v1/patients/${patientId}/robotics/sessions/${sessionId}/stop`, {
        method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin",
      });
      if (!answer.ok && answer.status !== 409) throw new Error(String(answer.status));
    } catch (e) {
      $("stop-form").submit(); // fall back to the plain form
    }
  }
  $("stop-form").addEventListener("submit", stop);

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/patients/${patientId}/robotics/live`);
    socket.onopen = () => { retry = 0; $("live-connection").textContent = "Live"; };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "hello") {
        if (data.session) { showSession(data.session); if (data.last) showSample(data.last); }
        else if (!sessionId) $("live-mode").textContent = "Idle";
      } else if (data.type === "started") {
        showSession(data.session);
      } else if (data.type === "sample") {
        if (data.session_id !== sessionId) return;
        showSample(data);
      } else if (data.type === "ended") {
        if (data.session.id === sessionId) showEnded(data.session);
      } else if (data.type === "error") {
        $("live-connection").textContent = data.error;
      }
    };
    socket.onclose = (event) => {
      if ([4401, 4403, 4404].includes(event.code)) {
        $("live-connection").textContent = event.code === 4401 ? "Please sign in again." : "Not allowed to watch this session.";
        return;
      }
      $("live-connection").textContent = "Reconnecting…";
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 500 * retry);
    };
  }
  connect();
})();
