// The assistant's chat: after an answer arrives, clear the box and bring the answer into view.
(() => {
  const form = document.getElementById("ask-form");
  const log = document.getElementById("chat-log");
  if (!form || !log) return;
  const scrollToLast = () => {
    const last = log.lastElementChild;
    if (last) last.scrollIntoView({ block: "start", behavior: "smooth" });
  };
  form.addEventListener("htmx:afterRequest", (event) => {
    if (!event.detail.successful) return;
    const text = document.getElementById("ask-text");
    if (text) { text.value = ""; text.focus(); }
    log.querySelector(".chat-empty")?.remove();
    scrollToLast();
  });
  // Enter sends, Shift+Enter makes a new line (as in most chat apps).
  document.getElementById("ask-text")?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  if (log.children.length > 1) scrollToLast();
})();
