// The enroll page: its button says how many people are ticked, as they are ticked. Without this
// script the button still works; its count is the one the server drew.
const enrollForm = document.getElementById("enroll-form");
const tickedCount = enrollForm && enrollForm.querySelector("[data-ticked-count]");
if (tickedCount) {
  const update = () => {
    tickedCount.textContent = enrollForm.querySelectorAll('input[name="beneficiaries"]:checked').length;
  };
  enrollForm.addEventListener("change", update);
  update();
}
