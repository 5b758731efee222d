// Send the session's CSRF token with every HTMX request (the server refuses unsafe requests without it).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) event.detail.headers["X-CSRF-Token"] = meta.content;
});
// Show server-side error fragments (4xx) in the target instead of silently dropping them.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status >= 400 && status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
