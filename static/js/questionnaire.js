/* Questionnaire autosave. Saves a field shortly after the user changes it (and at once when
   the page is left), shows the field's errors and plausibility warnings next to it, and on a
   conflict shows both values so that the user keeps theirs or takes the other. Without this
   script every page is still a plain form that saves all its fields at once.

   The script knows no field kinds: each field box says how to collect its value
   (data-q-collect: one / many / parts), its value inputs carry data-q-input (a grid's also
   data-q-sub, and data-q-null on its "not owned" box), and numeric fields carry their rules
   and messages (data-q-min, data-q-max, data-q-whole, data-q-msg-*), written by the server's
   field kind classes (assessment/questionnaire/kinds.py). The server is the authority; the
   number check here only mirrors it so that a wrong entry is named before it is sent. */
(function () {
  "use strict";

  var form = document.querySelector("form.questionnaire");
  if (!form || form.dataset.editable !== "true") { return; }
  var csrf = (form.querySelector('input[name="csrf_token"]') || {}).value || "";
  var msg = form.dataset;
  var pending = {};
  var shownErrors = {};
  var DELAY = 700;

  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) {
    el.hidden = false;
  });

  /* Saves go to the server one at a time, in the order they were made, and each builds its
     body (value and version) only when it is sent: a field saved twice in quick succession
     then sends the version the first save returned instead of conflicting with itself, and
     the embedded SQLite database never sees two writes of one page at once. When the page
     is being left, pending saves are sent at once (a queued request would never start). */
  var queue = Promise.resolve();
  var leaving = false;

  function post(url, makeBody) {
    function send() {
      return fetch(url, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: {"Content-Type": "application/json", "Accept": "application/json",
                  "X-CSRFToken": csrf},
        body: JSON.stringify(makeBody())
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return {status: response.status, data: data};
        });
      });
    }
    if (leaving) { return send(); }
    var result = queue.then(send, send);
    queue = result.then(function () {}, function () {});
    return result;
  }

  function schedule(id, run) {
    if (pending[id]) { clearTimeout(pending[id].timer); }
    pending[id] = {run: run, timer: setTimeout(function () { delete pending[id]; run(); }, DELAY)};
  }

  function flushAll() {
    Object.keys(pending).forEach(function (id) {
      clearTimeout(pending[id].timer);
      var run = pending[id].run;
      delete pending[id];
      run();
    });
  }
  window.addEventListener("pagehide", function () { leaving = true; flushAll(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flushAll(); }
  });

  function named(root, name) { return root.querySelector('[name="' + name + '"]'); }
  function versionOf(input) {
    return !input || input.value === "" ? null : parseInt(input.value, 10);
  }

  function status(box, text, cls) {
    var el = box.querySelector(".q-status");
    if (el) { el.textContent = text || ""; el.className = "q-status hint " + (cls || ""); }
  }

  function clearErrors(id) {
    (shownErrors[id] || []).forEach(function (el) { el.textContent = ""; el.hidden = true; });
    shownErrors[id] = [];
  }

  function setError(id, name, messages, fallbackParent) {
    var el = document.getElementById(name + "-err");
    if (!el) {
      var anchor = document.getElementById(name);
      el = document.createElement("p");
      el.className = "error";
      el.id = name + "-err";
      if (anchor && anchor.parentNode) { anchor.parentNode.appendChild(el); }
      else if (fallbackParent) { fallbackParent.appendChild(el); }
      else { return; }
    }
    el.textContent = messages.join(" ");
    el.hidden = false;
    shownErrors[id] = (shownErrors[id] || []).concat([el]);
  }

  function showProgress(progress) {
    if (!progress) { return; }
    ["page", "overall"].forEach(function (scope) {
      var bar = document.querySelector('.q-progress[data-scope="' + scope + '"] progress');
      if (bar && progress[scope]) {
        bar.value = progress[scope].percent;
        bar.title = progress[scope].done + " / " + progress[scope].total;
      }
    });
    var step = document.querySelector(".q-step-current");
    if (step && progress.page) {
      var stepBar = step.querySelector("progress");
      if (stepBar) { stepBar.value = progress.page.percent; }
      var count = step.querySelector(".q-step-count");
      if (count) {
        count.textContent = count.textContent.replace(/\d+/, String(progress.page.done))
          .replace(/(\d+)(\D*)$/, String(progress.page.total) + "$2");
      }
      step.classList.toggle("q-step-done", progress.page.done >= progress.page.total);
    }
  }

  /* Plausibility warnings of every answer the save concerns ("warnings": {key: [text]}):
     shown beside the answer, never blocking; an empty list clears a shown warning. */
  function showWarnings(warnings) {
    if (!warnings) { return; }
    Object.keys(warnings).forEach(function (key) {
      var list = document.querySelector('.q-warnings[data-warnings-for="' + key + '"]');
      if (!list) { return; }
      list.textContent = "";
      warnings[key].forEach(function (text) {
        var p = document.createElement("p");
        p.className = "q-warning";
        p.textContent = msg.msgCheck + " " + text;
        list.appendChild(p);
      });
      list.hidden = warnings[key].length === 0;
    });
  }

  // "(who, when)" of the other save: the time in the reader's own time zone and language
  function savedBy(current) {
    if (!current || !(current.by || current.mine)) { return ""; }
    var who = current.mine ? msg.msgYou : current.by;
    var when = "";
    if (current.at) {
      var at = new Date(current.at);
      when = isNaN(at.getTime()) ? "" : ", " + at.toLocaleString(document.documentElement.lang || undefined,
        { dateStyle: "short", timeStyle: "short" });
    }
    return " (" + who + when + ")";
  }

  function conflict(box, current, mineText, keep, take) {
    var el = box.querySelector(".js-conflict");
    if (!el) { return; }
    el.textContent = "";
    var theirs = document.createElement("p");
    theirs.textContent = msg.msgTheirs + " " + (current && current.text !== undefined ? current.text : "—") +
      savedBy(current);
    var yours = document.createElement("p");
    yours.textContent = msg.msgYours + " " + mineText;
    var keepButton = document.createElement("button");
    keepButton.type = "button"; keepButton.className = "button small primary";
    keepButton.textContent = msg.msgKeep;
    keepButton.addEventListener("click", function () { el.hidden = true; keep(); });
    var takeButton = document.createElement("button");
    takeButton.type = "button"; takeButton.className = "button small";
    takeButton.textContent = msg.msgTake;
    takeButton.addEventListener("click", function () { el.hidden = true; take(); });
    el.appendChild(theirs); el.appendChild(yours); el.appendChild(keepButton);
    el.appendChild(document.createTextNode(" ")); el.appendChild(takeButton);
    el.hidden = false;
  }

  function handle(id, box, result, versionInput, retry, take, mineText) {
    clearErrors(id);
    var data = result.data || {};
    if (result.status === 200) {
      // A new version is a changed value: it is no longer last year's ("carried over"
      // mark removed, as the server did); an unchanged save keeps the mark.
      if (versionInput && String(versionInput.value) !== String(data.version)) {
        Array.prototype.forEach.call(box.querySelectorAll("[data-carried-for]"),
          function (mark) { mark.hidden = true; });
      }
      if (versionInput) { versionInput.value = data.version; }
      status(box, msg.msgSaved, "saved");
      showProgress(data.progress);
      showWarnings(data.warnings);
    } else if (result.status === 409 && data.current !== undefined && data.current !== null) {
      status(box, data.message || msg.msgFailed);
      conflict(box, data.current, data.mine_text !== undefined ? data.mine_text : mineText, function () {
        if (versionInput) { versionInput.value = data.current.version === null ? "" : data.current.version; }
        retry();
      }, function () {
        if (versionInput) { versionInput.value = data.current.version === null ? "" : data.current.version; }
        take(data.current);
      });
    } else if (result.status === 422) {
      status(box, msg.msgFailed);
      Object.keys(data.errors || {}).forEach(function (name) {
        setError(id, name, data.errors[name], box);
      });
      Object.keys(data.options || {}).forEach(function (attribute) {
        setError(id, "options-" + attribute, data.options[attribute], box);
      });
      (data.other || []).forEach(function (text) { status(box, text); });
    } else {
      status(box, data.message || msg.msgFailed);
    }
    return data;
  }

  /* -- single fields ------------------------------------------------------------------ */
  function isChoice(input) { return input.type === "checkbox" || input.type === "radio"; }

  // The value as the server's field kind reads it: one, many (a list) or parts (a grid).
  function fieldValue(box) {
    var collect = box.dataset.qCollect, many = [], one = "", parts = {}, nulls = {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-q-input]"), function (input) {
      var sub = input.dataset.qSub;
      if (sub !== undefined) {
        if (input.dataset.qNull !== undefined) { if (input.checked) { nulls[sub] = true; } }
        else if (input.value.trim() !== "") { parts[sub] = input.value.trim(); }
        return;
      }
      if (isChoice(input) && !input.checked) { return; }
      many.push(input.value);
      one = input.value;
    });
    if (collect === "parts") {
      Object.keys(nulls).forEach(function (sub) { parts[sub] = null; });
      return parts;
    }
    return collect === "many" ? many : one;
  }

  function applyValue(box, current) {
    var name = box.dataset.name, value = current.value;
    var unknown = named(box, name + "__unknown");
    if (unknown) { unknown.checked = current.state === "unknown"; }
    Array.prototype.forEach.call(box.querySelectorAll("[data-q-input]"), function (input) {
      var sub = input.dataset.qSub;
      if (sub !== undefined) {
        var has = value && Object.prototype.hasOwnProperty.call(value, sub);
        if (input.dataset.qNull !== undefined) { input.checked = !!has && value[sub] === null; }
        else { input.value = has && value[sub] !== null ? value[sub] : ""; }
      } else if (isChoice(input)) {
        input.checked = Array.isArray(value) ? value.map(String).indexOf(input.value) >= 0
          : value !== null && value !== undefined && String(value) === input.value;
      } else {
        input.value = value === null || value === undefined ? "" : value;
      }
    });
  }

  /* The number rules of the server's field kinds (numbers.py), mirrored: a comma only
     between groups of three digits, a plain decimal number, whole where asked, within the
     field's range. Returns the field's message, or null when the entry may be sent. */
  var THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  function numberProblem(box, raw) {
    var rules = box.dataset;
    if (rules.qMin === undefined) { return null; }
    var text = raw.normalize("NFKC").replace(/[\s\u00a0\u2009\u202f]+/g, "");
    if (text === "") { return null; }
    if (text.indexOf(",") >= 0) {
      if (!THOUSANDS.test(text)) { return rules.qMsgComma; }
      text = text.replace(/,/g, "");
    }
    if (!NUMBER.test(text)) { return rules.qMsgNumber; }
    var number = Number(text);
    if (!isFinite(number)) { return null; }  // the server names a number too large
    if (rules.qWhole === "true" && Math.floor(number) !== number) { return rules.qMsgNumber; }
    if (number < Number(rules.qMin) || (rules.qMax !== undefined && number > Number(rules.qMax))) {
      return rules.qMsgRange;
    }
    return null;
  }

  // {error element name: message} of the box's typed numbers that the server would refuse
  function localProblems(box) {
    var found = {}, refused = {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-q-input][data-q-null]:checked"), function (none) {
      refused[none.dataset.qSub] = true;  // "not owned": its share is not sent
    });
    Array.prototype.forEach.call(box.querySelectorAll("[data-q-input]"), function (input) {
      if (isChoice(input) || (input.dataset.qSub !== undefined && refused[input.dataset.qSub])) { return; }
      var problem = numberProblem(box, input.value);
      if (problem) { found[input.dataset.qSub !== undefined ? input.id : box.dataset.name] = problem; }
    });
    return found;
  }

  function shownValue(box, value, state) {
    if (state === "unknown") { return labelOf(named(box, box.dataset.name + "__unknown")); }
    if (Array.isArray(value)) { return value.length ? value.join("、") : "—"; }
    if (value && typeof value === "object") {
      return Object.keys(value).map(function (sub) { return sub + ": " + (value[sub] === null ? "—" : value[sub]); }).join("; ") || "—";
    }
    return value === "" || value === null || value === undefined ? "—" : String(value);
  }

  function labelOf(input) {
    var label = input && input.closest("label");
    return label ? label.textContent.trim() : (input ? input.value : "");
  }

  function rowsText(key, rows) {
    return rows.map(function (entry) {
      return key === "energy" ? [entry.carrier || "?", entry.quantity || "", entry.unit || ""].join(" ").trim()
        : (entry.gas || "?") + " " + (entry.tonnes || "") + " t";
    }).join("; ") || "—";
  }

  function saveField(box) {
    var key = box.dataset.key, name = box.dataset.name;
    var unknown = named(box, name + "__unknown");
    var versionInput = named(box, name + "__version");
    var value, state;
    var problems = unknown && unknown.checked ? {} : localProblems(box);
    if (Object.keys(problems).length) {
      clearErrors(key);
      Object.keys(problems).forEach(function (target) { setError(key, target, [problems[target]], box); });
      status(box, msg.msgFailed);
      return;
    }
    status(box, msg.msgSaving);
    post(form.dataset.autosaveUrl, function () {
      value = fieldValue(box);
      state = unknown && unknown.checked ? "unknown" : "answered";
      return {key: key, value: value, state: state, version: versionOf(versionInput)};
    }).then(function (result) {
      handle(key, box, result, versionInput, function () { saveField(box); },
             function (current) { applyValue(box, current); status(box, ""); },
             shownValue(box, value, state));
    }, function () { status(box, msg.msgOffline); });
  }

  Array.prototype.forEach.call(form.querySelectorAll(".q-field[data-key]"), function (box) {
    var later = function () { schedule("f:" + box.dataset.key, function () { saveField(box); }); };
    box.addEventListener("input", later);
    box.addEventListener("change", later);
  });

  /* -- not applicable ----------------------------------------------------------------- */
  function saveNotApplicable(box) {
    var code = box.dataset.code;
    var name = "na__" + code.replace(/\./g, "__");
    var flag = named(box, name), reason = named(box, name + "__reason");
    var versionInput = named(box, name + "__version");
    status(box, msg.msgSaving);
    post(form.dataset.naUrl, function () {
      return {code: code, not_applicable: !!(flag && flag.checked),
              reason: reason ? reason.value : "", version: versionOf(versionInput)};
    }).then(function (result) {
      handle("na:" + code, box, result, versionInput, function () { saveNotApplicable(box); },
             function () { window.location.reload(); },
             flag && flag.checked ? (reason ? reason.value : "") : "—");
    }, function () { status(box, msg.msgOffline); });
  }
  Array.prototype.forEach.call(form.querySelectorAll(".q-na[data-code]"), function (box) {
    // ticking "not applicable" reveals the reason (CSS shows it by :has as well)
    var toggle = box.querySelector("[data-na-toggle]");
    if (toggle) {
      toggle.addEventListener("change", function () {
        box.classList.toggle("q-na-open", toggle.checked);
        toggle.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
        var reason = box.querySelector("textarea");
        if (toggle.checked && reason) { reason.focus(); }
      });
    }
    var later = function () { schedule("na:" + box.dataset.code, function () { saveNotApplicable(box); }); };
    box.addEventListener("input", later);
    box.addEventListener("change", later);
  });

  /* -- energy rows and options ---------------------------------------------------------- */
  var ATTRIBUTES = {energy: ["carrier", "quantity", "unit", "kgce_per_unit", "source"],
                    process_emissions: ["gas", "tonnes"]};

  function rowsOf(table) {
    var key = table.dataset.key, prefix = table.dataset.prefix, sent = [], shown = [];
    Array.prototype.forEach.call(table.querySelectorAll("tr.q-row"), function (tr) {
      var i = tr.dataset.index, remove = named(tr, prefix + "-" + i + "-remove");
      if (remove && remove.checked) { return; }
      var entry = {}, any = false;
      ATTRIBUTES[key].forEach(function (attribute) {
        var input = named(tr, prefix + "-" + i + "-" + attribute);
        if (input && input.value.trim() !== "") { entry[attribute] = input.value.trim(); any = true; }
      });
      if (any) { sent.push(entry); shown.push(tr); }
    });
    return {value: sent, rows: shown};
  }

  function saveRows(table) {
    var key = table.dataset.key, prefix = table.dataset.prefix;
    var box = table.closest(".q-energy");
    var versionInput = form.querySelector('input[data-version-for="' + key + '"]');
    var collected;
    status(box, msg.msgSaving);
    post(form.dataset.autosaveUrl, function () {
      collected = rowsOf(table);
      return {key: key, value: collected.value, version: versionOf(versionInput)};
    }).then(function (result) {
      var data = handle(key, box, result, versionInput, function () { saveRows(table); },
                        function () { window.location.reload(); },
                        rowsText(key, collected.value));
      var rows = (data.rows || {})[key] || {};
      Object.keys(rows).forEach(function (index) {
        var tr = collected.rows[parseInt(index, 10)];
        if (!tr) { return; }
        Object.keys(rows[index]).forEach(function (attribute) {
          setError(key, prefix + "-" + tr.dataset.index + "-" + attribute, rows[index][attribute], tr);
        });
      });
    }, function () { status(box, msg.msgOffline); });
  }

  Array.prototype.forEach.call(form.querySelectorAll("table.q-rows"), function (table) {
    var later = function (event) {
      var target = event.target;
      if (target && /-remove$/.test(target.name || "") && target.checked) {
        target.closest("tr").classList.add("removed");
      }
      schedule("rows:" + table.dataset.key, function () { saveRows(table); });
    };
    table.addEventListener("input", later);
    table.addEventListener("change", later);
  });

  Array.prototype.forEach.call(form.querySelectorAll(".js-add-row"), function (button) {
    button.addEventListener("click", function () {
      var table = form.querySelector('table.q-rows[data-key="' + button.dataset.for + '"]');
      var rows = table.querySelectorAll("tr.q-row");
      var last = rows[rows.length - 1];
      var next = 0;
      Array.prototype.forEach.call(rows, function (tr) {
        next = Math.max(next, parseInt(tr.dataset.index, 10) + 1);
      });
      var copy = last.cloneNode(true);
      var old = last.dataset.index, prefix = table.dataset.prefix;
      copy.dataset.index = String(next);
      copy.classList.remove("removed", "has-error");
      Array.prototype.forEach.call(copy.querySelectorAll("p.error"), function (p) { p.remove(); });
      Array.prototype.forEach.call(copy.querySelectorAll("input, select"), function (input) {
        input.name = input.name.replace(prefix + "-" + old + "-", prefix + "-" + next + "-");
        if (input.id) { input.id = input.id.replace(prefix + "-" + old + "-", prefix + "-" + next + "-"); }
        if (input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
      });
      last.parentNode.appendChild(copy);
    });
  });

  var options = form.querySelector(".q-options[data-key]");
  if (options) {
    var saveOptions = function () {
      var value = {};
      var versionInput = form.querySelector('input[data-version-for="options"]');
      status(options, msg.msgSaving);
      post(form.dataset.autosaveUrl, function () {
        value = {};
        Array.prototype.forEach.call(options.querySelectorAll('[name^="options-"]'), function (input) {
          if (input.value.trim() !== "") { value[input.name.slice("options-".length)] = input.value.trim(); }
        });
        return {key: "options", value: value, version: versionOf(versionInput)};
      }).then(function (result) {
        handle("options", options, result, versionInput, saveOptions,
               function () { window.location.reload(); },
               Object.keys(value).map(function (k) { return k + "=" + value[k]; }).join("; ") || "—");
      }, function () { status(options, msg.msgOffline); });
    };
    var laterOptions = function () { schedule("options", saveOptions); };
    options.addEventListener("input", laterOptions);
    options.addEventListener("change", laterOptions);
  }
}());
