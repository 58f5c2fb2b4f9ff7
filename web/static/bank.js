// Drag and drop for the statement upload: files dropped on the zone join the
// file input, so the form posts them as if they had been chosen. Without
// JavaScript the plain multiple-file input does the same.
(function () {
  "use strict";
  var zone = document.querySelector("[data-dropzone]");
  if (!zone) { return; }
  var input = zone.querySelector("input[type=file]");
  var list = zone.querySelector("[data-dropzone-files]");
  if (!input || typeof DataTransfer === "undefined") { return; }

  function show() {
    list.textContent = "";
    for (var i = 0; i < input.files.length; i++) {
      var li = document.createElement("li");
      li.textContent = input.files[i].name;
      list.appendChild(li);
    }
  }

  function add(files) {
    var dt = new DataTransfer();
    var seen = {};
    var all = Array.prototype.slice.call(input.files).concat(Array.prototype.slice.call(files));
    all.forEach(function (f) {
      var key = f.name + "/" + f.size;
      if (!seen[key]) { seen[key] = true; dt.items.add(f); }
    });
    input.files = dt.files;
    show();
  }

  ["dragenter", "dragover"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) { add(e.dataTransfer.files); }
  });
  input.addEventListener("change", show);
  zone.classList.add("js");
})();
