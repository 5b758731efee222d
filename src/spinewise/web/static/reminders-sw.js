// Service worker for reminder notifications (Web Push). The payload names only the kind of
// reminder; the tag makes a re-sent notification replace the earlier one instead of stacking.
self.addEventListener("push", (event) => {
  let data = { title: "Spinewise", body: "You have a reminder", tag: "reminder", url: "/reminders" };
  try { data = { ...data, ...event.data.json() }; } catch (_) { /* keep the defaults */ }
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: data.body,
      tag: data.tag,
      renotify: true,
      requireInteraction: true,
      data: { url: data.url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/reminders";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url.includes("/reminders") && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
