// The phone as a posture sensor: DeviceMotion → 1-second batches → WebSocket /api/v1/stream.
// Units and axes follow DESIGN §4 (g, deg/s; y up the spine, z out of the back, x to the right).
// The phone is worn on the chest with its screen facing out, which is the sensor turned 180°
// about the vertical axis: x and z change sign. Batches wait in IndexedDB until acknowledged,
// so nothing is lost while offline; the server ignores a batch it already has (device, seq).
(() => {
  const root = document.getElementById("phone-sensor");
  if (!root) return;
  const G = 9.80665;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const $ = (id) => document.getElementById(id);
  const status = (text) => { $("sensor-status").textContent = text; };
  const KEY = `spinewise.phone.${root.dataset.patientId}`;
  let samples = [];
  let socket = null;
  let flushTimer = null;
  let sentSeconds = 0;
  let running = false;
  let db = null;

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("spinewise-phone", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("batches", { keyPath: "seq" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  function store(mode) { return db.transaction("batches", mode).objectStore("batches"); }
  function put(batch) { return new Promise((ok) => { const r = store("readwrite").put(batch); r.onsuccess = ok; r.onerror = ok; }); }
  function remove(seq) { return new Promise((ok) => { const r = store("readwrite").delete(seq); r.onsuccess = ok; r.onerror = ok; }); }
  function pending() { return new Promise((ok) => { const r = store("readonly").getAll(); r.onsuccess = () => ok(r.result || []); r.onerror = () => ok([]); }); }
  async function updateQueued() { $("sensor-queued").textContent = (await pending()).length; }

  async function device() {
    const saved = JSON.parse(localStorage.getItem(KEY) || "null");
    if (saved && saved.token) return saved;
    const answer = await fetch("/api/v1/devices", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      credentials: "same-origin",
      body: JSON.stringify({ name: "This phone", kind: "phone" }),
    });
    if (!answer.ok) throw new Error("could not register this phone (" + answer.status + ")");
    const created = await answer.json();
    const record = { id: created.id, token: created.token, seq: 0 };
    localStorage.setItem(KEY, JSON.stringify(record));
    return record;
  }
  function nextSeq(record) {
    const seq = record.seq;
    record.seq += 1;
    localStorage.setItem(KEY, JSON.stringify(record));
    return seq;
  }

  function onMotion(event) {
    const a = event.accelerationIncludingGravity;
    const r = event.rotationRate;
    if (!a || a.x === null) return;
    const t = (performance.timeOrigin + event.timeStamp) / 1000;
    if (samples.length && t <= samples[samples.length - 1][0]) return;
    samples.push([
      t,
      -(a.x || 0) / G, (a.y || 0) / G, -(a.z || 0) / G,
      -((r && r.beta) || 0), (r && r.gamma) || 0, -((r && r.alpha) || 0),
    ]);
  }

  function connect(record) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/stream`);
    socket.onopen = () => socket.send(JSON.stringify({ token: record.token }));
    socket.onmessage = async (message) => {
      const data = JSON.parse(message.data);
      if (data.ready) { status("Streaming"); await resend(); return; }
      if (data.error && data.seq === undefined) { status("Refused: " + data.error); return; }
      if (data.seq !== undefined && !data.error) {
        await remove(data.seq);
        if (!data.duplicate) sentSeconds += 1;
        $("sensor-sent").textContent = sentSeconds;
        updateQueued();
      }
    };
    socket.onclose = () => {
      if (!running) return;
      status("Offline — readings are kept on the phone");
      setTimeout(() => running && connect(record), 2000);
    };
  }
  async function resend() {
    for (const batch of (await pending()).sort((a, b) => a.seq - b.seq)) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(batch));
    }
  }

  async function flush(record) {
    if (!samples.length) return;
    const batch = { seq: nextSeq(record), samples };
    samples = [];
    await put(batch);
    updateQueued();
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(batch));
  }

  async function start() {
    try {
      if (typeof DeviceMotionEvent !== "undefined" && typeof DeviceMotionEvent.requestPermission === "function") {
        const answer = await DeviceMotionEvent.requestPermission();
        if (answer !== "granted") { status("Motion access was not allowed"); return; }
      }
      db = db || (await openDb());
      const record = await device();
      running = true;
      window.addEventListener("devicemotion", onMotion);
      connect(record);
      flushTimer = setInterval(() => flush(record), 1000);
      $("sensor-start").disabled = true;
      $("sensor-stop").disabled = false;
      $("sensor-calibrate").disabled = false;
      status("Connecting…");
    } catch (error) {
      status(String(error.message || error));
    }
  }
  function stop() {
    running = false;
    window.removeEventListener("devicemotion", onMotion);
    clearInterval(flushTimer);
    if (socket) socket.close();
    $("sensor-start").disabled = false;
    $("sensor-stop").disabled = true;
    status("Stopped");
  }
  $("sensor-start").addEventListener("click", start);
  $("sensor-stop").addEventListener("click", stop);
  $("sensor-calibrate").addEventListener("click", () => {
    status("Hold still and stand tall for five seconds…");
    setTimeout(() => running && status("Streaming (calibrated to your upright posture)"), 5000);
  });
})();
