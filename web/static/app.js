// smtpoauth console behaviour. No inline scripts anywhere: this file is all the page's own JavaScript.
(function () {
  "use strict";

  // The page's words come from the server in the reader's language (data-msg-* on <body>).
  function msg(name) { return document.body.getAttribute("data-msg-" + name) || name; }

  function flash(message) {
    var el = document.getElementById("flash");
    if (!el) return;
    el.textContent = message;
    el.classList.add("shown");
  }

  // Copy buttons: the text stays selectable for people without a clipboard API.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-copy], button[data-copy-text]");
    if (!btn) return;
    // data-copy names an element whose text is copied; data-copy-text is the text itself.
    var text = btn.getAttribute("data-copy-text");
    if (text === null) {
      var src = document.getElementById(btn.getAttribute("data-copy"));
      text = src ? src.textContent : null;
    }
    if (text === null || !navigator.clipboard) return;
    navigator.clipboard.writeText(text).then(function () {
      var label = btn.textContent;
      btn.textContent = msg("copied");
      setTimeout(function () { btn.textContent = label; }, 1500);
    }, function () { flash(msg("copy-failed")); });
  });

  // htmx errors are shown, never swallowed.
  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail.xhr;
    flash(msg("answered") + " " + xhr.status + ": " + (xhr.responseText || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 300));
  });
  document.addEventListener("htmx:sendError", function () {
    flash(msg("unreachable"));
  });
  document.addEventListener("htmx:sseError", function () {
    flash(msg("stream"));
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var el = document.getElementById("flash");
    if (el) { el.textContent = ""; el.classList.remove("shown"); }
  });

  // A GUID pasted as the client secret is almost always the Secret ID, not its Value: say so
  // before the form is sent (the server notes it too, after saving).
  var guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  document.addEventListener("input", function (ev) {
    if (ev.target.id !== "secret") return;
    var note = document.getElementById("secret-guid");
    if (!note) return;
    var looks = guid.test(ev.target.value.trim());
    note.hidden = !looks;
    describe(ev.target, "secret-guid", looks);
  });

  function describe(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
  }

  // Step 1's check answers with a list of errors: the first one's field gets the focus, marked
  // invalid and described by its message, as after a refused submit without JavaScript.
  document.addEventListener("htmx:afterSettle", function (ev) {
    if (!ev.detail.target || ev.detail.target.id !== "token-check") return;
    document.querySelectorAll("[data-token-error]").forEach(function (el) {
      el.removeAttribute("data-token-error");
      if (!el.closest(".field.has-error")) el.removeAttribute("aria-invalid");
      describe(el, "token-error-" + el.id, false);
    });
    var links = ev.detail.target.querySelectorAll("a[data-field]");
    links.forEach(function (a, i) {
      var field = document.getElementById(a.getAttribute("data-field"));
      if (!field) return;
      a.id = "token-error-" + field.id;
      field.setAttribute("data-token-error", "");
      field.setAttribute("aria-invalid", "true");
      describe(field, a.id, true);
      if (i === 0) {
        var closed = field.closest("details");
        if (closed) closed.open = true;
        field.focus();
      }
    });
  });
})();
