/* The contribution form's table as a grid of inputs (rows × columns). Without JavaScript the
   form keeps its textarea: one row per line, cells separated by | or a tab. The grid writes
   into that textarea (tab-separated) on every change, so the server reads one format. */
(function () {
  "use strict";

  function parse(text) {
    return text.split(/\r?\n/).filter(function (line) { return line.trim() !== ""; })
      .map(function (line) {
        if (line.indexOf("\t") !== -1) { return line.split("\t").map(function (c) { return c.trim(); }); }
        var stripped = line.trim().replace(/^\|/, "").replace(/\|$/, "");
        return stripped.split("|").map(function (c) { return c.trim(); });
      });
  }

  function setUp(editor) {
    var source = document.querySelector("textarea.kb-table-source");
    if (!source) { return; }
    var rows = parse(source.value);
    if (rows.length === 0) { rows = [["", ""], ["", ""]]; }
    var width = Math.max.apply(null, rows.map(function (r) { return r.length; }));
    rows = rows.map(function (r) { while (r.length < width) { r.push(""); } return r; });

    function write() {
      var filled = rows.some(function (r) { return r.some(function (c) { return c !== ""; }); });
      source.value = filled ? rows.map(function (r) {
        return r.map(function (c) { return c.replace(/[\t\r\n]+/g, " "); }).join("\t");
      }).join("\n") : "";
    }

    function render() {
      editor.textContent = "";
      var table = document.createElement("table");
      table.className = "kb-table kb-grid";
      var caption = document.createElement("caption");
      caption.textContent = editor.dataset.caption;
      table.appendChild(caption);
      rows.forEach(function (row, r) {
        var tr = document.createElement("tr");
        row.forEach(function (cell, c) {
          var td = document.createElement(r === 0 ? "th" : "td");
          var input = document.createElement("input");
          input.type = "text";
          input.value = cell;
          input.maxLength = 500;
          input.setAttribute("aria-label", (r === 0 ? editor.dataset.heading : editor.dataset.cell) +
            " " + (r + 1) + "," + (c + 1));
          input.addEventListener("input", function () { rows[r][c] = input.value; write(); });
          td.appendChild(input);
          tr.appendChild(td);
        });
        table.appendChild(tr);
      });
      editor.appendChild(table);
      [["addRow", function () { rows.push(rows[0].map(function () { return ""; })); }],
       ["addColumn", function () { rows.forEach(function (r) { r.push(""); }); }]]
        .forEach(function (pair) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "kb-" + pair[0];
          button.textContent = editor.dataset[pair[0]];
          button.addEventListener("click", function () { pair[1](); write(); render(); });
          editor.appendChild(button);
        });
    }

    render();
    source.closest(".kb-field").hidden = true;
    editor.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".kb-table-editor").forEach(setUp);
  });
})();
