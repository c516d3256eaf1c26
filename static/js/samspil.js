// After a refused form, move focus to the error summary so that screen readers read it first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("main .ds-error-summary");
  if (summary) {
    summary.focus();
  }
});

// A table wider than its wrapper scrolls there: keyboard users need to reach the wrapper to
// scroll it, and screen readers to hear what it holds (named after the table's caption).
(() => {
  const mark = (wrap) => {
    const scrolls = wrap.scrollWidth > wrap.clientWidth;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      const caption = wrap.querySelector("caption");
      if (caption && !wrap.hasAttribute("aria-label")) {
        wrap.setAttribute("aria-label", caption.textContent.trim());
      }
      wrap.dataset.scrolls = "";
    } else if (!scrolls && "scrolls" in wrap.dataset) {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      delete wrap.dataset.scrolls;
    }
  };
  const markAll = () => document.querySelectorAll(".table-wrap").forEach(mark);
  document.addEventListener("DOMContentLoaded", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
  window.addEventListener("resize", markAll);
})();

// When an htmx swap removes the focused element (a row's Save or Edit, an add form), focus
// would fall back to the page's top; keep it in the swapped part instead: its autofocus
// field, else its first field or control.
document.addEventListener("htmx:afterSettle", (event) => {
  const active = document.activeElement;
  if (active && active !== document.body) return;
  const swapped = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : event.detail.target;
  if (!swapped || !swapped.isConnected) return;
  const next =
    swapped.querySelector("[autofocus]") ||
    swapped.querySelector("[aria-invalid='true']") ||
    swapped.querySelector("input:not([type='hidden']), select, textarea, button, a[href]");
  if (next) next.focus();
});
