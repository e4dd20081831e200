// The proposal editor: keyboard shortcuts, "use their text" after a conflict,
// and live updates of what other delegates save, without losing what you type.

// Focus on a clause: used by the live merges (a clause that had the focus comes in anew) and by the
// actions' answers (the clause acted on), which live in the two parts below; one function for both
// (the merges once called it from a part where it was not defined, and the error, caught as a network
// failure, left the focus on <body>).
function focusClause(clause, options) {
  // The clause's one tab stop: the first of its tools (Edit, or Restore on a suppressed clause: the
  // text itself is no button, so that its citation links stay links); a clause with no tools (read
  // only) takes the focus itself.
  let target = clause.querySelector(".clause-tools button");
  if (!target) {
    target = clause;
    if (!clause.hasAttribute("tabindex")) clause.setAttribute("tabindex", "-1");
  }
  target.focus({ preventScroll: true });
  if (options && options.scroll === false) return;
  const box = clause.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) clause.scrollIntoView({ block: "center" });
}

(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;
  let version = Number(editor.dataset.version || 0);

  // Leaving the page (a link, a citation, a reload) with words typed in an edit box and not saved:
  // the browser asks first. A save or a cancel closes the box, so nothing asks after them.
  window.addEventListener("beforeunload", function (event) {
    const unsaved = Array.from(editor.querySelectorAll(".clause.editing .clause-form textarea")).some(function (box) {
      return box.value !== box.defaultValue;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("keydown", function (event) {
    const form = event.target.closest && event.target.closest(".clause-form");
    if (form) {
      // The box gets the focus as soon as it is on the page, but htmx gives its form and buttons
      // their requests only when it settles, a timer later: a key pressed in between would submit
      // the form as a plain page (Ctrl+Enter) or click a Cancel that does nothing (Esc). Processing
      // the form now is what htmx does at settle, and doing it twice changes nothing.
      if (window.htmx) window.htmx.process(form);
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        const cancel = form.querySelector("button.cancel");
        if (cancel) cancel.click();
      }
      return;
    }
  });

  // A click on a citation's link in a clause goes to the cited edition; it does not open the clause
  // (capture: stopped before the clause's own handler sees it; the browser still follows the link).
  editor.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".clause-view a[href]")) event.stopPropagation();
  }, true);

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button.use-theirs");
    if (!button) return;
    const textarea = button.closest("form").querySelector("textarea");
    textarea.value = button.dataset.text;
    textarea.focus();
  });

  // A side-panel region (the citations to check) as the fresh draft has it; the copy inside the draft goes.
  function refreshPanel(doc, fresh, id) {
    const region = fresh.querySelector("#" + id);
    const current = document.getElementById(id);
    if (!region || !current || region === current) return;
    region.removeAttribute("hx-swap-oob");
    current.replaceWith(region);
  }

  // Where the caret goes when an edit box opens, and where the focus goes when it closes:
  // see "Editing comfort" below.

  document.body.addEventListener("draft-saved", function (event) {
    if (event.detail && event.detail.version) version = Math.max(version, Number(event.detail.version));
  });

  document.body.addEventListener("draft-error", function (event) {
    announce(event.detail.message, true);
  });

  document.body.addEventListener("draft-message", function (event) {
    announce(event.detail.message, false);
  });

  function announce(message, isError) {
    const box = document.getElementById("messages");
    if (!box) return;
    const p = document.createElement("p");
    p.className = "message" + (isError ? " error" : "");
    p.textContent = message;
    box.replaceChildren(p);
  }

  // A clause being edited, or waiting for the answer to a click or a save, stays as it is; so
  // does one just swapped in (htmx gives it its own classes, "editing" among them, only when it
  // settles, a timer later).
  const BUSY = ".clause.editing, .clause.htmx-request, .clause:has(.htmx-request), .clause.htmx-settling";

  // The version every clause of the page has at least (the page's, then each live copy merged);
  // `version` is the newest any part has (a save's answer brings its clause, changes and citations).
  let base = version;
  // A clause waiting for an answer that does not replace it (its history panel opening) was left
  // as it was: the page stays at its base until that answer is in, then asks again.
  let behind = false;

  // An action whose answer brings the whole draft (Suppress, Restore, Add, Replace...) is on its way
  // or settling: a live copy merged now would replace the draft under htmx's swap (its settle, and the
  // focus it places, then happen on a draft no longer in the page). The answer brings the draft as it
  // is; the page catches up with anything newer once it has settled (behind).
  function draftInFlight() {
    return !!document.querySelector(
      "#draft.htmx-swapping, #draft.htmx-settling, #draft .htmx-request[hx-target='#draft']"
    );
  }

  // Where the focus was, to put it back on the same clause when that clause comes in anew.
  // In a clause's toolbar, the button is remembered by its place: the same button of the clause
  // that comes in anew gets the focus (a delegate walking the tools with the arrows is not sent
  // back to Edit by a colleague's save).
  function focusPoint() {
    const active = document.activeElement;
    const clause = active && active.closest ? active.closest(".clause") : null;
    const bar = clause && active.closest(".clause-tools");
    const tool = bar ? Array.from(bar.querySelectorAll("button")).indexOf(active) : -1;
    return { active: active, clause: clause, tool: tool };
  }
  function restoreFocus(point) {
    if (point.active && document.body.contains(point.active)) {
      point.active.focus();
    } else if (point.clause) {
      const clause = document.getElementById(point.clause.id);
      if (!clause) return;
      const buttons = Array.from(clause.querySelectorAll(".clause-tools button"));
      const same = point.tool > 0 ? buttons[point.tool] : null;
      if (same) {
        buttons.forEach(function (b) { b.setAttribute("tabindex", b === same ? "0" : "-1"); });
        same.focus({ preventScroll: true });
      } else {
        focusClause(clause, { scroll: false });
      }
    }
  }

  // The clauses of the page that stay as they are when a new copy of the draft comes in (a live copy, or
  // the answer to an action on another clause) go into it in place of their twins: an open edit box
  // keeps the words being typed in it, whatever the new copy says. A box whose clause is not in the
  // new copy (removed meanwhile, or already gone) stays after the clause it followed; anything else
  // with no twin goes with its clause.
  function keepBoxes(fresh, nodes) {
    const places = nodes.map(function (node) {
      let before = node.previousElementSibling;
      while (before && !before.matches(".clause")) before = before.previousElementSibling;
      return { node: node, before: before ? before.id : null };
    });
    places.forEach(function (place) {
      const twin = fresh.querySelector("#" + CSS.escape(place.node.id));
      if (twin) {
        twin.replaceWith(place.node);
      } else if (place.node.matches(".editing")) {
        const before = place.before && fresh.querySelector("#" + CSS.escape(place.before));
        if (before) before.after(place.node); else fresh.prepend(place.node);
      }
    });
  }

  // The answer to an action (Suppress, Restore, Add, Replace, Undo...) is the whole draft at the version
  // the action made. The boxes open in other clauses stay open with their words (the box of the action's
  // own clause is the one it closes); the page then has that version, and the live copy of it, which
  // comes next, has nothing to bring (merged anyway, it would replace the clauses under the focus).
  let boxesOpen = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (!event.detail.shouldSwap || !target || target.id !== "draft" || !editor.contains(target)) return;
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const own = elt && elt.closest ? elt.closest(".clause") : null;
    boxesOpen = Array.from(target.querySelectorAll(":scope > .clause.editing")).filter(function (node) {
      return node !== own;
    });
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    if (!boxesOpen) return;
    const nodes = boxesOpen;
    boxesOpen = null;
    const fresh = document.getElementById("draft");
    if (!fresh || nodes.some(function (node) { return fresh.contains(node); })) return;
    keepBoxes(fresh, nodes);
    const at = Number(fresh.dataset.version || 0);
    version = Math.max(version, at);
    base = Math.max(base, at);
  });

  // The changes list and the citations to check, as the live copy has them.
  function refreshSide(doc, fresh) {
    refreshPanel(doc, fresh, "citation-warnings");
    const changes = doc.getElementById("change-list");
    if (changes) {
      changes.removeAttribute("hx-swap-oob");
      document.getElementById("change-list").replaceWith(changes);
      fresh.querySelectorAll("#change-list").forEach(function (n) { n.remove(); });
    }
  }

  // An open history and comments panel stays open when its clause comes in anew.
  function keepPanel(node, twin) {
    const slot = node.querySelector(".panel-slot");
    if (!slot || !slot.children.length || node.matches(".editing")) return;
    const twinSlot = twin.querySelector("#" + CSS.escape(slot.id));
    if (twinSlot) twinSlot.replaceWith(slot);
  }

  // Merge a fresh whole draft into the page, keeping any clause that is being edited as it is.
  function merge(doc) {
    const fresh = doc.getElementById("draft");
    const current = document.getElementById("draft");
    if (!fresh || !current) return;
    // A save of this delegate's came back while the copy was on its way: the page is newer.
    const freshVersion = Number(fresh.dataset.version || 0);
    if (freshVersion < version || freshVersion <= base) return;
    if (draftInFlight()) {
      behind = true;
      return;
    }
    const focus = focusPoint();
    const busy = Array.from(current.querySelectorAll(BUSY));
    // An edit box's answer (save or cancel) brings the clause as it is then; anything else does not.
    const held = busy.some(function (node) {
      return !node.matches(".editing") && fresh.querySelector("#" + CSS.escape(node.id));
    });
    current.querySelectorAll(".clause").forEach(function (node) {
      const twin = fresh.querySelector("#" + CSS.escape(node.id));
      if (twin && twin !== node) keepPanel(node, twin);
    });
    keepBoxes(fresh, busy);
    refreshSide(doc, fresh);
    current.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    restoreFocus(focus);
    version = Math.max(version, freshVersion);
    if (held) behind = true; else base = freshVersion;
  }

  // Merge the clauses a newer version changed since `base` (drafting/live/draft_delta.py): each replaces
  // its twin or goes in after the clause it follows; clauses gone are taken out. False when the
  // copy is not one of what this page has, or the page does not add up: the whole draft is asked.
  function mergeDelta(doc) {
    const delta = doc.getElementById("draft-delta");
    const current = document.getElementById("draft");
    if (!delta || !current) return true;
    const freshVersion = Number(delta.dataset.version || 0);
    // Nothing newer than the page (an action's answer brought that version while this was on its way).
    if (freshVersion < version || freshVersion <= base) return true;
    if (Number(delta.dataset.since) !== base) return false;
    if (draftInFlight()) {
      behind = true;
      return true;
    }
    // Every way out puts the focus back: a delta that does not add up is followed by the whole draft,
    // which would otherwise find the focus already fallen to <body> with a clause this one replaced.
    const focus = focusPoint();
    const added = [];
    let held = false;
    (delta.querySelector(":scope > .delta-removed")?.dataset.keys || "").split(" ").forEach(function (key) {
      const node = key && document.getElementById("c-" + key);
      // An open box of a clause removed stays with its words (a save from it says the clause is gone).
      if (node && node.matches(".editing")) node.classList.add("gone");
      else if (node) node.remove();
    });
    for (const wrap of delta.querySelectorAll(":scope > .delta-clause")) {
      const fresh = wrap.querySelector(".clause");
      if (!fresh) { restoreFocus(focus); return false; }
      const node = document.getElementById(fresh.id);
      if (node) {
        if (node.matches(BUSY)) {
          if (!node.matches(".editing")) held = true;
          continue;
        }
        keepPanel(node, fresh);
        node.replaceWith(fresh);
      } else if (wrap.dataset.after) {
        const before = document.getElementById("c-" + wrap.dataset.after);
        if (!before || before.parentElement !== current) { restoreFocus(focus); return false; }
        before.after(fresh);
      } else {
        const first = current.querySelector(":scope > .clause");
        if (first) first.before(fresh); else current.append(fresh);
      }
      added.push(fresh);
    }
    current.querySelectorAll(":scope > .warning").forEach(function (n) { n.remove(); });
    const problems = delta.querySelector(":scope > .delta-problems > .warning");
    if (problems) current.prepend(problems);
    refreshSide(doc, delta);
    if (current.querySelectorAll(":scope > .clause:not(.gone)").length !== Number(delta.dataset.count)) { restoreFocus(focus); return false; }
    current.dataset.version = String(freshVersion);
    if (window.htmx) added.forEach(function (node) { window.htmx.process(node); });
    restoreFocus(focus);
    version = Math.max(version, freshVersion);
    if (held) behind = true; else base = freshVersion;
    editor.dispatchEvent(new CustomEvent("draft-merged"));
    return true;
  }

  // The live channel (live.js) says when the draft has a newer version: fetch what changed since
  // the version the page has (or the whole draft), rendered once and cached for every delegate
  // who asks the same, and merge it in.
  let wanted = version;
  let fetching = false;
  async function fetchCopy(asked, since) {
    // In the page's language: the copy is kept per language, for every delegate reading in it.
    const url = editor.dataset.draftUrl + "?v=" + asked + (since === null ? "" : "&from=" + since) + "&lang=" + encodeURIComponent(document.documentElement.lang);
    // The pass in a header, not in the URL (access logs keep URLs).
    const response = await fetch(url, { headers: { "HX-Request": "true", "X-Live-Pass": editor.dataset.livePass } });
    return response.status === 200 ? new DOMParser().parseFromString(await response.text(), "text/html") : null;
  }
  async function refresh() {
    if (fetching || wanted <= base) return;
    fetching = true;
    const asked = wanted;
    try {
      let doc = await fetchCopy(asked, base);
      if (doc && doc.getElementById("draft-delta") && !mergeDelta(doc)) doc = await fetchCopy(asked, null);
      if (doc && doc.getElementById("draft")) merge(doc);
    } catch (e) {
      // The network comes and goes; the next event tries again.
    } finally {
      fetching = false;
    }
    if (wanted > base && wanted > asked) refresh();
  }
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!behind) return;
    behind = false;
    wanted = Math.max(wanted, version);
    refresh();
  });
  editor.addEventListener("live:event", function (event) {
    const data = event.detail.data || {};
    if (event.detail.kind !== "changed") return;
    wanted = Math.max(wanted, Number(data.version || 0));
    // The stream may send the clauses the new version changed with the event (rendered once for
    // every editor following): merged at once when they are from the version this page has.
    if (event.detail.copy && !fetching) {
      const doc = new DOMParser().parseFromString(event.detail.copy, "text/html");
      const delta = doc.getElementById("draft-delta");
      // Rendered once for every editor, in one language: a page in another fetches its own copy.
      if (delta && Number(delta.dataset.since) === base && delta.dataset.language === document.documentElement.lang) mergeDelta(doc);
    }
    refresh();
  });
  editor.addEventListener("live:expired", function () {
    announce(editor.dataset.liveStopped || "Live updates have stopped: reload the page to see other delegates' changes.", true);
  });
})();

// Editing comfort: the caret where the delegate clicked, the focus back on the clause after
// a save or Esc with "Saved" announced, and the clause tools reachable by tap on touch screens.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;
  let caret = null; // {key, offset}: where the next edit box of that clause puts the caret
  let returnTo = null; // {key, saved, xhr}: the clause whose edit box is closing, and the request closing it

  // The offset, in the clause's current text, of a point in its marked-up view: deleted text,
  // screen-reader-only words and footnote numbers are not in the text being edited.
  function textOffset(view, node, offset) {
    const root = view.querySelector(".text, .part-heading, .annex-title");
    if (!root || !root.contains(node)) return null;
    let count = 0;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const skipped = t.parentElement.closest("del, .sr-only, sup, .fn-ref");
      if (t === node) return skipped ? count : count + offset;
      if (!skipped) count += t.textContent.length;
    }
    return null;
  }

  function pointInText(x, y) {
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      return p && { node: p.offsetNode, offset: p.offset };
    }
    if (document.caretRangeFromPoint) {
      const r = document.caretRangeFromPoint(x, y);
      return r && { node: r.startContainer, offset: r.startOffset };
    }
    return null;
  }

  // Capture phase: recorded before htmx sends the request that opens the edit box.
  document.addEventListener("click", function (event) {
    const view = event.target.closest && event.target.closest(".clause-view[hx-get]");
    if (!view) return;
    const clause = view.closest(".clause");
    const point = event.detail ? pointInText(event.clientX, event.clientY) : null;
    const offset = point ? textOffset(view, point.node, point.offset) : null;
    caret = { key: clause.dataset.key, offset: offset };
  }, true);

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.detail.elt.closest && event.detail.elt.closest(".clause-form");
    if (!form) return;
    const clause = form.closest(".clause");
    returnTo = { key: clause.dataset.key, saved: event.detail.elt === form, xhr: event.detail.xhr };
  });

  // The caret is placed in the same task that puts the box on the page (afterSwap, not
  // afterSettle, which comes a timer later): a delegate who starts typing at once must not
  // have the caret moved under their fingers. A box already typed in is left alone. (The
  // clause's own classes, "editing" among them, only come at settle: htmx keeps the old ones
  // on an element of the same id until then, so the box is found from the swapped element.)
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const swapped = event.target;
    if (!swapped.querySelector || !editor.contains(swapped)) return;
    const textarea = swapped.querySelector(".clause-form textarea:not([data-placed])");
    if (!textarea) return;
    textarea.dataset.placed = "1";
    if (textarea.value !== textarea.defaultValue) return;
    const key = textarea.closest(".clause").dataset.key;
    const end = textarea.value.length;
    const at = caret && caret.key === key && caret.offset !== null ? Math.min(caret.offset, end) : end;
    caret = null;
    textarea.focus();
    textarea.setSelectionRange(at, at);
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    // Only when the box's own answer settles: another one settling first (the bell, a presence post)
    // would put the focus on an Edit button htmx has not yet given its request.
    if (!returnTo || (returnTo.xhr && event.detail.xhr !== returnTo.xhr)) return;
    const clause = document.getElementById("c-" + returnTo.key);
    if (!clause || clause.classList.contains("editing")) return;
    const view = clause.querySelector(".clause-tools button.edit") || clause.querySelector("button");
    // The delegate may already be in another clause's box (opened before this answer came):
    // the focus stays there.
    const active = document.activeElement;
    const elsewhere = active && active.closest && active.closest(".clause-form") && !clause.contains(active);
    if (view && !elsewhere) view.focus();
    if (returnTo.saved) status(editor.dataset.saved || "Saved");
    returnTo = null;
  });

  // After an action that re-renders a clause or the whole draft (Suppress, Restore, Remove, Add, Post,
  // Restore this version, Replace, Undo) the focus goes to the clause acted on: to the item added, to
  // the clause after one removed (before it when it was the last), to the first clause a replace
  // changed. Left alone it falls to <body>, where the next Tab starts again from the top of the page.
  // What was done is said in a live region that stays on the page (#messages, or the status line).
  let actedOn = null; // {keys: the clause and where to go when it is gone, before: keys before an addition}
  let lastKeys = null; // the last clause acted on, for Undo
  function around(clause) {
    const keys = [clause.dataset.key];
    const next = clause.nextElementSibling && clause.nextElementSibling.closest("#draft > .clause:not(.gone)");
    let previous = clause.previousElementSibling;
    while (previous && !previous.matches(".clause:not(.gone)")) previous = previous.previousElementSibling;
    if (next) keys.push(next.dataset.key);
    if (previous) keys.push(previous.dataset.key);
    return keys;
  }
  function shownKeys() {
    return new Set(Array.from(document.querySelectorAll("#draft > .clause")).map(function (c) { return c.dataset.key; }));
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    const verb = String((event.detail.requestConfig && event.detail.requestConfig.verb) || "get").toLowerCase();
    // Opening an edit box, a panel or the form of an addition places the focus itself (the box's caret).
    if (!elt || !elt.closest || verb === "get") return;
    const form = elt.closest(".clause-form");
    if (form && !form.matches(".add")) return; // Save: see returnTo
    const clause = elt.closest("#draft > .clause");
    if (clause) {
      actedOn = { keys: around(clause), before: form ? shownKeys() : null };
    } else if (elt.matches("form.replace-choice")) {
      const keys = Array.from(elt.querySelectorAll("input[name=match]:checked")).map(function (box) {
        const link = box.closest("li").querySelector("a.where");
        return link ? link.getAttribute("href").replace(/^#c-/, "") : null;
      }).filter(Boolean);
      actedOn = keys.length ? { keys: keys, before: null, replaced: true } : null;
    } else if (elt.closest("#messages") && lastKeys) {
      actedOn = { keys: lastKeys, before: null }; // Undo: back to the clause the undone action was on
    }
    // The answer to this request places the focus, not another one settling first (the bell, a
    // presence post): that one would focus the clause this answer is about to replace, and the focus
    // would fall to <body> with it.
    if (actedOn) actedOn.xhr = event.detail.xhr;
  });

  let placing = null;
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!actedOn || (actedOn.xhr && event.detail.xhr !== actedOn.xhr)) return;
    // One answer settles several elements (the draft, and the change list and citations beside it,
    // out of band), each with its own event: the focus is placed once, after the last of them.
    window.clearTimeout(placing);
    placing = window.setTimeout(placeFocus, 0);
  });
  function placeFocus() {
    if (!actedOn) return;
    const acted = actedOn;
    let target = null;
    if (acted.before) {
      target = Array.from(document.querySelectorAll("#draft > .clause")).find(function (c) {
        return !acted.before.has(c.dataset.key);
      }) || null;
    }
    for (let i = 0; !target && i < acted.keys.length; i++) target = document.getElementById("c-" + acted.keys[i]);
    if (!target) return;
    actedOn = null;
    lastKeys = [target.dataset.key].concat(acted.keys.slice(1));
    const active = document.activeElement;
    // The delegate already went on into an edit box (opened before this answer came): left there.
    const elsewhere = active && active.closest && active.closest(".clause-form") && !target.contains(active);
    if (!elsewhere) focusClause(target);
    if (acted.replaced) {
      const done = document.querySelector("#replace-result .message");
      if (done) status(done.firstChild ? done.firstChild.textContent.trim() : done.textContent.trim());
    }
  }
  // A refused action (its message said in the live region, nothing swapped) or a failed network leaves
  // the focus where it is.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!actedOn || (actedOn.xhr && event.detail.xhr !== actedOn.xhr)) return;
    if (event.detail.failed || event.detail.successful === false) actedOn = null;
  });

  // "Saved", said once: a live region that screen readers announce, also seen on screen.
  function status(text) {
    const box = document.getElementById("editor-status");
    if (!box) return;
    box.textContent = "";
    window.setTimeout(function () { box.textContent = text; }, 50);
  }

  // While typing, the clause's marks against the base text stay in sight above the box, as
  // Word's Track Changes shows them (marks.js: the word diff the projector shows typing with too).
  function showMarks(textarea) {
    const box = document.getElementById("m-" + textarea.id.slice(2));
    if (!box) return;
    const parts = window.draftingMarks.nodes(box.dataset.base || "", textarea.value);
    box.replaceChildren.apply(box, parts);
    box.hidden = false;
  }

  let pendingMarks = null;
  document.addEventListener("input", function (event) {
    const textarea = event.target;
    if (!textarea.matches || !textarea.matches(".clause-form textarea[id^='t-']")) return;
    if (pendingMarks) cancelAnimationFrame(pendingMarks);
    pendingMarks = requestAnimationFrame(function () { pendingMarks = null; showMarks(textarea); });
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    editor.querySelectorAll(".clause.editing .clause-form textarea[id^='t-']").forEach(showMarks);
  });
  // "Use their text", "Combine", "Back to my text" change the box's text: its marks follow.
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button.use-theirs");
    if (!button) return;
    const textarea = button.closest("form").querySelector("textarea[id^='t-']");
    if (textarea) window.setTimeout(function () { showMarks(textarea); }, 0);
  });

  // A clause's tools are one toolbar, one stop of the Tab key (the Edit button first): the arrow
  // keys, Home and End move between its buttons (in the direction the text reads), and the one
  // last used is where Tab comes back to.
  document.addEventListener("keydown", function (event) {
    const bar = event.target.closest && event.target.closest(".clause-tools[role=toolbar]");
    if (!bar || !event.target.matches("button")) return;
    const buttons = Array.from(bar.querySelectorAll("button"));
    const at = buttons.indexOf(event.target);
    const rtl = getComputedStyle(bar).direction === "rtl";
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, ArrowDown: 1, ArrowUp: -1 }[event.key];
    let next = null;
    if (step) next = buttons[(at + step + buttons.length) % buttons.length];
    else if (event.key === "Home") next = buttons[0];
    else if (event.key === "End") next = buttons[buttons.length - 1];
    if (!next) return;
    event.preventDefault();
    buttons.forEach(function (b) { b.setAttribute("tabindex", b === next ? "0" : "-1"); });
    next.focus();
  });

  // The History & comments panel: opened under its clause with the focus in it; closed by its
  // Close button, by Esc, or by its button again, the focus going back to that button.
  function historyButton(slot) {
    const clause = slot.closest(".clause");
    return clause && clause.querySelector("button.history[aria-controls='" + slot.id + "']");
  }
  function closePanel(slot) {
    const button = historyButton(slot);
    slot.replaceChildren();
    if (button) {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const button = event.detail.elt;
    if (!button.matches || !button.matches("button.history[aria-expanded=true]")) return;
    const slot = document.getElementById(button.getAttribute("aria-controls"));
    if (!slot || !slot.querySelector(".clause-panel")) return;
    event.preventDefault();
    closePanel(slot);
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const slot = event.target;
    if (!slot.matches || !slot.matches(".panel-slot")) return;
    const panel = slot.querySelector(".clause-panel");
    const button = historyButton(slot);
    if (button) button.setAttribute("aria-expanded", panel ? "true" : "false");
    // A comment posted or a version restored comes back as a new panel: the focus stays in it.
    const requester = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (panel && requester && requester.matches && requester.matches("button.history")) panel.focus();
  });
  document.addEventListener("click", function (event) {
    const close = event.target.closest && event.target.closest(".clause-panel .panel-close");
    if (close) closePanel(close.closest(".panel-slot"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    const panel = event.target.closest(".clause-panel");
    if (!panel) return;
    // Words being written in the comment box are not thrown away by a stray Esc.
    const box = event.target.closest("textarea");
    if (box && box.value.trim()) return;
    event.preventDefault();
    event.stopPropagation();
    closePanel(panel.closest(".panel-slot"));
  });

  // Touch screens have no hover: "⋯" opens the clause's tools.
  document.addEventListener("click", function (event) {
    const toggle = event.target.closest && event.target.closest(".tools-toggle");
    if (!toggle) return;
    const clause = toggle.closest(".clause");
    editor.querySelectorAll(".clause.tools-open").forEach(function (other) {
      if (other !== clause) {
        other.classList.remove("tools-open");
        const t = other.querySelector(".tools-toggle");
        if (t) t.setAttribute("aria-expanded", "false");
      }
    });
    const open = clause.classList.toggle("tools-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

// Presence: who is editing which clause now, told on the live channel (live.js). Opening an
// edit box says "editing", closing it or leaving the page says "left"; while the box stays open
// it says "editing" again every 30 s, which the server only renews (drafting/live/presence.py: one
// state per person and clause, sent to the other pages when it changes and once a minute while it
// holds). Other delegates' clauses show "… is editing this clause" until they leave, or until the
// state's time to live passes without news (a closed laptop says nothing).
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor || !editor.dataset.presenceUrl) return;
  const me = editor.dataset.me;
  const HEARTBEAT_MS = 30000;
  const others = new Map(); // key -> Map(uid -> {who, until})
  let mine = null; // the key of the clause I am editing
  let beat = null;

  function tell(key, state) {
    const body = new URLSearchParams({ p: editor.dataset.presencePass, key: key, state: state });
    const url = editor.dataset.presenceUrl;
    if (state === "left" && document.visibilityState === "hidden" && navigator.sendBeacon) {
      navigator.sendBeacon(url, body);
      return;
    }
    // The page's language for a refusal's words (no cookie goes with this request).
    const headers = { "Accept-Language": document.documentElement.lang || "en" };
    fetch(url, { method: "POST", body: body, headers: headers, credentials: "omit", keepalive: true }).catch(function () {});
  }

  function track() {
    const editing = editor.querySelector(".clause.editing");
    const key = editing ? editing.dataset.key : null;
    if (key === mine) return;
    if (mine) tell(mine, "left");
    mine = key;
    window.clearInterval(beat);
    if (mine) {
      tell(mine, "editing");
      beat = window.setInterval(function () { if (mine) tell(mine, "editing"); }, HEARTBEAT_MS);
    }
  }

  function paint() {
    const now = Date.now();
    editor.querySelectorAll(".presence").forEach(function (n) { n.remove(); });
    others.forEach(function (people, key) {
      const names = [];
      people.forEach(function (p, uid) { if (p.until > now) names.push(p.who); else people.delete(uid); });
      if (!names.length) return;
      const clause = document.getElementById("c-" + key);
      if (!clause) return;
      const note = document.createElement("p");
      note.className = "presence";
      note.setAttribute("role", "status");
      // The words come from the page (data-editing-one, data-editing-many), in the reader's language.
      const words = names.length > 1 ? editor.dataset.editingMany : editor.dataset.editingOne;
      note.textContent = "✎ " + (words || "%(who)s editing this clause now").replace("%(who)s", names.join(", "));
      clause.prepend(note);
    });
  }

  function learn(state) {
    if (!state || !state.key || String(state.uid) === me) return;
    const people = others.get(state.key) || new Map();
    if (state.state === "editing") {
      people.set(String(state.uid), { who: state.who, until: Date.now() + 1000 * Number(state.ttl || 120) });
    } else {
      people.delete(String(state.uid));
    }
    others.set(state.key, people);
  }

  // Who was already editing when the page was rendered.
  const now = document.getElementById("presence-now");
  if (now) {
    try { JSON.parse(now.textContent).forEach(learn); } catch (e) { /* an unreadable list: start empty */ }
    paint();
  }

  editor.addEventListener("live:event", function (event) {
    if (event.detail.kind !== "presence") return;
    learn(event.detail.data);
    paint();
  });

  document.body.addEventListener("htmx:afterSettle", function () { track(); paint(); });
  // The draft is re-rendered, or some of its clauses, by other delegates' saves: the notes are put back.
  editor.addEventListener("draft-merged", paint);
  new MutationObserver(function (records) {
    if (records.some(function (r) { return Array.from(r.addedNodes).some(function (n) { return n.id === "draft"; }); })) paint();
  }).observe(editor, { childList: true });
  window.setInterval(paint, 15000);
  window.addEventListener("pagehide", function () { if (mine) tell(mine, "left"); });
})();

// The citations of a clause being typed, checked by the server's parser against the library and
// listed under the box, each saying where it leads and whether it is the current edition. Asked
// once when a box opens and then at each pause in the typing (not at each key), never twice for
// the same text, an answer still on its way dropped when the text moves on. Answered in front of
// Django (drafting/live/wsgi.py, /live/citations) with the page's live pass: no session.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor || !editor.dataset.citationsUrl) return;
  const PAUSE_MS = 600;
  const timers = new WeakMap();
  const pending = new WeakMap();
  const checked = new WeakMap(); // the text each box last had checked

  function panelFor(textarea) {
    const id = textarea.id + "-citations";
    let panel = document.getElementById(id);
    if (!panel) {
      panel = document.createElement("div");
      panel.id = id;
      panel.className = "citation-check";
      panel.setAttribute("aria-live", "polite");
      panel.setAttribute("aria-label", editor.dataset.citationsLabel || "Citations in this text");
      textarea.insertAdjacentElement("afterend", panel);
    }
    return panel;
  }

  function check(textarea) {
    const text = textarea.value;
    if (checked.get(textarea) === text) return;
    checked.set(textarea, text);
    const previous = pending.get(textarea);
    if (previous) previous.abort();
    const controller = new AbortController();
    pending.set(textarea, controller);
    fetch(editor.dataset.citationsUrl, {
      method: "POST",
      body: new URLSearchParams({ c: editor.dataset.livePass, text: text }),
      // The check is shown under the box: in the page's language (no cookie goes with it).
      headers: { "Accept-Language": document.documentElement.lang || "en" },
      credentials: "omit",
      signal: controller.signal,
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && textarea.isConnected) panelFor(textarea).innerHTML = html;
      })
      .catch(function () {
        // An aborted or failed check leaves the last result; the next pause tries again.
        if (checked.get(textarea) === text) checked.delete(textarea);
      });
  }

  function isClauseText(target) {
    return target && target.matches && target.matches("form.clause-form textarea[name=text]");
  }

  document.addEventListener("input", function (event) {
    const textarea = event.target;
    if (!isClauseText(textarea)) return;
    window.clearTimeout(timers.get(textarea));
    timers.set(textarea, window.setTimeout(function () { check(textarea); }, PAUSE_MS));
  });
  // A clause opened for editing shows its citations at once.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const root = event.target;
    if (!root || !root.querySelectorAll || !editor.contains(root)) return;
    root.querySelectorAll("form.clause-form textarea[name=text]").forEach(check);
  });
})();
