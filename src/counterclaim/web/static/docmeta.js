/* counterclaim workbench, edit mode: the document page's metadata correction form posts the changed fields as JSON
 * to /api/documents/{id}/meta (stored beside the extracted values; see 'counterclaim fix-meta'). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("meta-edit");
    if (!form) { return; }
    var initial = {};
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name) { initial[el.name] = el.value; } });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value.trim() && (el.name === "note" || el.value !== initial[el.name])) { body[el.name] = el.value; }
      });
      var status = form.querySelector(".meta-edit-status");
      if (Object.keys(body).filter(function (k) { return k !== "note"; }).length === 0) {
        status.textContent = "nothing changed";
        return;
      }
      fetch("/api/documents/" + encodeURIComponent(form.getAttribute("data-doc")) + "/meta", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)
      }).then(function (resp) {
        return resp.json().then(function (data) {
          if (!resp.ok) { throw new Error((data.error && data.error.message) || ("HTTP " + resp.status)); }
          window.location.reload();
        });
      }).catch(function (err) { status.textContent = "failed: " + err.message; });
    });
  });
})();
