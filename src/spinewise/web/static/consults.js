// Spinewise video consultation: WebRTC media flows peer to peer between the two browsers;
// only signalling (offer, answer, ICE candidates) goes through the app's WebSocket, which the
// server opens to the appointment's two participants only, around the appointment's time.
// The clinician's browser makes the offer and the patient's answers, so offers never collide.
(() => {
  "use strict";
  const root = document.getElementById("call");
  if (!root || !document.getElementById("remote-video")) return;

  const role = root.dataset.role;
  const other = root.dataset.other || "the other person";
  const $ = (id) => document.getElementById(id);
  const el = {
    status: $("call-status"), problem: $("call-problem"), media: $("media-problem"),
    remote: $("remote-video"),
    local: $("local-video"), placeholder: $("remote-placeholder"), quality: $("quality"),
    mic: $("btn-mic"), cam: $("btn-cam"), screen: $("btn-screen"), retry: $("btn-retry"),
    leave: $("btn-leave"),
  };
  // No media path after this long: tell the person clearly (tests may shorten it).
  const CONNECT_TIMEOUT_MS = Number(window.spinewiseConnectTimeoutMs) || 25000;
  const STATS_INTERVAL_MS = 2000;
  const CLOSE_MESSAGES = {
    4401: "Your session has ended. Sign in again to join the call.",
    4404: "This call is not available to you.",
    4409: "The video room is not open now.",
    4410: "You joined this call from another window or device, so this one was closed.",
    4411: "The consultation time is over and the video room has closed.",
  };

  // Shared state (window.spinewiseCall is read by the browser tests and handy in devtools).
  const call = {
    role, ws: null, pc: null, stream: null, cameraTrack: null, screenTrack: null,
    videoSender: null, iceServers: [], pending: [], remoteStream: null, remoteFrames: 0,
    connected: false, offerStartedAt: 0, timer: null, statsTimer: null, last: null,
    quality: "none", leaving: false,
  };
  window.spinewiseCall = call;
  let queue = Promise.resolve();

  function setStatus(text) { if (el.status) el.status.textContent = text; }
  function showProblem(text, canRetry = true) {
    el.problem.textContent = text;
    el.problem.hidden = false;
    el.retry.hidden = !canRetry;
  }
  function clearProblem() { el.problem.hidden = true; el.problem.textContent = ""; el.retry.hidden = true; }
  // Camera and microphone trouble has its own message: the call can go on without them.
  function showMediaProblem(text, canRetry) {
    el.media.textContent = text;
    el.media.hidden = false;
    if (canRetry) el.retry.hidden = false;
  }

  // --- camera and microphone ----------------------------------------------------------------

  async function startMedia() {
    el.media.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showMediaProblem("This browser cannot use a camera on this page. Use a recent Chrome, " +
        "Edge, Firefox or Safari, over a secure (https) connection.", false);
      return new MediaStream();
    }
    const wanted = [{ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: true },
      { video: false, audio: true }, { video: true, audio: false }];
    let lastError = null;
    for (const constraints of wanted) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        if (constraints !== wanted[0]) {
          showMediaProblem(constraints.video ? "No microphone was found: " + other +
            " will not hear you." : "No camera is available: " + other +
            " will hear but not see you.", false);
        }
        return stream;
      } catch (error) {
        lastError = error;
        if (error.name === "NotAllowedError" || error.name === "SecurityError") break;
      }
    }
    const name = lastError ? lastError.name : "";
    if (name === "NotAllowedError" || name === "SecurityError") {
      showMediaProblem("Camera and microphone are blocked. Allow them for this site (the " +
        "camera icon in the address bar), then press Try again. Meanwhile you can still see " +
        "and hear " + other + ".", true);
    } else if (name === "NotReadableError") {
      showMediaProblem("Your camera or microphone is busy in another app. Close that app, " +
        "then press Try again.", true);
    } else {
      showMediaProblem("No camera or microphone was found. You can still see and hear " +
        other + ".", false);
    }
    return new MediaStream();
  }

  function track(kind) { return call.stream ? call.stream.getTracks().find((t) => t.kind === kind) || null : null; }

  function updateControls() {
    const audio = track("audio");
    const video = call.cameraTrack;
    el.mic.disabled = !audio;
    el.cam.disabled = !video;
    el.mic.setAttribute("aria-pressed", String(!!audio && !audio.enabled));
    el.mic.textContent = audio && !audio.enabled ? "Unmute" : "Mute";
    el.cam.setAttribute("aria-pressed", String(!!video && !video.enabled));
    el.cam.textContent = video && !video.enabled ? "Camera on" : "Camera off";
    el.screen.setAttribute("aria-pressed", String(!!call.screenTrack));
    el.screen.textContent = call.screenTrack ? "Stop sharing" : "Share screen";
    el.screen.hidden = !(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
    el.local.hidden = !call.cameraTrack && !call.screenTrack;
  }

  // --- the peer connection ------------------------------------------------------------------

  function closePeer() {
    clearTimeout(call.timer);
    clearInterval(call.statsTimer);
    if (call.pc) { call.pc.onicecandidate = call.pc.ontrack = call.pc.onconnectionstatechange = null; call.pc.close(); }
    call.pc = null; call.videoSender = null; call.pending = []; call.connected = false; call.last = null;
    call.remoteStream = new MediaStream();
    el.remote.srcObject = call.remoteStream;
    el.placeholder.hidden = false;
    el.placeholder.textContent = "Waiting for " + other + " to join…";
    setQuality("none", "waiting");
  }

  function newPeer() {
    closePeer();
    const pc = new RTCPeerConnection({ iceServers: call.iceServers });
    call.pc = pc;
    pc.onicecandidate = (event) => send("candidate", event.candidate ? event.candidate.toJSON() : null);
    pc.ontrack = (event) => {
      call.remoteStream.addTrack(event.track);
      el.remote.srcObject = call.remoteStream;
      el.remote.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => onConnectionState(pc);
    call.timer = setTimeout(() => {
      if (call.pc === pc && !call.connected) failed("timeout");
    }, CONNECT_TIMEOUT_MS);
    return pc;
  }

  function onConnectionState(pc) {
    if (call.pc !== pc) return;
    const state = pc.connectionState;
    if (state === "connected") {
      call.connected = true;
      clearTimeout(call.timer);
      clearProblem();
      el.placeholder.hidden = true;
      setStatus("Connected with " + other + ".");
      clearInterval(call.statsTimer);
      call.statsTimer = setInterval(() => measure(pc), STATS_INTERVAL_MS);
    } else if (state === "disconnected") {
      setStatus("The connection is interrupted; trying to recover…");
      setQuality("poor", "interrupted");
    } else if (state === "failed") {
      failed("ice");
    }
  }

  function failed(reason) {
    clearInterval(call.statsTimer);
    setQuality("poor", "no connection");
    setStatus("Not connected.");
    el.placeholder.textContent = "No video connection";
    showProblem((reason === "timeout" ? "The video could not connect within " +
      CONNECT_TIMEOUT_MS / 1000 + " seconds. " : "The video connection between you and " + other +
      " failed. ") + "A firewall may be blocking direct connections (your clinic can set up a " +
      "relay server). Press Try again, or ask to continue by phone.");
  }

  function attachLocal(pc) {
    // One audio and one video sender always exist, even without a camera, so the other side
    // still receives and a track can be put in later (screen sharing) without renegotiating.
    for (const kind of ["audio", "video"]) {
      const local = kind === "video" ? call.cameraTrack : track("audio");
      let transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === kind && !t.stopped);
      if (transceiver) {
        transceiver.direction = "sendrecv";
        transceiver.sender.replaceTrack(local);
      } else {
        transceiver = pc.addTransceiver(local || kind, { direction: "sendrecv", streams: [call.stream] });
      }
      if (kind === "video") {
        call.videoSender = transceiver.sender;
        if (call.screenTrack) transceiver.sender.replaceTrack(call.screenTrack);
      }
    }
  }

  async function makeOffer() {
    // Several "the patient is here" signals can arrive together; one fresh offer is enough.
    if (call.pc && !call.connected && Date.now() - call.offerStartedAt < 3000) return;
    call.offerStartedAt = Date.now();
    const pc = newPeer();
    attachLocal(pc);
    setStatus("Calling " + other + "…");
    await pc.setLocalDescription(await pc.createOffer());
    send("offer", { type: pc.localDescription.type, sdp: pc.localDescription.sdp });
  }

  async function acceptOffer(description) {
    const pc = newPeer();
    await pc.setRemoteDescription(description);
    attachLocal(pc);
    await pc.setLocalDescription(await pc.createAnswer());
    send("answer", { type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    setStatus("Connecting with " + other + "…");
    await flushCandidates(pc);
  }

  async function flushCandidates(pc) {
    const waiting = call.pending.splice(0);
    for (const candidate of waiting) await pc.addIceCandidate(candidate).catch(() => {});
  }

  // --- connection quality (RTCPeerConnection.getStats) --------------------------------------

  function setQuality(level, text) {
    call.quality = level;
    el.quality.dataset.level = level;
    el.quality.textContent = "Connection: " + text;
  }

  // Rules of thumb for a video consultation. Delay: ITU-T G.114 (2003) keeps one-way mouth-to-
  // ear delay under 150 ms for interactive speech and calls over 400 ms unacceptable, so a
  // round trip under 300 ms is good and over 800 ms poor. Loss: video with more than ~2% of
  // packets lost shows visible artefacts and above ~8% freezes (no formal standard; the
  // thresholds most WebRTC dashboards use). Frame rate under 10/s looks jerky.
  function classify(rttMs, lossPct, fps) {
    if (rttMs > 800 || lossPct > 8 || (fps !== null && fps < 5)) return "poor";
    if (rttMs > 300 || lossPct > 2 || (fps !== null && fps < 10)) return "fair";
    return "good";
  }

  async function measure(pc) {
    if (call.pc !== pc) return;
    const report = await pc.getStats();
    let rttMs = 0; let video = null;
    report.forEach((s) => {
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded" && s.currentRoundTripTime !== undefined) {
        rttMs = s.currentRoundTripTime * 1000;
      }
      if (s.type === "inbound-rtp" && s.kind === "video") video = s;
    });
    let lossPct = 0; let fps = null;
    if (video) {
      const last = call.last;
      if (last) {
        const lost = (video.packetsLost || 0) - last.lost;
        const received = (video.packetsReceived || 0) - last.received;
        lossPct = lost + received > 0 ? (100 * Math.max(lost, 0)) / (lost + received) : 0;
        const seconds = (video.timestamp - last.timestamp) / 1000;
        fps = seconds > 0 ? ((video.framesDecoded || 0) - last.frames) / seconds : null;
      }
      call.last = { lost: video.packetsLost || 0, received: video.packetsReceived || 0,
        frames: video.framesDecoded || 0, timestamp: video.timestamp };
      call.framesDecoded = video.framesDecoded || 0;
    }
    const level = classify(rttMs, lossPct, call.remoteVideoExpected() ? fps : null);
    const words = { good: "good", fair: "fair", poor: "poor" }[level];
    setQuality(level, `${words} (${Math.round(rttMs)} ms, ${lossPct.toFixed(1)}% loss)`);
  }
  call.remoteVideoExpected = () => call.remoteStream && call.remoteStream.getVideoTracks().some((t) => !t.muted);

  // Count frames actually painted in the remote video (what a person sees).
  function countFrames() {
    const video = el.remote;
    if (!("requestVideoFrameCallback" in HTMLVideoElement.prototype)) {
      video.addEventListener("timeupdate", () => { call.remoteFrames += 1; video.dataset.frames = call.remoteFrames; });
      return;
    }
    const onFrame = () => {
      call.remoteFrames += 1;
      video.dataset.frames = String(call.remoteFrames);
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  // --- signalling ---------------------------------------------------------------------------

  function send(type, data) {
    if (call.ws && call.ws.readyState === WebSocket.OPEN) call.ws.send(JSON.stringify({ type, data }));
  }

  async function handle(message) {
    switch (message.type) {
      case "welcome":
        call.iceServers = message.ice_servers || [];
        setStatus("Waiting for " + other + " to join…");
        break;
      case "join":
      case "here":
        if (role === "clinician") await makeOffer();
        else if (message.type === "join") send("here", null);
        break;
      case "offer":
        if (role === "patient") await acceptOffer(message.data);
        break;
      case "answer":
        if (role === "clinician" && call.pc && call.pc.signalingState === "have-local-offer") {
          await call.pc.setRemoteDescription(message.data);
          setStatus("Connecting with " + other + "…");
          await flushCandidates(call.pc);
        }
        break;
      case "candidate":
        if (!message.data) break;
        if (call.pc && call.pc.remoteDescription) await call.pc.addIceCandidate(message.data).catch(() => {});
        else call.pending.push(message.data);
        break;
      case "leave":
      case "bye":
        closePeer();
        setStatus(other + " left the call. Waiting for them to come back…");
        break;
      case "error":
        if (message.code !== "bad_message") showProblem(message.reason, message.code === "not_open");
        break;
      default:
        break;
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + root.dataset.socket);
    call.ws = ws;
    ws.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      queue = queue.then(() => handle(message)).catch((error) => console.error("call:", error));
    };
    ws.onclose = (event) => {
      if (call.ws !== ws || call.leaving) return;
      closePeer();
      const known = CLOSE_MESSAGES[event.code];
      const final = event.code === 4404 || event.code === 4411;
      showProblem(known || "The connection to Spinewise was lost. Check your internet " +
        "connection, then press Try again.", !final);
      setStatus("Not connected.");
    };
  }

  async function retry() {
    clearProblem();
    if (call.ws) { const old = call.ws; call.ws = null; old.close(); }
    if (!call.stream || call.stream.getTracks().length === 0) await prepareMedia();
    closePeer();
    setStatus("Reconnecting…");
    connect();
  }

  async function prepareMedia() {
    call.stream = await startMedia();
    call.cameraTrack = track("video");
    el.local.srcObject = call.stream;
    updateControls();
  }

  // --- controls -----------------------------------------------------------------------------

  el.mic.addEventListener("click", () => {
    const audio = track("audio");
    if (audio) audio.enabled = !audio.enabled;
    updateControls();
  });
  el.cam.addEventListener("click", () => {
    if (call.cameraTrack) call.cameraTrack.enabled = !call.cameraTrack.enabled;
    updateControls();
  });
  el.screen.addEventListener("click", async () => {
    if (call.screenTrack) { await stopSharing(); return; }
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      call.screenTrack = display.getVideoTracks()[0];
      call.screenTrack.onended = stopSharing;
      if (call.videoSender) await call.videoSender.replaceTrack(call.screenTrack);
      el.local.srcObject = display;
      el.local.classList.add("screen");
    } catch (error) {
      if (error.name !== "NotAllowedError") showProblem("Screen sharing did not start: " + error.message, false);
    }
    updateControls();
  });
  async function stopSharing() {
    if (!call.screenTrack) return;
    call.screenTrack.onended = null;
    call.screenTrack.stop();
    call.screenTrack = null;
    if (call.videoSender) await call.videoSender.replaceTrack(call.cameraTrack);
    el.local.srcObject = call.stream;
    el.local.classList.remove("screen");
    updateControls();
  }
  el.retry.addEventListener("click", retry);
  function hangUp() {
    call.leaving = true;
    send("bye", null);
    closePeer();
    if (call.ws) call.ws.close();
    if (call.stream) call.stream.getTracks().forEach((t) => t.stop());
    if (call.screenTrack) call.screenTrack.stop();
  }
  el.leave.addEventListener("click", hangUp);
  window.addEventListener("pagehide", hangUp);

  // --- start --------------------------------------------------------------------------------

  (async () => {
    call.remoteStream = new MediaStream();
    el.remote.srcObject = call.remoteStream;
    countFrames();
    await prepareMedia();
    setStatus("Joining the room…");
    connect();
  })();
})();
