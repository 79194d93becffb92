// Suggestions for picker fields (input[data-lookup]): as the person types, the bounded JSON
// lookup fills a <datalist>, so the browser offers matching keys; without JavaScript the key
// is simply typed. Keyboard use is the browser's own.
(function () {
  "use strict";
  function attach(input, index) {
    var list = document.createElement("datalist");
    list.id = "lookup-options-" + index;
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (!query || query === last) { return; }
      timer = setTimeout(function () {
        last = query;
        var url = input.dataset.lookup + "?q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.label = item.label;
              option.textContent = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.querySelectorAll("input[data-lookup]").forEach(attach);
})();
