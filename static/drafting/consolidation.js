// The synoptic view follows the secretariat's decisions live: when the live channel (live.js)
// says the consolidation changed, the progress bar and the rows are fetched again (for readers
// from a copy rendered once for everyone) and swapped in row by row, in place. A row someone is
// working in (the focus in it, its settle form opened or filled in, an answer awaited) stays as it
// is, where it is: moving it would take the focus away and lose the opened form.
(function () {
  "use strict";
  const live = document.getElementById("consolidation-live");
  if (!live) return;
  const personal = !live.dataset.refreshUrl.startsWith("/live/");
  let last = 0;
  let fetching = false;
  let again = false;

  // The version of the consolidation the page shows; a settle answered in place moves it on when
  // nothing else happened in between (the bar says what it moved on from), so that the page does
  // not fetch itself again for its own settle.
  function barVersion(bar) {
    return bar ? Number(bar.dataset.version || 0) : 0;
  }
  let known = barVersion(document.getElementById("cons-bar"));
  // An event that comes while a settle of this page's is on its way waits for its answer: it may
  // be that settle's own.
  let settling = 0;
  let waiting = 0;
  function isSettle(event) {
    const elt = event.detail && event.detail.elt;
    return Boolean(elt && elt.matches && elt.matches("form.settle-form"));
  }
  function afterSettling() {
    if (settling || !waiting) return;
    const version = waiting;
    waiting = 0;
    if (version > known) refresh();
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (isSettle(event)) settling += 1;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!isSettle(event)) return;
    settling = Math.max(0, settling - 1);
    window.setTimeout(afterSettling, 100); // an answer that swapped nothing (an error) settles nothing
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    const bar = document.getElementById("cons-bar");
    if (bar && bar.dataset.since !== undefined && Number(bar.dataset.since) === known) {
      known = barVersion(bar);
      delete bar.dataset.since;
    }
    afterSettling();
  });

  function dirty(row) {
    return Array.from(row.querySelectorAll("input, textarea")).some(function (field) {
      if (field.type === "radio" || field.type === "checkbox") return field.checked !== field.defaultChecked;
      if (field.type === "hidden") return false;
      return field.value !== field.defaultValue;
    });
  }

  function inWork(row, twin) {
    if (row.contains(document.activeElement) && document.activeElement !== document.body) return true;
    if (row.matches(".htmx-request") || row.querySelector(".htmx-request")) return true;
    const details = row.querySelector("details.settle");
    const freshDetails = twin ? twin.querySelector("details.settle") : null;
    if (details && details.open && !(freshDetails && freshDetails.open)) return true;
    return dirty(row);
  }

  function swap(html) {
    swapDoc(new DOMParser().parseFromString(html, "text/html"));
  }

  // The rows a change touched, with the bar and the order of all the rows (sent by the stream:
  // drafting/live/copies.py, pushed_consolidation): the page's own rows fill in the rest, then it
  // is swapped in as a fetched copy is. False when the page is not at the version the rows are
  // from, or lacks a row: it fetches its copy then.
  function mergeDelta(delta) {
    const shown = document.getElementById("synoptic");
    if (!shown || Number(delta.dataset.since) !== known) return false;
    // Rendered once for every reader, in one language: a page in another fetches its own copy.
    if (delta.dataset.language !== document.documentElement.lang) return false;
    const doc = document.implementation.createHTMLDocument("");
    const fresh = shown.cloneNode(false);
    const head = shown.querySelector(":scope > .syn-head");
    if (head) fresh.append(head.cloneNode(true));
    const sent = {};
    delta.querySelectorAll(":scope > .syn-row").forEach(function (row) { sent[row.id] = row; });
    for (const id of (delta.dataset.order || "").split(" ").filter(Boolean)) {
      const row = sent[id] || document.getElementById(id);
      if (!row) return false;
      fresh.append(sent[id] ? row : row.cloneNode(true));
    }
    const bar = delta.querySelector("#cons-bar");
    if (bar) doc.body.append(bar);
    doc.body.append(fresh);
    swapDoc(doc);
    return true;
  }

  function swapDoc(doc) {
    const bar = doc.getElementById("cons-bar");
    const current = document.getElementById("cons-bar");
    if (bar && current) {
      bar.removeAttribute("hx-swap-oob");
      current.replaceWith(bar);
      known = Math.max(known, barVersion(bar));
    }
    const fresh = doc.getElementById("synoptic");
    const shown = document.getElementById("synoptic");
    if (!fresh || !shown) return;
    const freshRows = Array.from(fresh.querySelectorAll(":scope > .syn-row"));
    const wanted = new Set(freshRows.map(function (row) { return row.id; }));
    // Rows the fresh page no longer shows leave, unless someone is working in them.
    shown.querySelectorAll(":scope > .syn-row").forEach(function (row) {
      if (!wanted.has(row.id) && !inWork(row, null)) row.remove();
    });
    // Then, in the fresh order, each row is kept (in work, or already where it belongs and the
    // same), replaced in place, or inserted after the one before it. A kept row is never moved.
    let previous = shown.querySelector(":scope > .syn-head");
    freshRows.forEach(function (twin) {
      const row = document.getElementById(twin.id);
      if (row && row.parentElement === shown) {
        if (!inWork(row, twin) && row.outerHTML !== twin.outerHTML) {
          row.replaceWith(twin);
          if (window.htmx) window.htmx.process(twin);
          previous = twin;
        } else {
          previous = row;
        }
        return;
      }
      if (previous) previous.after(twin);
      else shown.prepend(twin);
      if (window.htmx) window.htmx.process(twin);
      previous = twin;
    });
  }

  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      let url = live.dataset.refreshUrl;
      // A reader's copy is kept per language (the fetch carries no cookie): the page's.
      if (!personal) url += (url.includes("?") ? "&" : "?") + "at=" + last + "&lang=" + encodeURIComponent(document.documentElement.lang);
      // The pass in a header, not in the URL (access logs keep URLs).
      const response = await fetch(url, {
        credentials: personal ? "same-origin" : "omit",
        headers: personal ? {} : { "X-Live-Pass": live.dataset.livePass },
      });
      if (response.ok) swap(await response.text());
    } catch (e) {
      // The network comes and goes; the next event tries again.
    } finally {
      fetching = false;
    }
    if (again) {
      again = false;
      refresh();
    }
  }

  live.addEventListener("live:event", function (event) {
    if (event.detail.kind !== "changed") return;
    last = Math.max(last, Number(event.detail.id));
    const version = Number((event.detail.data || {}).version || 0);
    if (version && version <= known) return; // the page has it already (its own settle)
    if (settling) {
      waiting = Math.max(waiting, version || Number.MAX_SAFE_INTEGER);
      return;
    }
    // A reader's page may be sent what the change did to its rows with the event (rendered once by
    // the stream server for every reader with the same filter and layout): nothing to fetch then.
    if (!personal && event.detail.copy && !fetching) {
      const doc = new DOMParser().parseFromString(event.detail.copy, "text/html");
      const delta = doc.getElementById("consolidation-delta");
      if (delta && mergeDelta(delta)) return;
    }
    refresh();
  });
})();
