// The proposal editor saves each section on its own (htmx). When a save cannot reach the
// server, the section says so and keeps the text; leaving the page with unsaved text asks first.
(() => {
  const unsaved = new Set();

  document.addEventListener("input", (event) => {
    const form = event.target.closest(".section-form");
    if (form) unsaved.add(form);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest(".section-form");
    if (!form) return;
    if (event.detail.successful) {
      unsaved.delete(form);
    } else if (event.detail.xhr.status !== 422) {
      const status = form.querySelector(".section-status");
      if (status) {
        const message = document.createElement("p");
        message.className = "ds-validation-message";
        message.dataset.color = "danger";
        message.textContent = form.dataset.failed;
        status.replaceChildren(message);
      }
    }
  });

  window.addEventListener("beforeunload", (event) => {
    if (unsaved.size) event.preventDefault();
  });
})();
