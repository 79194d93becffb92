// Behaviour shared by every page of both faces, attached from data- attributes (the
// Content-Security-Policy allows no inline script and no on…= handler attributes):
//   <form data-confirm="Really?">    asks before the form is sent;
//   <button data-print>              prints the page;
//   <a href="/" data-back>           goes back one page when there is one, else follows href.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm !== undefined) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    if (target.closest("a[data-back]") && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
