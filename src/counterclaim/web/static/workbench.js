/* counterclaim workbench: the only script of the pages (no inline scripts, no external code).
 * Document view: hovering or clicking a highlight shows the fields of the records that cover it (copied from the
 * server-rendered record cards, never built from strings); the legend chips toggle a type's highlight.
 * With --allow-edit: reject / restore buttons post JSON to /api/records/{id}. */
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

  function setupEdits() {
    document.querySelectorAll("button[data-action=reject]").forEach(function (button) {
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-id");
        var rejected = button.getAttribute("data-rejected") === "true";
        fetch("/api/records/" + encodeURIComponent(id), {
          method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json"},
          body: JSON.stringify({rejected: rejected})
        }).then(function (resp) {
          if (!resp.ok) { throw new Error("HTTP " + resp.status); }
          window.location.reload();
        }).catch(function (err) { button.textContent = "failed: " + err.message; });
      });
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

  document.addEventListener("DOMContentLoaded", function () { setupDocument(); setupEdits(); setupIncidentDecision(); });
})();
