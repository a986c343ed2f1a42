/* "What was in force on …": the status of every measure on the chosen day, from the status periods
 * `rareearths docs` exported from the database (control_status_periods). The rule is the one of
 * control_status_on(d): the period holding d; after the evidence horizon, the database's own answer
 * for any later day (every status unknown). Nothing is computed here that the database did not say. */
(function () {
  "use strict";

  var WORDS = {
    in_force: "in force",
    partially_suspended: "in force, a clause suspended",
    suspended: "suspended",
    announced: "announced, not yet applying",
    ended: "ended",
    reported: "reported only",
    unknown: "unknown",
  };

  function dated(day, precision) {
    if (!day) return "";
    if (precision === "year") return day.slice(0, 4);
    if (precision === "month") return day.slice(0, 7);
    if (precision === "approximate") return "c. " + day;
    if (precision === "on_or_before") return "on or before " + day;
    return day;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(href, text, title) {
    var a = el("a", { href: href }, text);
    if (title) a.title = title;
    return a;
  }

  /* Exactly control_status_on(d): rows for the measures announced by d, in the database's order. */
  function statusOn(data, day) {
    if (day > data.horizon) return data.after_horizon;
    return data.periods.filter(function (p) { return p.status_from <= day && day <= p.status_until; });
  }

  function render(root, data, day) {
    var measures = {};
    data.measures.forEach(function (m, i) { measures[m.control_id] = { m: m, order: i }; });
    var rows = statusOn(data, day).slice().sort(function (a, b) {
      return measures[a.control_id].order - measures[b.control_id].order;
    });
    var table = document.getElementById("re-inforce-result");
    table.replaceChildren();
    var head = table.createTHead().insertRow();
    ["Measure", "Status on " + day, "Since", "Until", "Why", "By notice", "Source"].forEach(function (h) {
      head.appendChild(el("th", { scope: "col" }, h));
    });
    var body = table.createTBody();
    var counts = {};
    rows.forEach(function (p) {
      var m = measures[p.control_id].m;
      counts[p.status] = (counts[p.status] || 0) + 1;
      var tr = body.insertRow();
      tr.dataset.controlId = p.control_id;
      tr.dataset.status = p.status;
      tr.dataset.reason = p.reason || "";
      tr.dataset.from = p.status_from || "";
      tr.dataset.until = p.status_until || "";
      tr.dataset.by = p.by_control_id || "";
      tr.dataset.source = p.source_id || "";
      var what = tr.insertCell();
      what.appendChild(link("data/export_controls.html#" + encodeURIComponent(m.control_id), m.doc_number_en || m.control_id));
      what.appendChild(el("div", { class: "re-inforce-title" }, m.title_en || ""));
      tr.insertCell().appendChild(el("span", { class: "re-status re-status-" + p.status }, WORDS[p.status] || p.status));
      tr.insertCell().textContent = dated(p.status_from, p.status_from_precision);
      var until = tr.insertCell();
      if (p.open_at_horizon) until.appendChild(el("span", { class: "re-open", title: "still holds at the evidence horizon (" + data.horizon + "); what follows is not known" }, "open"));
      else until.textContent = dated(p.status_until, p.status_until_precision);
      tr.insertCell().textContent = p.reason || "";
      var by = tr.insertCell();
      if (p.by_control_id) {
        var notice = measures[p.by_control_id] ? measures[p.by_control_id].m.doc_number_en : "";
        by.appendChild(link("data/export_controls.html#" + encodeURIComponent(p.by_control_id), notice || p.by_control_id, p.by_control_id));
      }
      var src = tr.insertCell();
      if (p.source_id) {
        src.appendChild(link("data/sources.html#" + encodeURIComponent(p.source_id), (data.sources || {})[p.source_id] || p.source_id, p.source_id));
      }
    });
    var parts = Object.keys(WORDS).filter(function (k) { return counts[k]; }).map(function (k) {
      return counts[k] + " " + WORDS[k];
    });
    var summary = rows.length
      ? rows.length + " measure" + (rows.length === 1 ? "" : "s") + " announced by " + day + ": " + parts.join(", ") + "."
      : "No measure had been announced by " + day + ".";
    if (day > data.horizon) summary += " This day is after the evidence horizon (" + data.horizon + ").";
    document.getElementById("re-inforce-summary").textContent = summary;
    root.dataset.date = day;
  }

  function init() {
    var root = document.getElementById("re-inforce");
    if (!root || root.dataset.started) return;
    root.dataset.started = "true";
    var input = document.getElementById("re-inforce-date");
    fetch(new URL(root.dataset.export, document.location.href).href)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var show = function () { if (/^\d{4}-\d{2}-\d{2}$/.test(input.value)) render(root, data, input.value); };
        input.addEventListener("change", show);
        input.addEventListener("input", show);
        Array.prototype.forEach.call(root.querySelectorAll("button[data-day]"), function (button) {
          button.addEventListener("click", function () { input.value = button.dataset.day; show(); });
        });
        if (!input.value) input.value = data.horizon;
        show();
        root.dataset.ready = "true";
      })
      .catch(function (err) {
        document.getElementById("re-inforce-summary").textContent =
          "Could not read the status periods (" + root.dataset.export + "): " + err.message;
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
