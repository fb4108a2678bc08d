// A form sent back with errors: its summary takes the focus, so that a screen reader reads it and
// a keyboard starts from it; each of its links moves the focus to the field it names (a plain
// anchor would only scroll). No inline script: the CSP forbids it.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  errorSummary.focus();
  errorSummary.querySelectorAll("a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
    });
  });
}
