// A text filter above every long unit picker (a <select> or a list of checkboxes marked
// data-unit-filter by langso.places.forms): typing hides the units whose path does not
// hold the typed words, diacritics and case ignored ("binh chien to 3").
(function () {
  "use strict";

  function fold(text) {
    return text
      .replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function matches(text, words) {
    var folded = fold(text);
    return words.every(function (word) { return folded.indexOf(word) !== -1; });
  }

  function filterSelect(select, words) {
    Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
      option.hidden = option.value !== "" && !option.selected && !matches(option.textContent, words);
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }

  function filterCheckboxes(box, words) {
    box.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      var label = input.closest("label");
      label.parentElement.hidden = !input.checked && !matches(label.textContent, words);
    });
    // A hamlet's group of checkboxes hides when none of its rows is left.
    Array.prototype.forEach.call(box.children, function (child) {
      if (!child.querySelector("div")) return;
      child.hidden = !Array.prototype.some.call(
        child.querySelectorAll("input[type=checkbox]"),
        function (input) { return !input.closest("label").parentElement.hidden; }
      );
    });
  }

  function attach(field, placeholder, apply) {
    if (field.dataset.unitFilterReady) return;
    field.dataset.unitFilterReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "unit-filter";
    input.placeholder = placeholder;
    input.setAttribute("aria-label", placeholder);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(" ").filter(Boolean);
      apply(field, words);
    });
    field.parentNode.insertBefore(input, field);
  }

  function setUp(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-unit-filter]"), function (select) {
      attach(select, select.dataset.unitFilter, filterSelect);
    });
    Array.prototype.forEach.call(root.querySelectorAll("input[type=checkbox][data-unit-filter]"), function (input) {
      var box = input.closest("div[id]");
      if (box) attach(box, input.dataset.unitFilter, filterCheckboxes);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUp(event.target); });
})();
