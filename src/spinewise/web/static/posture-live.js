// Live posture view: angle gauge and alerts from the server-sent event stream.
// Feedback (vibration, tone) only when the server says it may be delivered (quiet hours, snooze).
(() => {
  const root = document.getElementById("posture-live");
  if (!root) return;
  const patientId = root.dataset.patientId;
  const isSelf = root.dataset.self === "true";
  const angleEl = document.getElementById("live-angle");
  const zoneEl = document.getElementById("live-zone");
  const updatedEl = document.getElementById("live-updated");
  const needle = document.getElementById("gauge-needle");
  const banner = document.getElementById("live-alert");
  const bannerText = document.getElementById("live-alert-text");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const zoneNames = { neutral: "upright", flexed: "bent forward", severe: "strongly bent" };
  let currentAlert = null;
  let audio = null;

  function tone() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 660;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.4);
    } catch (e) { /* audio not available */ }
  }

  function showAngle(data) {
    if (data.flexion_deg === null || data.flexion_deg === undefined) return;
    const angle = Math.round(data.flexion_deg);
    angleEl.textContent = angle;
    const clamped = Math.max(-10, Math.min(100, data.flexion_deg));
    needle.setAttribute("transform", `rotate(${-90 + clamped * 1.8})`);
    zoneEl.textContent = zoneNames[data.zone] || data.zone;
    zoneEl.dataset.zone = data.zone;
    updatedEl.textContent = "Live · updated " + new Date(data.t * 1000).toLocaleTimeString();
  }

  function showAlert(data) {
    currentAlert = data;
    bannerText.textContent = data.message;
    banner.hidden = false;
    banner.dataset.level = data.level;
    if (isSelf && data.deliver) {
      if (navigator.vibrate) navigator.vibrate(data.level > 1 ? [300, 120, 300, 120, 300] : [250, 100, 250]);
      tone();
    }
  }

  async function respond(response) {
    if (!currentAlert) return;
    await fetch(`/api/v1/patients/${patientId}/posture/alerts/${currentAlert.id}/response`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ response }),
      credentials: "same-origin",
    });
    banner.hidden = true;
    currentAlert = null;
  }
  document.getElementById("alert-dismiss")?.addEventListener("click", () => respond("dismissed"));
  document.getElementById("alert-corrected")?.addEventListener("click", () => respond("corrected"));

  const source = new EventSource(`/api/v1/patients/${patientId}/posture/live`);
  source.addEventListener("angle", (e) => showAngle(JSON.parse(e.data)));
  source.addEventListener("alert", (e) => showAlert(JSON.parse(e.data)));
  source.onerror = () => { updatedEl.textContent = "Reconnecting…"; };
})();
