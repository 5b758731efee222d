// Reminders page: live reminders over server-sent events, Web Push sign-up, calendar link copy.
(() => {
  const root = document.getElementById("reminders-live");
  if (!root) return;
  const patientId = root.dataset.patient;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const status = document.getElementById("live-status");

  // A delivered reminder arrives as an SSE event; the due cards are re-rendered by the server
  // (HTMX listens for "reminder-arrived" on the body), so the card matches what is stored.
  const source = new EventSource(`/api/v1/patients/${patientId}/reminders/live`);
  source.addEventListener("open", () => { status.textContent = "Live: new reminders appear here."; });
  source.addEventListener("reminder", (event) => {
    const data = JSON.parse(event.data);
    status.textContent = `New reminder: ${data.title}`;
    document.body.dispatchEvent(new CustomEvent("reminder-arrived", { detail: data }));
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  });
  source.onerror = () => { status.textContent = "Reconnecting…"; };

  function urlBase64ToUint8Array(base64) {
    const padding = "=".repeat((4 - (base64.length % 4)) % 4);
    const raw = atob((base64 + padding).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from([...raw].map((c) => c.charCodeAt(0)));
  }

  const pushButton = document.getElementById("push-enable");
  const pushStatus = document.getElementById("push-status");
  if (pushButton) {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      pushButton.disabled = true;
      pushStatus.textContent = "This browser cannot receive notifications.";
    }
    pushButton.addEventListener("click", async () => {
      try {
        const permission = await Notification.requestPermission();
        if (permission !== "granted") {
          pushStatus.textContent = "Notifications are blocked in this browser's settings.";
          return;
        }
        const registration = await navigator.serviceWorker.register("/reminders-sw.js", { scope: "/" });
        const keyAnswer = await fetch("/api/v1/reminders/push/public-key", { credentials: "same-origin" });
        const { public_key: key } = await keyAnswer.json();
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: urlBase64ToUint8Array(key),
        });
        const answer = await fetch(`/api/v1/patients/${patientId}/reminders/push-subscriptions`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify(subscription.toJSON()),
        });
        pushStatus.textContent = answer.ok ? "Notifications are on for this device." : "Could not save the subscription.";
      } catch (error) {
        pushStatus.textContent = `Could not turn on notifications (${error.message}).`;
      }
    });
  }

  document.getElementById("feed-copy")?.addEventListener("click", async () => {
    const input = document.getElementById("feed-url");
    input.select();
    try { await navigator.clipboard.writeText(input.value); } catch (_) { /* selected for manual copy */ }
  });
})();
