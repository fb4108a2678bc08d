// A page that follows a background job (data-job-status: the URL of its counters as JSON) moves its
// progress bar every second, and reloads itself once the job has moved on (checked, imported,
// ready, failed), so that it shows the outcome. Without JavaScript the page has a Refresh link.
document.querySelectorAll("[data-job-status]").forEach((section) => {
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const show = (selector, value) => {
    const element = section.querySelector(selector);
    if (element) {
      element.textContent = number.format(value);
    }
  };
  const poll = () => {
    fetch(section.dataset.jobStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((job) => {
        if (!job.running) {
          window.location.reload();
          return;
        }
        const bar = section.querySelector("[data-job-progress]");
        if (bar) {
          bar.max = Math.max(job.rows_total, 1);
          bar.value = job.rows_done;
          bar.textContent = `${job.percent} %`;
        }
        section.querySelectorAll("[data-job-waiting]").forEach((element) => {
          element.hidden = job.rows_total > 0;
        });
        section.querySelectorAll("[data-job-counting]").forEach((element) => {
          element.hidden = job.rows_total === 0;
        });
        show("[data-job-done]", job.rows_done);
        show("[data-job-total]", job.rows_total);
        const writing = section.querySelector("[data-job-writing]");
        if (writing) {
          writing.hidden = !(job.rows_total && job.rows_done >= job.rows_total);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  };
  window.setTimeout(poll, 1000);
});
