// Suggestions under a search field as one types: the métiers whose titles have words
// beginning with what is typed (from the address in the field's data-suggestions), a
// respelling when there are none, and the search itself. Arrow keys move through them,
// Enter or a click takes one; Enter with none chosen, and any use without this file,
// submits the search as before. The pattern is WAI-ARIA's combobox with a list popup.
(function () {
  "use strict";
  var DELAY = 150;

  document.querySelectorAll("input[data-suggestions]").forEach(function (input) {
    var source = input.getAttribute("data-suggestions");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    var pending = null;
    var options = [];
    var active = -1;

    list.id = input.id + "-suggestions";
    list.className = "suggestions-liste";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var wrapper = document.createElement("div");
    wrapper.className = "suggestions";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      } else {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function submit() {
      var form = input.form;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }

    // A métier opens its fiche; the respelling and the search submit the field's own
    // form, which keeps the listing's other filters.
    function option(text, run, kind) {
      var item = document.createElement("li");
      item.id = list.id + "-" + list.children.length;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.className = "suggestions-liste__option" + (kind ? " suggestions-liste__option--" + kind : "");
      item.textContent = text;
      item.run = run;
      // Before the field loses focus, so that the list is still there for the click.
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { close(); run(); });
      list.appendChild(item);
    }

    function show(data) {
      list.textContent = "";
      data.suggestions.forEach(function (s) {
        option(s.titre, function () { window.location.assign(s.url); });
      });
      if (data.orthographe) {
        option("Vouliez-vous dire\u00a0« " + data.orthographe + "\u00a0»\u00a0?", function () {
          input.value = data.orthographe;
          submit();
        }, "orthographe");
      }
      if (list.children.length) {
        option("Rechercher «\u00a0" + data.q.trim() + "\u00a0» dans toutes les fiches", submit, "tous");
      }
      options = Array.prototype.slice.call(list.children);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      var n = data.suggestions.length;
      status.textContent = n
        ? n + (n > 1 ? " métiers suggérés" : " métier suggéré") + " ; flèches haut et bas pour les parcourir."
        : (data.orthographe ? "Aucun métier suggéré ; une autre orthographe est proposée." : "Aucun métier suggéré.");
    }

    function fetchSuggestions() {
      var q = input.value;
      if (q.trim().length < 2) {
        // Nothing left to suggest: the arrow keys must not bring back the last list.
        if (pending) pending.abort();
        options = [];
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(source + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && data.q === input.value) show(data); else if (!data) close(); })
        .catch(function () { /* aborted by the next keystroke, or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
          return;
        }
        event.preventDefault();
        // From the last suggestion, down goes back to the field (-1), and up from the field
        // goes to the last one.
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        if (next >= options.length) next = -1;
        if (next < -1) next = options.length - 1;
        choose(next);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        var run = options[active].run;
        close();
        run();
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  });
})();
