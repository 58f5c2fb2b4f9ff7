// Backoffice invoicing: the document form's grids. Adds and removes line
// and allowance rows, fills a line from its product code, and asks before
// posting. The totals preview is htmx's (hx-post on #invoice-totals). The
// form works without this file: three empty lines, one allowance row, and a
// "Preview totals" button.
(function () {
  "use strict";
  var form = document.querySelector("form[data-invoice-form]");
  if (!form) return;
  var products = {};
  try { products = JSON.parse(form.getAttribute("data-products") || "{}"); } catch (e) { products = {}; }

  // changed tells htmx and the leave-page guard that the form changed.
  function changed(el) { el.dispatchEvent(new Event("change", { bubbles: true })); }

  function renumber(body) {
    Array.prototype.forEach.call(body.rows, function (row, i) {
      var n = i + 1;
      var no = row.querySelector("[data-row-no]");
      if (no) no.textContent = String(n);
      row.querySelectorAll("input, select").forEach(function (el) {
        if (el.id) el.id = el.id.replace(/-\d+$/, "-" + i);
      });
      row.querySelectorAll("label").forEach(function (l) {
        var f = l.getAttribute("for");
        if (f) l.setAttribute("for", f.replace(/-\d+$/, "-" + i));
        l.textContent = l.textContent.replace(/\d+$/, String(n));
      });
      var rm = row.querySelector("[data-remove-row]");
      if (rm) rm.setAttribute("aria-label", rm.getAttribute("aria-label").replace(/\d+$/, String(n)));
    });
  }

  function clear(row) {
    row.classList.remove("bad-line");
    row.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    row.querySelectorAll("input").forEach(function (i) { i.value = ""; i.removeAttribute("aria-invalid"); });
    row.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; s.removeAttribute("aria-invalid"); });
  }

  function addRow(body) {
    var last = body.rows[body.rows.length - 1];
    var row = last.cloneNode(true);
    clear(row);
    body.appendChild(row);
    renumber(body);
    row.querySelector("input").focus();
  }

  form.querySelectorAll("[data-add-row]").forEach(function (b) {
    var body = form.querySelector("tbody[data-rows='" + b.getAttribute("data-add-row") + "']");
    b.hidden = false;
    b.addEventListener("click", function () { addRow(body); });
  });
  form.querySelectorAll("[data-remove-row]").forEach(function (b) { b.hidden = false; });
  form.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-remove-row]");
    if (!b) return;
    var row = b.closest("tr"), body = row.parentNode;
    if (body.rows.length > 1) {
      row.remove();
      renumber(body);
    } else {
      clear(row);
    }
    changed(body);
  });

  // A product code fills the line's empty fields; the price only when the
  // product is priced in the document's currency.
  function fill(input) {
    var p = products[input.value.trim()];
    if (!p) return;
    var row = input.closest("tr");
    var currency = (form.querySelector("#currency").value || "").trim().toUpperCase();
    row.querySelectorAll("[data-fill]").forEach(function (el) {
      var key = el.getAttribute("data-fill");
      var v = p[key];
      if (!v || (el.value && key !== "tax")) return;
      if (key === "price" && currency && currency !== p.currency) return;
      if (el.tagName === "SELECT") {
        if (Array.prototype.some.call(el.options, function (o) { return o.value === v; })) el.value = v;
      } else {
        el.value = v;
      }
    });
    changed(row); // the row, not the input: a change of the input would fill again
  }
  form.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-product")) fill(e.target);
  });

  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    var msg = b && b.getAttribute("data-confirm-post");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();
