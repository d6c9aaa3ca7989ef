/* The error summary (templates/includes/error_summary.html), GOV.UK's pattern.
   The server focuses the summary (autofocus); this makes sure of it in browsers that
   skip autofocus, and makes each link show its field whole: focus the control, and
   scroll so that the field's label or legend and its hint stay in view above it.
   Without this file the links still work; site.css keeps room above the control. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (!summary.contains(document.activeElement)) { summary.focus(); }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) { return; }
    // A group of checkboxes or radios links to its fieldset: focus its first choice.
    var control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    var group = target.closest(".field") || target;
    if (!control) { return; }
    event.preventDefault();
    group.scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
    window.history.replaceState(null, "", link.hash);
  });
})();
