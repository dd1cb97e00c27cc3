// kaplan: sorting and filtering for the portfolio table. The page is complete without it.
(function () {
  "use strict";
  // A cell's sort key: its data-value, else the text of its link (an account's name, not
  // its industry below), else its text.
  function value(cell, kind) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) { raw = (cell.querySelector("a") || cell).textContent.trim(); }
    if (kind === "number") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw.toLocaleLowerCase();
  }
  function sortBy(table, index, kind, th) {
    var body = table.tBodies[0];
    // Each key is read once, not once per comparison: portfolios have thousands of rows.
    var keyed = Array.prototype.map.call(body.rows, function (r, i) {
      return { row: r, key: value(r.cells[index], kind), at: i };
    });
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    keyed.sort(function (a, b) {
      var c = kind === "number" ? a.key - b.key : String(a.key).localeCompare(String(b.key));
      return (ascending ? c : -c) || a.at - b.at;
    });
    var sorted = document.createDocumentFragment();
    keyed.forEach(function (k) { sorted.appendChild(k.row); });
    body.appendChild(sorted);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function initSort(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, index, kind, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, index, kind, th); }
      });
    });
  }
  function initFilter(form) {
    var table = document.getElementById(form.getAttribute("data-filter-for"));
    if (!table) { return; }
    var output = form.querySelector("output");
    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var ok = Array.prototype.every.call(form.elements, function (el) {
          return !el.name || !el.value || row.getAttribute("data-" + el.name) === el.value;
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (output) { output.textContent = shown + " / " + table.tBodies[0].rows.length; }
    }
    form.addEventListener("change", apply);
    form.hidden = false;
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), initSort);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-filter-for]"), initFilter);
    Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
  });
})();
// Printing shows every section, also those the reader folded; they fold back afterwards.
(function () {
  "use strict";
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (d) { d.open = false; });
    folded = [];
  });
})();
