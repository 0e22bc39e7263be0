// The run page: counts the seconds a live run has waited, and filters, searches and copies the
// transcript. Without JavaScript the page shows the same lines as a plain list.
(function () {
  "use strict";

  // The wait line is replaced with each transcript line; a new one starts counting from the
  // elapsed time the server put in it.
  function tick() {
    var el = document.querySelector("#running .wait-elapsed");
    if (!el) return;
    if (!el.dataset.t0) el.dataset.t0 = String(Date.now() - Number(el.getAttribute("data-elapsed-ms") || 0));
    var secs = Math.floor((Date.now() - Number(el.dataset.t0)) / 1000);
    el.textContent = (el.getAttribute("data-format") || "%s").replace("%s", String(secs));
  }
  setInterval(tick, 1000);

  var tools = document.querySelector(".transcript-tools");
  var list = document.getElementById("transcript");
  if (!tools || !list) return;
  tools.hidden = false;
  var search = tools.querySelector(".tr-search");
  var count = tools.querySelector(".tr-count");

  function shown(dir) {
    var box = tools.querySelector('input[type=checkbox][value="' + dir + '"]');
    return !box || box.checked;
  }

  // apply hides the lines of unticked kinds and those without the search text.
  function apply() {
    var q = search.value.trim().toLowerCase();
    var lines = list.querySelectorAll("li.ev");
    var visible = 0;
    lines.forEach(function (li) {
      var dir = li.classList.contains("ev-client") ? "client" : li.classList.contains("ev-server") ? "server" : "info";
      var text = (li.querySelector(".text") || li).textContent.toLowerCase();
      var hide = !shown(dir) || (q !== "" && text.indexOf(q) < 0);
      li.classList.toggle("tr-hidden", hide);
      if (!hide) visible++;
    });
    count.textContent = (tools.getAttribute("data-shown") || "%d/%d").replace("%d", String(visible)).replace("%d", String(lines.length));
  }
  tools.addEventListener("change", apply);
  search.addEventListener("input", apply);
  // Lines streamed in later obey the same filter.
  new MutationObserver(apply).observe(list, { childList: true });
  apply();

  // Copy the lines shown, as the downloaded transcript writes them: time, marker, text.
  tools.querySelector(".tr-copy").addEventListener("click", function (ev) {
    var btn = ev.currentTarget;
    var out = [];
    list.querySelectorAll("li.ev:not(.tr-hidden)").forEach(function (li) {
      var t = li.querySelector(".t"), d = li.querySelector(".dir"), x = li.querySelector(".text");
      var marker = d ? d.firstChild.textContent : "";
      out.push((t ? t.textContent : "") + " " + marker + " " + (x ? x.textContent : ""));
    });
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(out.join("\n") + "\n").then(function () {
      var label = btn.textContent;
      btn.textContent = tools.getAttribute("data-copied") || label;
      setTimeout(function () { btn.textContent = label; }, 1500);
    });
  });
})();
