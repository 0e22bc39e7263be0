// pagecheck: what a person would notice about a page's layout, measured in the browser.
// Returns {busy, problems}: busy while the document loads or htmx swaps, so the caller waits
// instead of sampling a half-swapped page; problems lists sideways overflow a person would see.
(() => {
  const busy = document.readyState !== "complete" ||
    document.querySelector(".htmx-request, .htmx-settling, .htmx-swapping, .htmx-added") !== null;
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const tid = el.getAttribute("data-testid");
    if (tid) s += '[data-testid="' + tid + '"]';
    if (el.classList.length) s += "." + [...el.classList].join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return text ? s + ' ("' + text + '")' : s;
  };
  const sw = document.documentElement.scrollWidth;
  if (sw > vw) problems.push("the page is " + sw + " px wide in a " + vw + " px viewport");
  // An element clipped by an ancestor that itself fits is not seen beyond the edge; if that
  // ancestor scrolls sideways, the scroller check below reports it instead.
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible") return a.getBoundingClientRect().right <= vw + 1;
    }
    return false;
  };
  const offenders = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden") continue;
    // The content of a closed <details> keeps its boxes but is not shown.
    if (el.checkVisibility && !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    if ((cs.overflowX === "auto" || cs.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      problems.push(describe(el) + " scrolls sideways: " + el.scrollWidth + " px of content in " + el.clientWidth + " px");
    }
    if (r.right > vw + 1 && !clipped(el)) {
      // Report the outermost offender only: its children follow it past the edge.
      if (el.parentElement && offenders.has(el.parentElement)) { offenders.add(el); continue; }
      offenders.add(el);
      problems.push(describe(el) + " ends at " + Math.round(r.right) + " px, beyond the " + vw + " px viewport");
    }
  }
  return { busy: busy, problems: problems.slice(0, 12) };
})()
