// Search as you type on the directory page. Without this script the form submits as usual.
(function () {
  "use strict";
  var form = document.querySelector("form.directory-search");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var results = document.getElementById("directory-results");
  var original = results.innerHTML;
  var timer = null;
  var latest = 0;

  function show(query) {
    var ticket = ++latest;
    if (!query.trim()) {
      results.innerHTML = original;
      history.replaceState(null, "", form.action);
      return;
    }
    var url = form.dataset.resultsUrl + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || ticket !== latest) return;
        results.innerHTML = html;
        history.replaceState(null, "", form.action + "?q=" + encodeURIComponent(query));
      })
      .catch(function () { /* the form still submits normally */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 150);
  });
})();
