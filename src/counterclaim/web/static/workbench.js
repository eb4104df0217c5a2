/* counterclaim workbench: the only script of the pages (no inline scripts, no external code).
 * Document view: hovering or clicking a highlight shows the fields of the records that cover it (copied from the
 * server-rendered record cards, never built from strings); the legend chips toggle a type's highlight.
 * Review queue (/review): j/k move, c confirm, x reject (with a reason), e correct, a add the selected text; decisions
 * are posted as JSON to /api/review/{id} and /api/review/add (only with --allow-edit). */
(function () {
  "use strict";

  function recordCards(mark) {
    var ids = (mark.getAttribute("data-rec") || "").split(" ");
    var cards = [];
    ids.forEach(function (id) {
      var card = id && document.getElementById("rec-" + id);
      if (card) { cards.push(card); }
    });
    return cards;
  }

  function show(mark, pin) {
    var pop = document.getElementById("popover");
    if (!pop) { return; }
    while (pop.firstChild) { pop.removeChild(pop.firstChild); }
    recordCards(mark).forEach(function (card) {
      var copy = card.cloneNode(true);
      copy.removeAttribute("id");
      copy.classList.add("copy");
      pop.appendChild(copy);
    });
    pop.hidden = pop.childNodes.length === 0;
    document.querySelectorAll("mark.hl.active").forEach(function (m) { m.classList.remove("active"); });
    mark.classList.add("active");
    if (pin) {
      document.querySelectorAll(".rec.current").forEach(function (c) { c.classList.remove("current"); });
      recordCards(mark).forEach(function (c) { c.classList.add("current"); });
    }
  }

  function setupDocument() {
    var text = document.getElementById("doctext");
    if (!text) { return; }
    text.addEventListener("mouseover", function (ev) {
      var mark = ev.target.closest && ev.target.closest("mark.hl");
      if (mark) { show(mark, false); }
    });
    text.addEventListener("click", function (ev) {
      var mark = ev.target.closest && ev.target.closest("mark.hl");
      if (mark) { show(mark, true); }
    });
    text.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && ev.target.matches && ev.target.matches("mark.hl")) { show(ev.target, true); }
    });
    document.querySelectorAll("[data-toggle-type]").forEach(function (chip) {
      chip.addEventListener("click", function () {
        var type = chip.getAttribute("data-toggle-type");
        chip.classList.toggle("off");
        text.classList.toggle("hide-" + type);
      });
    });
    // a link to #rec-<id> highlights that record's span
    var hash = window.location.hash;
    if (hash && hash.indexOf("#rec-") === 0) {
      var id = hash.slice(5);
      var mark = Array.prototype.find.call(document.querySelectorAll("mark.hl"), function (m) {
        return (m.getAttribute("data-rec") || "").split(" ").indexOf(id) >= 0;
      });
      if (mark) { show(mark, true); mark.scrollIntoView({block: "center"}); }
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (data) {
        if (!resp.ok) { throw new Error(data && data.error ? data.error.message : "HTTP " + resp.status); }
        return data;
      });
    });
  }

  function parseLines(text) {
    var out = {};
    text.split("\n").forEach(function (line) {
      if (!line.trim()) { return; }
      var i = line.indexOf("=");
      if (i < 0) { out[line.trim()] = ""; return; }
      out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    });
    return out;
  }

  function showError(box, err) {
    var p = box.querySelector(".error");
    if (p) { p.textContent = err.message; p.hidden = false; }
  }

  function setupReview() {
    var queue = document.getElementById("queue");
    if (!queue) { return; }
    var editable = queue.getAttribute("data-edit") === "true";
    var current = null;
    function items() { return Array.prototype.slice.call(queue.querySelectorAll(".qitem")); }
    function select(el) {
      if (!el) { return; }
      if (current) { current.classList.remove("current"); }
      current = el;
      el.classList.add("current");
      el.scrollIntoView({block: "nearest"});
    }
    function move(step) {
      var list = items();
      var i = list.indexOf(current);
      select(list[Math.max(0, Math.min(list.length - 1, i + step))] || list[0]);
    }
    var hash = window.location.hash;
    select((hash.indexOf("#q-") === 0 && document.getElementById(hash.slice(1))) || items()[0]);
    var analyst = document.getElementById("analyst");
    if (analyst) {
      analyst.value = window.localStorage.getItem("cc-analyst") || "";
      analyst.addEventListener("change", function () { window.localStorage.setItem("cc-analyst", analyst.value.trim()); });
    }
    function who() { return analyst && analyst.value.trim() ? analyst.value.trim() : null; }
    function closeForms(item) {
      item.querySelectorAll("form").forEach(function (f) { f.hidden = true; });
    }
    function bump(doc) {
      document.querySelectorAll("#progress li").forEach(function (li) {
        if (li.getAttribute("data-doc") !== doc) { return; }
        var n = parseInt(li.getAttribute("data-reviewed"), 10) + 1;
        li.setAttribute("data-reviewed", String(n));
        li.querySelector(".count").textContent = n + " of " + li.getAttribute("data-records") + " reviewed";
      });
    }
    function done(item, data) {
      var was = item.getAttribute("data-status");
      item.setAttribute("data-status", data.status);
      item.className = item.className.replace(/\bstatus-\S+/, "status-" + data.status);
      item.querySelector(".status").textContent = data.status;
      item.querySelector(".who").textContent = (data.reviewed_by || "") + " " + (data.reviewed_at || "");
      item.querySelectorAll("dd[data-field]").forEach(function (dd) {
        var v = data[dd.getAttribute("data-field")];
        if (v === undefined) { return; }
        dd.textContent = Array.isArray(v) ? v.join(", ") : (v === null ? "" : String(v));
      });
      if (was === "machine") { bump(item.getAttribute("data-doc")); }
      if (document.activeElement && item.contains(document.activeElement)) { document.activeElement.blur(); }
      closeForms(item);
      var err = item.querySelector(".error");
      if (err) { err.hidden = true; }
      move(1);
    }
    function decide(item, action, extra) {
      var body = {action: action, by: who()};
      Object.keys(extra).forEach(function (k) { body[k] = extra[k]; });
      return post("/api/review/" + encodeURIComponent(item.getAttribute("data-id")), body)
        .then(function (data) { done(item, data); })
        .catch(function (err) { showError(item, err); });
    }
    function openForm(item, cls) {
      closeForms(item);
      var f = item.querySelector("form." + cls);
      if (!f) { return; }
      f.hidden = false;
      var ta = f.querySelector("textarea");
      if (ta && ta.getAttribute("data-initial") === null) { ta.setAttribute("data-initial", ta.value); }
      (ta || f.querySelector("input")).focus();
    }
    queue.addEventListener("click", function (ev) {
      var item = ev.target.closest && ev.target.closest(".qitem");
      if (!item) { return; }
      if (item !== current) { select(item); }
      var button = ev.target.closest("button[data-review]");
      if (!button || !editable) { return; }
      var action = button.getAttribute("data-review");
      if (action === "confirm") { decide(item, "confirm", {}); }
      else { openForm(item, action === "reject" ? "reject-form" : "correct-form"); }
    });
    queue.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target;
      var item = f.closest(".qitem");
      var reason = f.querySelector("input[name=reason]").value.trim() || null;
      if (f.classList.contains("reject-form")) { decide(item, "reject", {reason: reason}); return; }
      var ta = f.querySelector("textarea");
      var now = parseLines(ta.value);
      var before = parseLines(ta.getAttribute("data-initial") || "");
      var changes = {};
      Object.keys(now).forEach(function (k) { if (now[k] !== before[k]) { changes[k] = now[k]; } });
      decide(item, "correct", {set: changes, reason: reason});
    });
    var pane = document.getElementById("review-text");
    var addForm = document.getElementById("add-form");
    var selection = null;
    function fillTemplate() {
      var type = addForm.querySelector("select[name=type]").value;
      var tpl = addForm.querySelector('template[data-type="' + type + '"]');
      addForm.querySelector("textarea").value = tpl ? tpl.content.textContent : "";
    }
    function openAdd() {
      if (!pane || !addForm) { return; }
      var sel = window.getSelection();
      if (!sel || !sel.rangeCount || sel.isCollapsed) { return; }
      var range = sel.getRangeAt(0);
      if (!pane.contains(range.startContainer) || !pane.contains(range.endContainer)) { return; }
      var before = document.createRange();
      before.selectNodeContents(pane);
      before.setEnd(range.startContainer, range.startOffset);
      var start = before.toString().length;
      var text = range.toString();
      selection = {start: start, end: start + text.length};
      addForm.hidden = false;
      addForm.querySelector(".where").textContent = selection.start + "–" + selection.end;
      addForm.querySelector(".selected").textContent = text;
      fillTemplate();
      addForm.querySelector("textarea").focus();
    }
    if (addForm) {
      addForm.querySelector("select[name=type]").addEventListener("change", fillTemplate);
      addForm.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!selection) { return; }
        post("/api/review/add", {
          doc: pane.getAttribute("data-doc"), type: addForm.querySelector("select[name=type]").value,
          start: selection.start, end: selection.end, set: parseLines(addForm.querySelector("textarea").value),
          reason: addForm.querySelector("input[name=reason]").value.trim() || null, by: who()
        }).then(function (data) {
          var err = addForm.querySelector(".error");
          err.hidden = false;
          err.textContent = "added " + data.type + " " + data.id;
          err.classList.add("ok");
          addForm.setAttribute("data-added", data.id);
        }).catch(function (err) { addForm.querySelector(".error").classList.remove("ok"); showError(addForm, err); });
      });
    }
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      var typing = t && t.matches && t.matches("input, textarea, select");
      if (ev.key === "Escape") {
        if (current) { closeForms(current); }
        if (addForm) { addForm.hidden = true; }
        if (typing) { t.blur(); }
        return;
      }
      if (typing) {
        if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && t.form) { ev.preventDefault(); t.form.requestSubmit(); }
        return;
      }
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      var key = ev.key;
      if (key === "j" || key === "n") { move(1); }
      else if (key === "k" || key === "p") { move(-1); }
      else if (!editable) { return; }
      else if (key === "c" && current) { decide(current, "confirm", {}); }
      else if (key === "x" && current) { openForm(current, "reject-form"); }
      else if (key === "e" && current) { openForm(current, "correct-form"); }
      else if (key === "a") { openAdd(); }
      else { return; }
      ev.preventDefault();
    });
  }

  function setupIncidentDecision() {
    var form = document.querySelector("form.incident-decision");
    if (!form) { return; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var action = form.elements.action.value, value = form.elements.value.value.trim();
      var body = { action: action };
      if (action === "rename") { body.label = value; }
      else if (action === "merge") { body.others = value.split(/\s+/); }
      else { body.docs = value.split(/\s+/); }
      fetch("/api/incidents/" + encodeURIComponent(form.dataset.incident) + "/decisions", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (!res.ok) { window.alert((res.data.error && res.data.error.message) || "refused"); return; }
          window.location.href = "/incidents/" + encodeURIComponent(res.data.incident.id);
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setupDocument(); setupReview(); setupIncidentDecision(); });
})();
