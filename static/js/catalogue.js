/* Progressive enhancement of the filter forms (catalogue, organisations).
   Without this file the forms work as plain GET forms with an "Apply" button.
   With it, changing a filter fetches the same URL and swaps in the new results
   and counts, keeps focus where it was, updates the address bar, and lets
   screen readers hear the new result count: the count heading is a live region
   that stays in the page, only its text changes (a live region swapped out with
   the results would not be announced).
   The filter panel comes folded from the server, so a phone shows the results
   first; site.css shows it as a sidebar on a wide screen. Opening it there too keeps
   its state true (and shows it in browsers without ::details-content). */
(function () {
  "use strict";
  var toggle = document.querySelector(".filters-toggle");
  if (toggle && window.matchMedia("(min-width: 56.0625rem)").matches) { toggle.open = true; }

  var form = document.querySelector("form[data-enhance='catalogue']");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var pending = null;
  var timer = null;

  function currentUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    // Controls outside the form that belong to it (search box, sort select).
    document.querySelectorAll("[form='" + form.id + "']").forEach(function (el) {
      if (el.name && el.value !== "" && !params.has(el.name)) { params.append(el.name, el.value); }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var freshBody = doc.getElementById("results-body");
    var oldBody = document.getElementById("results-body");
    if (freshBody && oldBody) { oldBody.replaceWith(freshBody); }
    var freshCount = doc.getElementById("results-count");
    var oldCount = document.getElementById("results-count");
    if (freshCount && oldCount && oldCount.textContent !== freshCount.textContent) {
      oldCount.textContent = freshCount.textContent;
    }
    doc.querySelectorAll("[data-facet-count]").forEach(function (el) {
      var mine = document.querySelector("[data-facet-count='" + el.getAttribute("data-facet-count") + "']");
      if (mine) { mine.textContent = el.textContent; }
    });
    var notice = doc.querySelector(".notice[role='alert']");
    var oldNotice = document.querySelector(".notice[role='alert']");
    if (oldNotice) { oldNotice.remove(); }
    if (notice) { document.querySelector(".catalogue").before(notice); }
    document.title = doc.title;
  }

  function refresh() {
    var url = currentUrl();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    document.getElementById("results").setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        swap(html);
        window.history.replaceState(null, "", url);
      })
      .catch(function () { /* aborted or offline: the Apply button still works */ })
      .finally(function () {
        var results = document.getElementById("results");
        if (results) { results.removeAttribute("aria-busy"); }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  // Delegated, so controls swapped in with new results (the sort select) work too.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.form === form && target.matches("input[type='checkbox'], select")) { schedule(); }
  });
})();
