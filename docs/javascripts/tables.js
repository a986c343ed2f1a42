/* Sort and filter the data tables in the browser, offline. Vendored, no dependencies.
 * Enhances every <table class="re-sortable">: click a header to sort (again to reverse),
 * type in the box above the table to keep only rows containing the text. */
(function () {
  "use strict";

  /* Sort by the stored value (data-sort) where the cell shows it formatted (US$250m, 79.6%). */
  function cellText(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function isNumeric(rows, index) {
    var seen = false;
    for (var i = 0; i < rows.length; i++) {
      var text = cellText(rows[i], index);
      if (text === "") continue;
      if (isNaN(Number(text))) return false;
      seen = true;
    }
    return seen;
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = isNumeric(rows, index);
    rows.sort(function (a, b) {
      var x = cellText(a, index), y = cellText(b, index);
      if (x === "" && y !== "") return 1;   // empty cells last in both directions
      if (y === "" && x !== "") return -1;
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { numeric: true });
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function filter(table, query, counter) {
    var needle = query.trim().toLowerCase();
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var match = needle === "" || rows[i].textContent.toLowerCase().indexOf(needle) !== -1;
      rows[i].hidden = !match;
      if (match) shown++;
    }
    counter.textContent = shown + " of " + rows.length + " rows";
  }

  function enhance(table) {
    if (table.dataset.enhanced) return;
    table.dataset.enhanced = "1";
    var bar = document.createElement("div");
    bar.className = "re-table-tools";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "re-table-search";
    input.placeholder = "Filter rows…";
    input.setAttribute("aria-label", "Filter rows of " + (table.dataset.table || "the table"));
    var counter = document.createElement("span");
    counter.className = "re-table-count";
    bar.appendChild(input);
    bar.appendChild(counter);
    var anchor = table.closest(".re-table-wrap") || table;
    anchor.parentNode.insertBefore(bar, anchor);
    input.addEventListener("input", function () { filter(table, input.value, counter); });
    filter(table, "", counter);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.title = "Sort by " + th.textContent;
      th.addEventListener("click", function () { sortBy(table, index, th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, index, th); }
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.re-sortable"), enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation, if enabled
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
