// Enhancements of the filter forms; the forms work the same without this file.
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  if (!form) return;

  // A choice in a list or a box ticked applies at once; text fields still wait for the button.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form !== form || field.type === "search" || field.type === "number") return;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });

  // Shorter shared addresses: empty fields are left out of the query string.
  form.addEventListener("formdata", function (event) {
    var empty = [];
    event.formData.forEach(function (value, name) { if (value === "") empty.push(name); });
    empty.forEach(function (name) { event.formData.delete(name); });
  });

  // On a phone, fold the filters away unless some of them are active (a search alone
  // does not count: its field is above them), so the results come first.
  var panel = form.closest("details");
  if (panel && !panel.hasAttribute("data-actifs") && window.matchMedia("(max-width: 47.99rem)").matches) {
    panel.open = false;
  }
})();
