// After a refused form, move focus to the error summary so that screen readers read it first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("main .ds-error-summary");
  if (summary) {
    summary.focus();
  }
});
