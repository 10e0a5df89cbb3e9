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
      .then(function (response) {
        if (response.status === 404) { return { status: "none" }; }  // not (or no longer) here
        return response.ok ? response.json() : null;
      })
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

// A single report's PDF: poll its render and offer (then start) the download when it is
// ready; show the reason when it failed. Without JavaScript the Refresh link does the same.
(function () {
  "use strict";
  var box = document.getElementById("pdf-job");
  if (!box) { return; }
  if (box.getAttribute("data-status") !== "pending") { return; }
  var url = box.getAttribute("data-status-url");

  function show(selector, visible) { box.querySelector(selector).hidden = !visible; }

  function update() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 404) { return { status: "none" }; }  // not (or no longer) here
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (!job) { window.setTimeout(update, 5000); return; }
        if (job.status === "done") {
          show(".pdf-pending", false);
          show(".pdf-refresh", false);
          show(".pdf-download", true);
          window.location.assign(box.getAttribute("data-download-url"));
          return;
        }
        if (job.status === "none") {  // the render was lost (a restart): ask again
          window.location.reload();
          return;
        }
        if (job.status === "failed") {
          var failed = box.querySelector(".pdf-failed");
          failed.textContent = job.message;
          show(".pdf-pending", false);
          show(".pdf-refresh", false);
          failed.hidden = false;
          return;
        }
        window.setTimeout(update, 1000);
      })
      .catch(function () { window.setTimeout(update, 5000); });
  }
  window.setTimeout(update, 700);
})();
