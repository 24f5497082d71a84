// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Submit forms marked data-autosubmit when one of their controls changes (filters, language).
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit")) {
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    }
  });
  // Disable submit buttons after the first submit to prevent double posts (the server also guards).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-no-lock")) { return; }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; b.setAttribute("aria-disabled", "true"); });
    }, 0);
  });
})();
