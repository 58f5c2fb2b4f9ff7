// Backoffice: keyboard shortcuts, confirmations and small conveniences.
// Everything here is an enhancement: pages work without it.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  function rows() {
    var list = document.querySelector("table[data-list] tbody");
    return list ? Array.prototype.slice.call(list.rows) : [];
  }
  function move(step) {
    var rs = rows();
    if (!rs.length) return;
    var i = rs.findIndex(function (r) { return r.classList.contains("sel"); });
    if (i >= 0) rs[i].classList.remove("sel");
    i = Math.max(0, Math.min(rs.length - 1, i + step));
    rs[i].classList.add("sel");
    rs[i].scrollIntoView({ block: "nearest" });
    var a = rs[i].querySelector("a");
    if (a) a.focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") {
      var form = document.querySelector("form[data-save]");
      if (form) { e.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      var q = document.querySelector("[data-key='/']");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if (e.key === "j") { move(1); }
    else if (e.key === "k") { move(-1); }
    else if (e.key === "n") {
      var n = document.querySelector("[data-key='n']");
      if (n) { e.preventDefault(); n.click(); }
    } else if (e.key === "?") {
      var d = document.getElementById("shortcuts");
      if (d && d.showModal) d.showModal();
    }
  });
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
    else if (e.target.hasAttribute("data-save")) dirty = false;
  });
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute("data-autosubmit")) e.target.form.requestSubmit();
    if (e.target.form && e.target.form.hasAttribute("data-save")) dirty = true;
  });
  // Leaving a changed form asks first.
  var dirty = false;
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest && t.closest("[data-shortcuts]")) {
      var d = document.getElementById("shortcuts");
      if (d && d.showModal) d.showModal();
    }
    if (t.classList && t.classList.contains("menu-toggle")) {
      var nav = document.getElementById("nav");
      var open = nav.classList.toggle("open");
      t.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
})();
