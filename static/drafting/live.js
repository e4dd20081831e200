// The live channel: every element with data-live-pass learns, while the tab is visible, what
// its channel publishes, and fires "live:event" on the element for each event ({id, kind,
// data}); "live:expired" when the pass is no longer valid (reload).
// With data-live-stream (the server's LIVE_STREAM_URL) it holds a server-sent event stream:
// nothing travels while nothing changes. Otherwise, or when the stream keeps failing, it asks
// /live/events every data-poll-ms. Hidden tabs do neither; a tab coming back catches up at
// once. Without JavaScript the page is simply not live: a reload shows the current state.
(function () {
  "use strict";
  // A page may include this file and the base template too (for the bell): it runs once.
  if (window.draftingLive) return;
  const EVENTS_URL = "/live/events";
  const TICKET_URL = "/live/ticket";
  // Failed stream connections in a row before falling back to the poll, and how long the
  // poll then runs before the stream is tried again.
  const STREAM_TRIES = 3;
  const STREAM_RETRY_MS = 60000;
  // The page's own language: these requests carry no cookie, and what they may answer in words
  // (a refusal's "detail") is said in it, not in the browser's (drafting/live/wsgi.py).
  const LANGUAGE = document.documentElement.lang || "en";

  function listen(element) {
    const pass = element.dataset.livePass;
    const every = Number(element.dataset.pollMs || 1500);
    const streamUrl = element.dataset.liveStream || "";
    let after = Number(element.dataset.liveAfter || 0);
    let timer = null;
    let failures = 0;
    let stopped = false;
    let source = null;
    let streamFailures = 0;
    let polling = !streamUrl || !window.EventSource;
    let pollingSince = 0;

    function deliver(event) {
      after = Math.max(after, Number(event.id || 0));
      element.dispatchEvent(new CustomEvent("live:event", { detail: event, bubbles: true }));
    }

    function expire() {
      stopped = true;
      closeStream();
      window.clearTimeout(timer);
      element.dispatchEvent(new CustomEvent("live:expired", { bubbles: true }));
    }

    // --- the poll ---------------------------------------------------------------------

    function schedule(delay) {
      window.clearTimeout(timer);
      if (!stopped && !document.hidden) timer = window.setTimeout(ask, delay);
    }

    async function ask() {
      try {
        const response = await fetch(EVENTS_URL + "?after=" + after, {
          credentials: "omit",
          cache: "no-store",
          headers: { "X-Live-Pass": pass, "Accept-Language": LANGUAGE },
        });
        if (response.status === 200) {
          const body = await response.json();
          (body.events || []).forEach(deliver);
          after = Math.max(after, Number(body.last || 0));
        } else if (response.status === 403) {
          expire();
          return;
        }
        // A server error (503 while the database restarts): ask again, less often meanwhile.
        failures = response.ok ? 0 : failures + 1;
      } catch (e) {
        failures += 1; // the network comes and goes: ask again, less often while it is down
      }
      if (streamUrl && window.EventSource && Date.now() - pollingSince > STREAM_RETRY_MS) {
        polling = false; // give the stream another chance
        streamFailures = STREAM_TRIES - 1;
        openStream();
        return;
      }
      schedule(every * Math.min(1 + failures, 10));
    }

    function poll() {
      polling = true;
      pollingSince = Date.now();
      schedule(0);
    }

    // --- the stream -------------------------------------------------------------------

    function closeStream() {
      if (source) source.close();
      source = null;
    }

    // The stream is opened by URL alone (EventSource sends no header), and URLs are kept in access
    // logs: the page exchanges its pass for a ticket good for a minute, and opens the stream with that.
    // A refused exchange is an expired pass; a failed one counts as a failed connection.
    async function openStream() {
      closeStream();
      if (stopped || document.hidden) return;
      let ticket = null;
      try {
        const response = await fetch(TICKET_URL, {
          method: "POST",
          credentials: "omit",
          cache: "no-store",
          headers: { "X-Live-Pass": pass, "Accept-Language": LANGUAGE },
        });
        if (response.status === 403) {
          expire();
          return;
        }
        if (response.ok) ticket = (await response.json()).ticket;
      } catch (e) {
        ticket = null;
      }
      if (stopped || document.hidden || source) return;
      if (!ticket) {
        streamFailures += 1;
        poll();
        return;
      }
      // data-live-query: what the page shows (a consolidation's filter and layout), so that the
      // stream can send the page's fresh copy with each event instead of the page fetching it.
      const extra = element.dataset.liveQuery ? "&" + element.dataset.liveQuery : "";
      const url = streamUrl + (streamUrl.indexOf("?") < 0 ? "?" : "&") + "t=" + encodeURIComponent(ticket) + "&after=" + after + "&lang=" + encodeURIComponent(LANGUAGE) + extra;
      const stream = new EventSource(url);
      source = stream;
      stream.onopen = function () {
        streamFailures = 0;
      };
      stream.onmessage = function (message) {
        let event;
        try {
          event = JSON.parse(message.data);
        } catch (e) {
          return;
        }
        deliver(event);
      };
      stream.addEventListener("expired", expire);
      stream.onerror = function () {
        if (source !== stream) return;
        // EventSource reconnects by itself, with Last-Event-ID, after a dropped connection; a
        // refusal (403 for an expired pass, 503 for a full server) closes it. The poll takes
        // over then, or after a few failures in a row: it also tells an expired pass (403).
        // EventSource's own reconnection reuses the URL, whose ticket lasts a minute: a closed stream is
        // opened again with a fresh ticket, a few times, before the poll takes over.
        streamFailures += 1;
        if (streamFailures >= STREAM_TRIES) {
          closeStream();
          poll();
        } else if (stream.readyState === EventSource.CLOSED) {
          closeStream();
          window.setTimeout(function () { if (!source && !polling) openStream(); }, 1000 * streamFailures);
        }
      };
    }

    function resume() {
      if (stopped) return;
      if (polling) schedule(0);
      else openStream();
    }

    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        window.clearTimeout(timer);
        closeStream();
      } else {
        resume();
      }
    });
    if (polling) schedule(every);
    else openStream();
  }

  function start(element) {
    if (element.dataset.liveListening) return;
    element.dataset.liveListening = "1";
    listen(element);
  }

  window.draftingLive = { listen: start };
  document.querySelectorAll("[data-live-pass]").forEach(start);
  // Elements that arrive later (the bell, loaded after the page) listen as they come in.
  document.addEventListener("htmx:load", function (event) {
    const root = event.detail && event.detail.elt;
    if (!root || !root.querySelectorAll) return;
    if (root.matches("[data-live-pass]")) start(root);
    root.querySelectorAll("[data-live-pass]").forEach(start);
  });
})();
