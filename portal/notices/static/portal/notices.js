// Live progress of a mass notice being sent: polls the progress endpoint until it is finished.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !window.fetch) return;
  var url = box.dataset.progressUrl;
  var bar = box.querySelector("progress");
  var state = box.querySelector(".progress-state");

  function update(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    ["percent", "sent", "failed", "pending", "total"].forEach(function (name) {
      var field = box.querySelector("[data-field=" + name + "]");
      if (field) field.textContent = data[name];
    });
    if (data.finished) {
      state.dataset.finished = "true";
      state.textContent = state.dataset.doneText || state.textContent;
      refreshTable();
    }
    return data.finished;
  }

  // The per-recipient table, as the server now has it, swapped in without reloading the page.
  function refreshTable() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".deliveries tbody");
        var current = box.querySelector(".deliveries tbody");
        if (fresh && current) current.replaceWith(fresh);
      })
      .catch(function () {});
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && update(data)) return;
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
