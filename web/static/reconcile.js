// Keyboard for the reconciliation screen: j/↓ next line, k/↑ previous,
// Enter or a accepts the best candidate, s skips, / searches the open items,
// e goes to the new-entry form. Every key only follows a link or submits a
// form that the page also offers as a button, so it works without this file.
(function () {
  "use strict";
  var root = document.querySelector("[data-reconcile]");
  if (!root) { return; }
  function follow(sel) {
    var a = document.querySelector(sel);
    if (a) { window.location.href = a.href; }
  }
  function focus(sel) {
    var el = document.querySelector(sel);
    if (el) { el.focus(); el.scrollIntoView({block: "center"}); }
  }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable)) {
      if (ev.key === "Escape") { t.blur(); }
      return;
    }
    var best = document.querySelector("[data-rec-best]");
    switch (ev.key) {
    case "j": case "ArrowDown": case "s":
      follow("[data-rec-next]"); break;
    case "k": case "ArrowUp":
      follow("[data-rec-prev]"); break;
    case "a": case "Enter":
      if (t && (t.tagName === "A" || t.tagName === "BUTTON")) { return; }
      if (best && best.querySelector("button")) { best.requestSubmit(); } break;
    case "/":
      focus("[data-rec-search]"); break;
    case "e":
      focus("[data-rec-entry]"); break;
    default:
      return;
    }
    ev.preventDefault();
  });
  var cur = root.querySelector("[data-rec-line].current");
  if (cur) { cur.scrollIntoView({block: "nearest"}); }
})();
