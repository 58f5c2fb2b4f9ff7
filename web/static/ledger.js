// Backoffice ledger: the entry form's lines grid. Adds line rows, keeps the
// debit and credit totals and their difference up to date, and asks before
// posting. The form works without it (six rows, totals after a save).
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry-form]");
  if (!form) return;
  var body = form.querySelector("[data-lines]");
  var addButton = form.querySelector("[data-add-line]");
  var currency = form.getAttribute("data-currency") || "";

  // Amounts are summed as integer minor units of the company currency, never
  // as floating point: "12.34" EUR is read as 1234.
  var digits = /^(JPY|KRW|VND|CLP|ISK|HUF|XAF|XOF|PYG|UGX|RWF|KMF|GNF|DJF|BIF|VUV|XPF)$/.test(currency) ? 0
    : /^(BHD|IQD|JOD|KWD|LYD|OMR|TND)$/.test(currency) ? 3 : 2;
  function minor(text) {
    var t = (text || "").trim();
    if (t.indexOf(",") >= 0 && t.indexOf(".") < 0) t = t.replace(",", ".");
    var m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
    if (!m || (m[2] === "" && !m[3])) return 0;
    var frac = (m[3] || "").padEnd(digits, "0");
    if (frac.length > digits) return 0;
    var n = parseInt((m[2] || "0") + frac, 10);
    return m[1] === "-" ? -n : n;
  }
  function format(n) {
    var neg = n < 0, s = String(Math.abs(n));
    if (digits === 0) return (neg ? "-" : "") + s;
    while (s.length <= digits) s = "0" + s;
    return (neg ? "-" : "") + s.slice(0, s.length - digits) + "." + s.slice(s.length - digits);
  }
  function totals() {
    var d = 0, c = 0;
    form.querySelectorAll("[data-debit]").forEach(function (i) { d += minor(i.value); });
    form.querySelectorAll("[data-credit]").forEach(function (i) { c += minor(i.value); });
    form.querySelector("[data-total-debit]").textContent = format(d);
    form.querySelector("[data-total-credit]").textContent = format(c);
    var diff = form.querySelector("[data-difference]");
    diff.textContent = format(d - c);
    diff.classList.toggle("off-balance", d !== c);
  }
  function addLine() {
    var last = body.rows[body.rows.length - 1];
    var row = last.cloneNode(true);
    var n = body.rows.length + 1;
    row.classList.remove("bad-line");
    row.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    row.querySelector("[data-line-no]").textContent = String(n);
    row.querySelectorAll("input").forEach(function (i) {
      i.value = "";
      i.removeAttribute("aria-invalid");
      i.id = i.name + "-" + (n - 1);
    });
    row.querySelectorAll("label").forEach(function (l) {
      var f = l.getAttribute("for").replace(/-\d+$/, "");
      l.setAttribute("for", f + "-" + (n - 1));
      l.textContent = l.textContent.replace(/\d+$/, String(n));
    });
    body.appendChild(row);
    row.querySelector("input").focus();
  }
  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", addLine);
  }
  form.addEventListener("input", function (e) {
    if (e.target.hasAttribute("data-debit") || e.target.hasAttribute("data-credit")) totals();
  });
  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    var msg = b && b.getAttribute("data-confirm-post");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  totals();
})();
