// The synoptic view follows the secretariat's decisions live: when the live channel (live.js)
// says the consolidation changed, the progress bar and the rows are fetched again (for readers
// from a copy rendered once for everyone) and swapped in, except a row someone is working in.
(function () {
  "use strict";
  const live = document.getElementById("consolidation-live");
  if (!live) return;
  const personal = !live.dataset.refreshUrl.startsWith("/live/");
  let last = 0;
  let fetching = false;
  let again = false;

  function swap(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const bar = doc.getElementById("cons-bar");
    const current = document.getElementById("cons-bar");
    if (bar && current) {
      bar.removeAttribute("hx-swap-oob");
      current.replaceWith(bar);
    }
    const fresh = doc.getElementById("synoptic");
    const shown = document.getElementById("synoptic");
    if (!fresh || !shown) return;
    const active = document.activeElement;
    shown.querySelectorAll(".syn-row").forEach(function (row) {
      if (row.contains(active)) {
        const twin = fresh.querySelector("#" + CSS.escape(row.id));
        if (twin) twin.replaceWith(row);
      }
    });
    shown.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      let url = live.dataset.refreshUrl;
      if (!personal) url += (url.includes("?") ? "&" : "?") + "at=" + last + "&c=" + encodeURIComponent(live.dataset.livePass);
      const response = await fetch(url, { credentials: personal ? "same-origin" : "omit" });
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
    refresh();
  });
})();
