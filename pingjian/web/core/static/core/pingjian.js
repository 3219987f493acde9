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
})();
