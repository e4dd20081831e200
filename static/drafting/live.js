// The live channel: every element with data-live-pass asks /live/events, while the tab is
// visible, whether its channel has anything new, and fires "live:event" on the element for
// each event ({id, kind, data}); "live:expired" when the pass is no longer valid (reload).
// Hidden tabs do not ask; a tab coming back asks at once. Without JavaScript the page is
// simply not live: a reload shows the current state.
(function () {
  "use strict";
  const EVENTS_URL = "/live/events";

  function listen(element) {
    const pass = element.dataset.livePass;
    const every = Number(element.dataset.pollMs || 1500);
    let after = Number(element.dataset.liveAfter || 0);
    let timer = null;
    let failures = 0;
    let stopped = false;

    function schedule(delay) {
      window.clearTimeout(timer);
      if (!stopped && !document.hidden) timer = window.setTimeout(ask, delay);
    }

    async function ask() {
      try {
        const response = await fetch(EVENTS_URL + "?c=" + encodeURIComponent(pass) + "&after=" + after, {
          credentials: "omit",
          cache: "no-store",
        });
        if (response.status === 200) {
          const body = await response.json();
          after = Math.max(after, Number(body.last || 0));
          (body.events || []).forEach(function (event) {
            element.dispatchEvent(new CustomEvent("live:event", { detail: event, bubbles: true }));
          });
        } else if (response.status === 403) {
          stopped = true;
          element.dispatchEvent(new CustomEvent("live:expired", { bubbles: true }));
          return;
        }
        // A server error (503 while the database restarts): ask again, less often meanwhile.
        failures = response.ok ? 0 : failures + 1;
      } catch (e) {
        failures += 1; // the network comes and goes: ask again, less often while it is down
      }
      schedule(every * Math.min(1 + failures, 10));
    }

    document.addEventListener("visibilitychange", function () {
      if (document.hidden) window.clearTimeout(timer);
      else schedule(0);
    });
    schedule(every);
  }

  document.querySelectorAll("[data-live-pass]").forEach(listen);
})();
