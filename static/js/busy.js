// Forms marked data-busy show that the server is working once submitted (a long import can take
// a minute): the buttons are disabled, so nothing is sent twice, and a status line says what is
// happening, for screen readers too. No inline script: the CSP forbids it.
document.querySelectorAll("form[data-busy]").forEach((form) => {
  form.addEventListener("submit", () => {
    const status = document.getElementById(form.dataset.busy);
    if (status) {
      status.hidden = false;
    }
    window.setTimeout(() => {
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.disabled = true;
      });
    }, 0);
  });
});
