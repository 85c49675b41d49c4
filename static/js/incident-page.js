// The incident page: the tab named in the address (#notes, #attachments, ...) opens on load,
// buttons whose input lives in a tab (Resolved, Close Ticket) open that tab, the related
// incidents box suggests numbers, the watch list says when an address is the requester's,
// and the print page's button prints.
(function () {
  "use strict";

  function tabButton(name) {
    return document.querySelector('[data-bs-toggle="tab"][data-tab="' + name + '"]');
  }

  function showTab(name) {
    var button = tabButton(name);
    if (!button || !window.bootstrap) {
      return null;
    }
    bootstrap.Tab.getOrCreateInstance(button).show();
    return document.querySelector(button.dataset.bsTarget);
  }

  var fromAddress = window.location.hash.replace(/^#/, "");
  if (fromAddress) {
    showTab(fromAddress);
  }

  document.querySelectorAll('[data-bs-toggle="tab"][data-tab]').forEach(function (button) {
    button.addEventListener("shown.bs.tab", function () {
      history.replaceState(null, "", "#" + button.dataset.tab);
    });
  });

  document.querySelectorAll("[data-show-tab]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var pane = showTab(link.dataset.showTab);
      if (!pane) {
        return; // No such tab here: follow the link to the action's own page.
      }
      event.preventDefault();
      pane.scrollIntoView({ behavior: "smooth", block: "start" });
      var first = pane.querySelector("textarea, select, input:not([type=hidden])");
      if (first) {
        first.focus({ preventScroll: true });
      }
    });
  });

  document.querySelectorAll("input[data-incident-lookup]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 3 || !list) {
          return;
        }
        var url = input.dataset.incidentLookup + "?q=" + encodeURIComponent(q);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (row) {
              var option = document.createElement("option");
              option.value = row.number;
              option.label = row.short_description + " (" + row.state + ")";
              list.appendChild(option);
            });
          });
      }, 250);
    });
  });

  // The watch list: say when the address typed is the requester's, who gets the comments
  // anyway (adding it stays allowed).
  document.querySelectorAll("input[data-requester-email]").forEach(function (input) {
    var hint = document.getElementById(input.dataset.hint);
    if (!hint) {
      return;
    }
    var requester = input.dataset.requesterEmail.trim().toLowerCase();
    function update() {
      var same = input.value.trim().toLowerCase() === requester;
      hint.textContent = same ? hint.dataset.requesterHint : "";
    }
    input.addEventListener("input", update);
    update();
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
