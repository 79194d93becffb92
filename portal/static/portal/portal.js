// Behaviour shared by every page of both faces, attached from data- attributes (the
// Content-Security-Policy allows no inline script and no on…= handler attributes):
//   <form data-confirm="Really?">    asks before the form is sent;
//   <button data-print>              prints the page;
//   <a href="/" data-back>           goes back one page when there is one, else follows href;
//   <section data-watch-status="queued">  asks for the page again every few seconds and reloads
//                                    it once that status has changed (a background job ends),
//                                    instead of a <meta> refresh that reloads it every time.
// And the header's menu button (phones): it folds the menu away once this script runs, opens
// and closes it by tap, Enter or Space, and Escape closes it again.
(function () {
  "use strict";
  function setMenu(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.querySelectorAll(".site-header .menu-toggle").forEach(function (toggle) {
    toggle.hidden = false;
    toggle.closest(".site-header").classList.add("has-menu-toggle");
    toggle.addEventListener("click", function () {
      setMenu(toggle, toggle.getAttribute("aria-expanded") !== "true");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !(event.target instanceof Element)) { return; }
    var header = event.target.closest(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    if (toggle && toggle.getAttribute("aria-expanded") === "true") {
      setMenu(toggle, false);
      toggle.focus();
    }
  });
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
  var watched = document.querySelector("[data-watch-status]");
  if (watched) {
    var timer = window.setInterval(function () {
      window.fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html")
            .querySelector("[data-watch-status]");
          if (!fresh || fresh.dataset.watchStatus !== watched.dataset.watchStatus) {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () { /* Offline for a moment: ask again at the next tick. */ });
    }, 3000);
  }
})();
