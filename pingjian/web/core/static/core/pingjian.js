// pingjian's only script besides htmx: no inline handlers, so the Content-Security-Policy can
// forbid inline scripts. Elements opt in with data attributes.
(function () {
  "use strict";
  // <select data-autosubmit>: submit the form when the choice changes (the language menu).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });
  // <form data-confirm="…">: an irreversible step asks once more, its consequence stated (the form
  // also carries a required confirmation box, so the page is just as safe without script).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  });
  // <form data-upload-many>: files dropped on the zone join the file input; each chosen file gets a
  // slot choice (pre-set by the server from its name when left at "by name").
  function listFiles(form) {
    var input = form.querySelector("input[type=file]");
    var list = form.querySelector("[data-file-slots]");
    var options = form.querySelector("template[data-slot-options]");
    if (!input || !list || !options) { return; }
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file, index) {
      var item = document.createElement("li");
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.name = "slot_for";
      select.id = "slot-for-" + index;
      select.appendChild(options.content.cloneNode(true));
      label.htmlFor = select.id;
      label.textContent = file.name + " → ";
      item.appendChild(label);
      item.appendChild(select);
      list.appendChild(item);
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target instanceof HTMLInputElement && event.target.closest("form[data-upload-many]");
    if (form && event.target.type === "file") { listFiles(form); }
  });
  ["dragenter", "dragover"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var zone = event.target instanceof Element && event.target.closest("[data-dropzone]");
      if (zone) { event.preventDefault(); zone.classList.add("dragging"); }
    });
  });
  document.addEventListener("dragleave", function (event) {
    var zone = event.target instanceof Element && event.target.closest("[data-dropzone]");
    if (zone) { zone.classList.remove("dragging"); }
  });
  document.addEventListener("drop", function (event) {
    var zone = event.target instanceof Element && event.target.closest("[data-dropzone]");
    if (!zone || !event.dataTransfer) { return; }
    event.preventDefault();
    zone.classList.remove("dragging");
    var input = zone.querySelector("input[type=file]");
    input.files = event.dataTransfer.files;
    listFiles(zone.closest("form"));
  });
})();
