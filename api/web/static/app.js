// Small enhancements; every page works without them.
// 1. Type-ahead: an input with data-suggest fills its <datalist> with the parties whose names hold
//    the words typed (the server normalises Arabic as search does).
// 2. Buttons with data-print print the page; links with data-back go back.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var typed = input.value.trim();
      if (!typed || !list) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
          .then(function (answer) { return answer.ok ? answer.text() : ""; })
          .then(function (options) {
            var parsed = new DOMParser().parseFromString("<datalist>" + options + "</datalist>", "text/html");
            list.replaceChildren.apply(list, Array.from(parsed.querySelectorAll("option")));
          })
          .catch(function () { /* type-ahead is a convenience: the form still works */ });
      }, 150);
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); history.back(); });
  });
})();
