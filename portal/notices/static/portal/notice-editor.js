// The notice body's rich-text editor (Trix, vendored in portal/vendor/trix), as progressive
// enhancement: without JavaScript the form keeps its plain textarea (body_format "text").
// With it, the textarea is hidden, Trix edits its value as HTML and body_format becomes
// "html". The server sanitises whatever arrives, so nothing here is a security boundary.
(function () {
  "use strict";
  if (!window.Trix || !window.customElements) return;

  var labels = document.getElementById("notice-editor-labels");
  if (labels) {
    var lang = JSON.parse(labels.textContent);
    Object.keys(lang).forEach(function (key) { window.Trix.config.lang[key] = lang[key]; });
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // A body written as plain text (a draft saved without JavaScript) opens as paragraphs.
  function textToHtml(text) {
    return text.replace(/\r\n/g, "\n").trim().split(/\n\s*\n/).map(function (block) {
      return "<div>" + escapeHtml(block).replace(/\n/g, "<br>") + "</div>";
    }).join("");
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(function (textarea) {
    var form = textarea.form;
    var format = form.querySelector("input[data-body-format]");
    if (!format) return;
    if (format.value !== "html" && textarea.value.trim()) textarea.value = textToHtml(textarea.value);
    format.value = "html";

    var toolbarId = textarea.id + "-toolbar";
    var toolbar = document.createElement("trix-toolbar");
    toolbar.id = toolbarId;
    var editor = document.createElement("trix-editor");
    editor.setAttribute("input", textarea.id);
    editor.setAttribute("toolbar", toolbarId);
    editor.setAttribute("aria-labelledby", textarea.id + "-label");
    editor.classList.add("notice-editor");
    var label = form.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      label.id = textarea.id + "-label";
      // The label now points at the editor; clicking it focuses the text.
      label.addEventListener("click", function (event) { event.preventDefault(); editor.focus(); });
    }
    textarea.hidden = true;
    textarea.removeAttribute("required");
    textarea.insertAdjacentElement("afterend", toolbar);
    toolbar.insertAdjacentElement("afterend", editor);
    var hint = form.querySelector("[data-plain-hint]");
    if (hint) hint.hidden = true;

    editor.addEventListener("trix-initialize", function () {
      // Toolbar buttons reachable with Tab (Trix leaves them out of the tab order).
      toolbar.querySelectorAll("button").forEach(function (button) { button.tabIndex = 0; });
      toolbar.querySelectorAll(".trix-button-group--file-tools").forEach(function (group) {
        group.hidden = true;
      });
    });
    editor.addEventListener("trix-file-accept", function (event) { event.preventDefault(); });
    // Trix acts on mousedown only; Enter or Space on a focused toolbar button does the same,
    // then hands the focus back to the text (or to the link dialog's address field).
    toolbar.addEventListener("keydown", function (event) {
      var button = event.target.closest("button[data-trix-attribute], button[data-trix-action]");
      if (!button || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      button.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
      var dialog = toolbar.querySelector(".trix-dialog.trix-active input[type=url]");
      if (dialog) dialog.focus(); else editor.focus();
    });
  });
})();
