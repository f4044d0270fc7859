// Enhancement of the selection page: a print button. Without this file the browser's own
// print command does the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-imprimer]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
