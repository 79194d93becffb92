// @mention completion for the forum's text areas: type @ and two characters, then pick a
// pseudonym (Tab to the list, Enter or click). Pseudonyms only come back from the server.
(function () {
  "use strict";
  // Letters of any script: pseudonyms are Chinese (JavaScript's \w is ASCII only, even with /u).
  var pattern = /(^|\s)@([\p{L}\p{N}_\-]{2,40})$/u;

  function attach(area) {
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    var pending = null;

    function close() { list.hidden = true; list.textContent = ""; delete list.dataset.key; }

    function insert(name) {
      var caret = area.selectionStart;
      var before = area.value.slice(0, caret).replace(pattern, "$1@" + name + " ");
      area.value = before + area.value.slice(caret);
      area.focus();
      area.setSelectionRange(before.length, before.length);
      close();
    }

    area.addEventListener("input", function () {
      var match = area.value.slice(0, area.selectionStart).match(pattern);
      if (!match) { close(); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(area.dataset.mentions + "?q=" + encodeURIComponent(match[2]), {
        credentials: "same-origin", signal: pending.signal
      }).then(function (response) { return response.ok ? response.json() : { pseudonyms: [] }; })
        .then(function (data) {
          // A late answer for the same names must not rebuild the list under a reader who
          // has already tabbed onto a suggestion: that would drop their focus.
          list.dataset.answers = String(Number(list.dataset.answers || 0) + 1);
          var key = data.pseudonyms.join("\n");
          if (!list.hidden && list.dataset.key === key) { return; }
          var focused = list.contains(document.activeElement) ? document.activeElement.textContent : null;
          list.textContent = "";
          list.dataset.key = key;
          data.pseudonyms.forEach(function (name) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = "@" + name;
            button.addEventListener("click", function () { insert(name); });
            item.appendChild(button);
            list.appendChild(item);
            if (button.textContent === focused) { button.focus(); }
          });
          list.hidden = data.pseudonyms.length === 0;
        }).catch(function () {});
    });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
    });
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(attach);
})();
