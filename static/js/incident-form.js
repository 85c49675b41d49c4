// The incident form (Create New, the incident page, the Assign form): cascading category
// selects, template pre-fill, requester look-up, priority from impact x urgency, the
// assignment group picker with its members, and the confirmation before a new incident is
// saved. Data comes from data- attributes and JSON blocks; the page has no inline script.
(function () {
  "use strict";

  var text = readJson("js-text") || {};

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(response.status + " " + url);
        }
        return response.json();
      }
    );
  }

  function urlFor(template, id) {
    // Server-made URLs hold the id 0 as a path segment ("/api/groups/0/members/").
    return template.replace("/0/", "/" + encodeURIComponent(id) + "/");
  }

  function fill(select, rows, label, keep) {
    var current = keep === undefined ? select.value : keep;
    var blank = select.options.length && select.options[0].value === "" ? select.options[0].text : "---------";
    select.replaceChildren(new Option(blank, ""));
    rows.forEach(function (row) {
      select.add(new Option(label(row), row.id));
    });
    select.value = current;
    if (select.value !== String(current)) {
      select.value = "";
    }
  }

  function debounce(fn, wait) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fn.apply(null, args);
      }, wait);
    };
  }

  function fire(element) {
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // --- cascading taxonomy selects -----------------------------------------------------------

  function levels(form) {
    return Array.prototype.slice
      .call(form.querySelectorAll("select[data-level]"))
      .sort(function (a, b) {
        return Number(a.dataset.level) - Number(b.dataset.level);
      });
  }

  function loadChildren(select, parentId, keep) {
    if (!parentId) {
      fill(select, [], null, "");
      return Promise.resolve();
    }
    var url = select.dataset.childrenUrl + "?parent=" + encodeURIComponent(parentId);
    return getJson(url).then(function (data) {
      fill(select, data.results, function (row) {
        return row.name;
      }, keep === undefined ? "" : keep);
    });
  }

  function setupTaxonomy(form) {
    var selects = levels(form);
    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        var below = selects.slice(index + 1);
        below.forEach(function (lower) {
          fill(lower, [], null, "");
        });
        if (below.length) {
          loadChildren(below[0], select.value);
        }
      });
    });
  }

  // Set the levels from the top down, loading each level's options before choosing in it.
  function setTaxonomy(form, ids) {
    var selects = levels(form);
    var step = Promise.resolve();
    selects.forEach(function (select, index) {
      step = step.then(function () {
        if (index > 0) {
          return loadChildren(select, selects[index - 1].value, ids[index] || "");
        }
        select.value = ids[0] || "";
        return null;
      });
    });
    return step;
  }

  // --- priority -----------------------------------------------------------------------------

  function setupPriority(form) {
    var matrix = readJson("priority-matrix");
    var display = form.querySelector("[data-priority-display]");
    var impact = form.querySelector('[data-priority-input="impact"]');
    var urgency = form.querySelector('[data-priority-input="urgency"]');
    if (!matrix || !display || !impact || !urgency) {
      return;
    }
    function update() {
      var label = matrix[impact.value + "-" + urgency.value];
      display.textContent = label || "—";
    }
    impact.addEventListener("change", update);
    urgency.addEventListener("change", update);
  }

  // --- requester look-up --------------------------------------------------------------------

  var REQUESTER_FIELDS = ["requested_by", "company_name", "phone", "nib", "nik", "email"];

  function setupRequesters(form) {
    var input = form.querySelector("[data-requester-lookup]");
    if (!input) {
      return;
    }
    var box = document.createElement("div");
    box.className = "list-group position-absolute z-3 shadow-sm d-none estim-lookup";
    box.setAttribute("role", "listbox");
    input.parentNode.classList.add("position-relative");
    input.parentNode.appendChild(box);

    function close() {
      box.classList.add("d-none");
      box.replaceChildren();
    }

    function choose(row) {
      REQUESTER_FIELDS.forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && row[name]) {
          field.value = row[name];
        }
      });
      close();
    }

    var search = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) {
        close();
        return;
      }
      getJson(input.dataset.requesterLookup + "?q=" + encodeURIComponent(q)).then(function (data) {
        box.replaceChildren();
        data.results.forEach(function (row) {
          var item = document.createElement("button");
          item.type = "button";
          item.className = "list-group-item list-group-item-action py-1 small";
          var name = document.createElement("strong");
          name.textContent = row.requested_by;
          var details = document.createElement("span");
          details.className = "text-body-secondary";
          details.textContent =
            " " + [row.company_name, row.email, row.nib ? "NIB " + row.nib : ""].filter(Boolean).join(" · ");
          item.append(name, details);
          item.addEventListener("click", function () {
            choose(row);
          });
          box.appendChild(item);
        });
        box.classList.toggle("d-none", data.results.length === 0);
      });
    }, 250);

    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target) && event.target !== input) {
        close();
      }
    });
  }

  // --- assignment group picker and its members ----------------------------------------------

  function loadMembers(groupSelect) {
    var assignee = groupSelect.form.querySelector("select[data-assignee]");
    if (!assignee) {
      return Promise.resolve();
    }
    if (!groupSelect.value) {
      fill(assignee, [], null, "");
      return Promise.resolve();
    }
    return getJson(urlFor(groupSelect.dataset.membersUrl, groupSelect.value)).then(function (data) {
      fill(assignee, data.results, function (row) {
        return row.name;
      });
    });
  }

  // One label for a group everywhere: its name, as the server draws the options; the company
  // (which the search also matches) shows on hover.
  function groupOption(row) {
    var option = new Option(row.name, row.id);
    if (row.company) {
      option.title = row.company;
    }
    return option;
  }

  function setupGroupPicker(select) {
    var wrapper = document.createElement("div");
    wrapper.className = "input-group input-group-sm mb-1";
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control";
    search.placeholder = text.searchGroups || "Search";
    search.setAttribute("aria-label", text.searchGroups || "Search");
    var sort = document.createElement("button");
    sort.type = "button";
    sort.className = "btn btn-outline-secondary";
    sort.dataset.sort = "asc";
    sort.textContent = text.sortAsc || "A-Z";
    sort.title = text.sortTitle || "";
    wrapper.append(search, sort);
    select.parentNode.insertBefore(wrapper, select);
    var asked = 0;

    // The groups found, with the current choice kept at the top when the search leaves it
    // out (so it, and Assigned To with it, are never dropped). A single match is chosen only
    // while no group is: searching never replaces a group, and its assignee, already chosen.
    function refresh() {
      var q = search.value.trim();
      var url = select.dataset.groupPicker + "?q=" + encodeURIComponent(q) + "&sort=" + sort.dataset.sort;
      var ticket = ++asked;
      getJson(url).then(function (data) {
        if (ticket !== asked) {
          return; // an answer to an earlier search, arriving late
        }
        var before = select.value;
        var current = before ? select.options[select.selectedIndex] : null;
        var blank = select.options.length && select.options[0].value === "" ? select.options[0].text : "---------";
        var found = data.results.some(function (row) {
          return String(row.id) === before;
        });
        select.replaceChildren(new Option(blank, ""));
        if (current && !found) {
          select.add(current);
        }
        data.results.forEach(function (row) {
          select.add(groupOption(row));
        });
        select.value = !before && q && data.results.length === 1 ? String(data.results[0].id) : before;
        if (select.value !== before) {
          fire(select);
        }
      });
    }

    search.addEventListener("input", debounce(refresh, 250));
    sort.addEventListener("click", function () {
      var desc = sort.dataset.sort === "asc";
      sort.dataset.sort = desc ? "desc" : "asc";
      sort.textContent = desc ? text.sortDesc || "Z-A" : text.sortAsc || "A-Z";
      refresh();
    });
    select.addEventListener("change", function () {
      loadMembers(select);
    });
  }

  // --- template -----------------------------------------------------------------------------

  var TEMPLATE_FIELDS = [
    "short_description",
    "description",
    "contact_type",
    "impact",
    "urgency",
    "incident_type",
    "assignment_group",
  ];

  function labelOf(form, field) {
    var label = field.id ? form.querySelector('label[for="' + field.id + '"]') : null;
    // The label's own text, without the "*" of a mandatory field.
    return label && label.firstChild ? label.firstChild.textContent.trim() : field.name;
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  // A template fills what is still empty, and what an earlier template filled. A field the
  // agent filled differently is kept as it is: a notice names it, with a button to take the
  // template's values after all. Nothing typed is replaced without the agent asking.
  function setupTemplate(form) {
    var select = form.querySelector("select[data-template-url]");
    if (!select) {
      return;
    }
    var filled = {}; // field name (or "taxonomy") -> the value a template put there
    var notice = null;
    var asked = 0;

    function isUntouched(field) {
      if (field.value === "" || field.value === filled[field.name]) {
        return true;
      }
      // The Assignment Group starts on the agent's first-line group, which no one chose.
      return field.name === "assignment_group" && field.options[field.selectedIndex].defaultSelected;
    }

    function setField(field, value) {
      field.value = value;
      filled[field.name] = field.value;
      fire(field);
    }

    function setPath(path) {
      filled.taxonomy = path.join("/");
      return setTaxonomy(form, path).then(function () {
        filled.taxonomy = currentPath().join("/");
      });
    }

    function currentPath() {
      return levels(form).map(function (level) {
        return level.value;
      });
    }

    function closeNotice() {
      if (notice) {
        notice.remove();
        notice = null;
      }
    }

    function showKept(kept) {
      var model = document.getElementById("template-kept");
      if (!kept.length || !model) {
        return;
      }
      notice = model.content.firstElementChild.cloneNode(true);
      notice.querySelector("[data-kept-fields]").textContent = kept
        .sort(function (a, b) {
          // In the form's order.
          return a.field.compareDocumentPosition(b.field) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
        })
        .map(function (item) {
          return labelOf(form, item.field);
        })
        .join(", ");
      notice.querySelector("[data-kept-replace]").addEventListener("click", function () {
        kept.forEach(function (item) {
          item.apply();
        });
        closeNotice();
      });
      select.parentNode.appendChild(notice);
    }

    select.addEventListener("change", function () {
      closeNotice();
      if (!select.value) {
        return;
      }
      var ticket = ++asked;
      getJson(urlFor(select.dataset.templateUrl, select.value)).then(function (data) {
        if (ticket !== asked) {
          return; // the agent has chosen another template since
        }
        var values = data.values;
        var kept = [];
        TEMPLATE_FIELDS.forEach(function (name) {
          var field = form.elements.namedItem(name);
          if (!field || values[name] === null || values[name] === "") {
            return;
          }
          var value = String(values[name]);
          if (field.value === value || (field.tagName === "SELECT" && !hasOption(field, value))) {
            return;
          }
          var apply = function () {
            setField(field, value);
          };
          if (isUntouched(field)) {
            apply();
          } else {
            kept.push({ field: field, apply: apply });
          }
        });
        if (values.category) {
          var path = [values.category, values.sub_category, values.item_category, values.item_name].map(
            function (id) {
              return id === null || id === undefined ? "" : String(id);
            }
          );
          var now = currentPath();
          if (now.join("/") !== path.join("/")) {
            var applyPath = function () {
              setPath(path);
            };
            if (now[0] === "" || now.join("/") === filled.taxonomy) {
              applyPath();
            } else {
              kept.push({ field: levels(form)[0], apply: applyPath });
            }
          }
        }
        showKept(kept);
      });
    });
  }

  // --- confirmation before saving a new incident --------------------------------------------

  function setupConfirm(form) {
    var modalNode = document.querySelector(form.dataset.confirm);
    if (!modalNode || !window.bootstrap) {
      return;
    }
    var modal = bootstrap.Modal.getOrCreateInstance(modalNode);
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed) {
        return;
      }
      event.preventDefault();
      var summary = modalNode.querySelector("[data-confirm-summary]");
      var short = form.elements.namedItem("short_description");
      var group = form.elements.namedItem("assignment_group");
      if (summary) {
        var groupName = group && group.value ? group.options[group.selectedIndex].text : text.firstLine || "";
        summary.textContent = [short ? short.value : "", groupName].filter(Boolean).join(" → ");
      }
      modal.show();
    });
    modalNode.querySelector("[data-confirm-ok]").addEventListener("click", function () {
      confirmed = true;
      modal.hide();
      form.submit();
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (form.querySelector("select[data-level]")) {
      setupTaxonomy(form);
      setupPriority(form);
      setupRequesters(form);
      setupTemplate(form);
    }
    form.querySelectorAll("select[data-group-picker]").forEach(setupGroupPicker);
    if (form.dataset.confirm) {
      setupConfirm(form);
    }
  });
})();
