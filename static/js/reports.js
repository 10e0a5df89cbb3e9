// Bulk report progress: poll the job's JSON and update the page; the page works without it
// (a Refresh link), so this only saves the reader a click.
(function () {
  "use strict";
  var box = document.getElementById("bulk-job");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var status = box.getAttribute("data-status");
  if (status !== "queued" && status !== "running") { return; }

  function update() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        var bar = box.querySelector(".bulk-progress");
        bar.max = job.total || 1;
        bar.value = job.done;
        box.querySelector(".bulk-count").textContent = job.done + " / " + job.total;
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
          return;
        }
        window.setTimeout(update, 2000);
      })
      .catch(function () { window.setTimeout(update, 5000); });
  }
  window.setTimeout(update, 1500);
})();
