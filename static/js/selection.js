// Enhancements of the selection pages: a print button, and a button copying the share link.
// Without this file the browser's own print command and copying by hand do the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-imprimer]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-copier]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copier"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      var done = function () { button.textContent = "Lien copié"; };
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      if (copied) {
        done();
      } else if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(done);
      }
    });
  });
})();
