// kaplan: sorting and filtering for the portfolio table. The page is complete without it.
(function () {
  "use strict";
  function value(cell, kind) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (kind === "number") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw.toLocaleLowerCase();
  }
  function sortBy(table, index, kind, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = value(a.cells[index], kind), y = value(b.cells[index], kind);
      var c = kind === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
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
