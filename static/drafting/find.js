// Find in the text of a page (the proposal editor, the consolidated draft, the synoptic view), by
// words or by label ("resolves 3", "considering e ix"): every hit highlighted, the current one
// brighter and scrolled to, stepped through with Enter / Shift+Enter or the buttons, "3 of 12"
// said in a live region. Highlights are drawn with the CSS Custom Highlight API, so the page's
// nodes are never changed (live updates and the editor's caret keep working); when the page's
// text changes (a live update), the search runs again. The words are in the template
// (_find_bar.html data attributes), for translation.
(function () {
  "use strict";
  const bar = document.getElementById("find-bar");
  if (!bar) return;
  const input = document.getElementById("find-in-page");
  const status = bar.querySelector(".find-status");
  const scope = document.querySelector(bar.dataset.scope);
  const ITEMS = bar.dataset.items;
  if (!scope || !input) return;
  const words = bar.dataset;
  const canHighlight = typeof Highlight === "function" && window.CSS && CSS.highlights;
  let hits = []; // {item, range (null for a hit by label)}
  let index = -1;
  let observer = null;
  let pending = null;
  bar.hidden = false;
  // Sticky heads below the bar (the synoptic view's column heads) stand under it, not behind it.
  function measure() {
    document.documentElement.style.setProperty("--find-bar-h", bar.offsetHeight + "px");
  }
  measure();
  if (window.ResizeObserver) new ResizeObserver(measure).observe(bar);

  // Text as a reader compares it: lower case, no-break spaces and hyphens as plain ones.
  function normal(text) {
    return text.toLowerCase().replace(/[\u00a0\u2007\u202f]/g, " ").replace(/[\u2010\u2011]/g, "-");
  }
  function labelWords(text) {
    return normal(text).replace(/[().,;:]/g, " ").split(/\s+/).filter(Boolean);
  }

  // A hit by label: the query's last words are the clause's labels ("3", "e ix") and the words
  // before them begin its part's heading ("resolves", "instructs the director").
  function byLabel(query) {
    const q = labelWords(query);
    if (q.length < 2) return [];
    const found = [];
    // A clause's full label is its ancestors' labels and its own ("e ix"), from the clauses before it.
    let chain = [];
    scope.querySelectorAll(ITEMS).forEach(function (item) {
      const depth = Number(item.dataset.depth || 0);
      chain = chain.slice(0, Math.max(0, depth - 1));
      while (chain.length < depth - 1) chain.push("");
      if (depth > 0) chain.push(item.dataset.findLabel || "");
      const labels = chain.every(Boolean) ? chain.slice() : [];
      if (!labels.length || labels.length >= q.length) return;
      const tail = q.slice(q.length - labels.length);
      if (tail.join(" ") !== labels.join(" ")) return;
      const part = labelWords(item.dataset.findPart || "");
      const head = q.slice(0, q.length - labels.length);
      if (head.every(function (w, i) { return part[i] === w || (i === head.length - 1 && part[i] && part[i].startsWith(w)); })) {
        found.push({ item: item, range: null });
      }
    });
    return found;
  }

  // Text nodes a reader sees in a clause: not the screen-reader words ("[deleted: "), not tools or forms.
  const SKIP = ".sr-only, .clause-tools, .tools-toggle, form, details.settle, .presence, .who, script, style, button";
  function textNodes(root) {
    const nodes = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    return nodes;
  }

  function byWords(query) {
    const needle = normal(query.trim()).replace(/\s+/g, " ");
    if (!needle) return [];
    const found = [];
    const items = scope.querySelectorAll(ITEMS);
    (items.length ? items : [scope]).forEach(function (item) {
      const nodes = textNodes(item);
      // The clause's text as one string, each character mapped back to its node and offset.
      let text = "";
      const map = [];
      nodes.forEach(function (node) {
        const value = normal(node.data).replace(/\s/g, " ");
        for (let i = 0; i < value.length; i++) map.push([node, i]);
        text += value;
      });
      const squeezed = [];
      let plain = "";
      for (let i = 0; i < text.length; i++) {
        if (text[i] === " " && plain.endsWith(" ")) continue; // runs of spaces count as one
        plain += text[i];
        squeezed.push(i);
      }
      let at = plain.indexOf(needle);
      while (at >= 0) {
        const start = map[squeezed[at]];
        const end = map[squeezed[at + needle.length - 1]];
        const range = document.createRange();
        range.setStart(start[0], start[1]);
        range.setEnd(end[0], end[1] + 1);
        found.push({ item: item, range: range });
        at = plain.indexOf(needle, at + needle.length);
      }
    });
    return found;
  }

  function paint() {
    scope.querySelectorAll(".find-label-hit").forEach(function (el) { el.classList.remove("find-label-hit", "find-current"); });
    scope.querySelectorAll(".find-current").forEach(function (el) { el.classList.remove("find-current"); });
    if (canHighlight) {
      CSS.highlights.delete("find-hit");
      CSS.highlights.delete("find-current");
    }
    const ranges = hits.filter(function (h) { return h.range; }).map(function (h) { return h.range; });
    if (canHighlight && ranges.length) CSS.highlights.set("find-hit", new Highlight(...ranges));
    hits.forEach(function (h) { if (!h.range) h.item.classList.add("find-label-hit"); });
    const hit = hits[index];
    if (hit) {
      if (hit.range && canHighlight) CSS.highlights.set("find-current", new Highlight(hit.range));
      hit.item.classList.add("find-current");
    }
    bar.dataset.hits = String(hits.length);
    bar.dataset.current = String(index + 1);
  }

  function say() {
    const query = input.value.trim();
    if (!query) status.textContent = "";
    else if (!hits.length) status.textContent = words.none;
    else status.textContent = words.count.replace("%(current)s", index + 1).replace("%(total)s", hits.length);
  }

  function show() {
    const hit = hits[index];
    if (!hit) return;
    const target = hit.range ? hit.range.startContainer.parentElement : hit.item;
    target.scrollIntoView({ block: "center", behavior: "instant" });
    document.dispatchEvent(new CustomEvent("room:select", { detail: { element: hit.item, how: "find" } }));
  }

  let searchedFor = null;
  function search(keepPlace) {
    const query = input.value;
    searchedFor = query;
    const before = hits[index];
    hits = query.trim() ? byLabel(query).concat(byWords(query)) : [];
    index = hits.length ? 0 : -1;
    if (keepPlace && before) {
      // After a live update: stay on the same clause if it still has a hit.
      const same = hits.findIndex(function (h) { return h.item.id && h.item.id === before.item.id; });
      if (same >= 0) index = same;
    }
    paint();
    say();
    if (!keepPlace) show();
    watch();
  }

  function move(direction) {
    if (!hits.length) return;
    index = (index + direction + hits.length) % hits.length;
    paint();
    say();
    show();
  }

  // The page's text changes under a live update: the search runs again (once things settle).
  function watch() {
    if (observer || !window.MutationObserver) return;
    observer = new MutationObserver(function (records) {
      if (!input.value.trim()) return;
      if (records.every(function (r) { return bar.contains(r.target); })) return;
      window.clearTimeout(pending);
      pending = window.setTimeout(function () { search(true); }, 150);
    });
    observer.observe(scope, { childList: true, subtree: true, characterData: true });
  }

  let typed = null;
  input.addEventListener("input", function () {
    window.clearTimeout(typed);
    typed = window.setTimeout(function () { search(false); }, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      window.clearTimeout(typed);
      if (hits.length && input.value === searchedFor) move(event.shiftKey ? -1 : 1);
      else search(false);
    } else if (event.key === "Escape") {
      input.value = "";
      search(false);
      input.blur();
    }
  });
  bar.querySelector("[data-find=next]").addEventListener("click", function () { move(1); });
  bar.querySelector("[data-find=previous]").addEventListener("click", function () { move(-1); });
  bar.addEventListener("submit", function (event) {
    event.preventDefault();
    search(false);
  });
  // F3 and Shift+F3 step through the hits, as in a word processor, wherever the focus is.
  document.addEventListener("keydown", function (event) {
    if (event.key === "F3" && hits.length) {
      event.preventDefault();
      move(event.shiftKey ? -1 : 1);
    }
  });
  // Searched with the page: ?find=resolves%203 (a link from elsewhere, or the page reloaded).
  const asked = new URLSearchParams(window.location.search).get("find");
  if (asked) {
    input.value = asked;
    search(false);
  }
})();
