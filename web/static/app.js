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
})();
