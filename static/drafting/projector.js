// The projector (the room's screen, or a delegate following the room on a phone): the draft's live
// channel (live.js) says which clause the officer is on ("projector" events) and when the draft
// changed ("changed"); the screen highlights that clause, scrolls it into view while it follows the
// room, shows the words being typed there, and brings in the new text. Strings come from the page.
(function () {
  "use strict";
  const room = document.getElementById("projector");
  if (!room) return;
  const host = document.getElementById("projector-draft");
  const where = document.getElementById("projector-clause");
  const typing = document.getElementById("projector-typing");
  const follow = document.getElementById("projector-follow");
  const full = document.getElementById("projector-full");
  let pointed = room.dataset.pointed || "";
  let typed = null; // {key, text, by} while the officer types in the pointed clause
  let following = true;
  let version = Number(room.dataset.version || 0);
  let wanted = version;
  let fetching = false;

  function clauseOf(key) {
    return key ? document.getElementById("c-" + key) : null;
  }

  function nameOf(clause) {
    if (!clause) return "";
    const part = clause.dataset.findPart || "";
    const label = clause.dataset.findLabel || "";
    return label && label !== part ? part + " " + label : part;
  }

  // The typed words stand in the clause's text, marked against the text as it was (its deleted and
  // unchanged words), until the saved text comes (a "changed" event).
  function showTyped(clause) {
    const text = clause && clause.querySelector(".text, .part-heading, .annex-title");
    if (!text) return;
    if (text.dataset.saved === undefined) {
      text.dataset.saved = text.innerHTML;
      const before = text.cloneNode(true);
      before.querySelectorAll("ins, .sr-only").forEach(function (n) { n.remove(); });
      text.dataset.before = before.textContent;
    }
    if (typeof typed.text === "string") {
      text.replaceChildren.apply(text, window.draftingMarks.nodes(text.dataset.before, typed.text));
      text.dataset.typed = typed.text;
    }
    text.classList.add("being-typed");
  }

  function show(scroll) {
    host.querySelectorAll(".pointed").forEach(function (n) { n.classList.remove("pointed"); n.removeAttribute("aria-current"); });
    const clause = clauseOf(pointed);
    where.textContent = nameOf(clause);
    if (!clause) return;
    clause.classList.add("pointed");
    clause.setAttribute("aria-current", "location");
    if (typed && typed.key === pointed) {
      showTyped(clause);
      typing.textContent = typing.dataset.typing.replace("%(who)s", typed.by || "");
      typing.hidden = false;
    } else {
      typing.hidden = true;
    }
    if (scroll && following) {
      clause.scrollIntoView({ block: "center", behavior: "instant" });
    }
    room.dataset.shown = pointed; // what the screen shows, for whoever checks it
  }

  function setFollowing(on) {
    following = on;
    follow.setAttribute("aria-pressed", on ? "true" : "false");
    follow.textContent = on ? follow.dataset.on : follow.dataset.off;
    document.body.classList.toggle("projector-left", !on);
    if (on) show(true);
  }

  follow.addEventListener("click", function () { setFollowing(!following); });
  // Reading elsewhere (a wheel, a swipe, the keys that scroll) leaves the room; the button comes back.
  ["wheel", "touchmove"].forEach(function (type) {
    window.addEventListener(type, function () { if (following) setFollowing(false); }, { passive: true });
  });
  document.addEventListener("keydown", function (event) {
    if (["PageUp", "PageDown", "ArrowUp", "ArrowDown", "Home", "End", " "].indexOf(event.key) >= 0 &&
        event.target === document.body && following) setFollowing(false);
  });

  if (document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    });
  }

  // The draft's new text: the consolidation's draft, or the proposal's readers' copy (cached per
  // version for every screen asking), swapped in whole; the pointed clause stays pointed.
  async function refresh() {
    if (fetching || wanted <= version) return;
    fetching = true;
    const asked = wanted;
    try {
      let url = room.dataset.draftUrl;
      if (url.indexOf("fragment=") < 0) url += "?v=" + asked + "&lang=" + encodeURIComponent(document.documentElement.lang);
      // The pass in a header, not in the URL (access logs keep URLs).
      const response = await fetch(url, {
        headers: { "HX-Request": "true", "X-Live-Pass": room.dataset.livePass },
        credentials: "same-origin",
      });
      if (response.status === 200) {
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.body.firstElementChild;
        if (fresh) {
          host.replaceChildren(fresh);
          version = Math.max(version, asked);
          typed = null;
          show(true);
        }
      }
    } catch (e) {
      // The network comes and goes: the next event asks again.
    } finally {
      fetching = false;
    }
    if (wanted > version) refresh();
  }

  room.addEventListener("live:event", function (event) {
    const detail = event.detail || {};
    const data = detail.data || {};
    if (detail.kind === "projector") {
      if (data.key !== pointed && typed) {
        // The officer moved on without saving: the clause they left shows its saved text again.
        const old = clauseOf(typed.key);
        const text = old && old.querySelector(".being-typed");
        if (text && text.dataset.saved !== undefined) {
          text.innerHTML = text.dataset.saved;
          ["saved", "before", "typed"].forEach(function (name) { delete text.dataset[name]; });
          text.classList.remove("being-typed");
        }
        typed = null;
      }
      pointed = data.key || "";
      if (data.typing) typed = { key: pointed, text: data.text, by: data.by };
      show(true);
    } else if (detail.kind === "changed") {
      wanted = Math.max(wanted, Number(data.version || 0) || wanted + 1);
      refresh();
    }
  });
  room.addEventListener("live:expired", function () { window.location.reload(); });

  show(true);
})();

// Driving the room from the officer's own pages: with "Drive the projector" on, the clause or row
// the officer opens, focuses or types in is sent to the room's screens (at most one send in flight;
// typing is sent at each pause).
(function () {
  "use strict";
  const drive = document.getElementById("projector-drive");
  if (!drive) return;
  const toggle = drive.querySelector("button");
  const status = drive.querySelector("[role=status]");
  const remember = "projector-drive:" + drive.dataset.pointUrl;
  let on = window.sessionStorage.getItem(remember) === "1";
  let last = "";
  let pending = null;
  let sending = false;
  let timer = null;

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

  function paint() {
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("driving-projector", on);
  }

  async function send() {
    if (sending || !pending) return;
    const body = pending;
    pending = null;
    sending = true;
    try {
      const response = await fetch(drive.dataset.pointUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrf() },
        credentials: "same-origin",
      });
      if (response.status !== 204) {
        const answer = await response.json().catch(function () { return {}; });
        status.textContent = answer.detail || drive.dataset.failed;
      } else {
        status.textContent = "";
      }
    } catch (e) {
      status.textContent = drive.dataset.failed;
    } finally {
      sending = false;
    }
    if (pending) send();
  }

  function pointAt(key, text) {
    if (!on || !key) return;
    if (text === undefined && key === last) return;
    last = key;
    const body = new URLSearchParams({ key: key });
    if (text !== undefined) body.set("text", text);
    pending = body;
    send();
  }

  function keyOf(node) {
    const clause = node && node.closest && node.closest(".clause[data-key], .syn-row[data-key]");
    return clause ? clause.dataset.key : "";
  }

  toggle.addEventListener("click", function () {
    on = !on;
    window.sessionStorage.setItem(remember, on ? "1" : "0");
    paint();
    last = "";
    const here = keyOf(document.activeElement);
    if (on && here) pointAt(here);
  });
  document.addEventListener("focusin", function (event) { pointAt(keyOf(event.target)); });
  // The keyboard shortcuts (shortcuts.js: next clause, next change, next row to settle) say where they went.
  document.addEventListener("room:select", function (event) { pointAt(keyOf(event.detail && event.detail.element)); });
  document.addEventListener("click", function (event) { pointAt(keyOf(event.target)); });
  document.addEventListener("input", function (event) {
    const box = event.target;
    if (!on || !box.matches || !box.matches(".clause-form textarea, .settle-form textarea")) return;
    const key = keyOf(box);
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { pointAt(key, box.value); }, 250);
  });
  paint();
})();
