// Keyboard shortcuts of the reading and settling pages (the proposal editor, the synoptic view, the
// consolidated draft): move from clause to clause, to the next change or the next row to settle,
// open it, settle it, save it. The page says which elements are its clauses (data-items on
// #shortcuts), and lists its keys in the "?" dialog (templates/drafting/_shortcuts.html, where the
// words are, for translation). A single-letter key never fires while the focus is in a text field.
(function () {
  "use strict";
  const config = document.getElementById("shortcuts");
  if (!config) return;
  const help = document.getElementById("shortcuts-help");
  const ITEMS = config.dataset.items;
  const CHANGES = config.dataset.changes || ITEMS;
  const UNSETTLED = config.dataset.unsettled || "";
  let current = null;

  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.closest("textarea, select, [contenteditable=''], [contenteditable=true]")) return true;
    const input = target.closest("input");
    return Boolean(input && !["checkbox", "radio", "button", "submit", "reset", "range", "color"].includes(input.type));
  }

  function all(selector) {
    return Array.from(document.querySelectorAll(selector)).filter(function (el) {
      return el.offsetParent !== null || el.getClientRects().length;
    });
  }

  function live(element) {
    // The element may have been replaced by a live update since: the one of the same id now.
    if (element && !document.body.contains(element) && element.id) return document.getElementById(element.id);
    return element;
  }

  function select(element, how) {
    if (!element) return;
    const old = live(current);
    if (old) old.classList.remove("kb-current");
    current = element;
    element.classList.add("kb-current");
    // The focus goes where Enter opens the clause (the editor's Edit button), else on the clause.
    const target = element.querySelector(".clause-tools button.edit") || element;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    element.scrollIntoView({ block: "center", behavior: "instant" });
    // The room follows: the projector of this page (projector.js) listens for this.
    document.dispatchEvent(new CustomEvent("room:select", { detail: { element: element, how: how || "move" } }));
  }

  // Where the reader is: the clause holding the focus, else the one chosen last.
  function here() {
    const active = document.activeElement;
    const holder = active && active.closest ? active.closest(ITEMS) : null;
    return holder || live(current);
  }

  function step(selector, direction) {
    const items = all(selector);
    if (!items.length) return;
    const at = here();
    let index;
    if (!at) {
      index = direction > 0 ? 0 : items.length - 1;
    } else {
      // The next (or previous) one after where the reader is, in reading order.
      const order = all(ITEMS);
      const position = order.indexOf(at);
      const found = items.filter(function (el) {
        const p = order.indexOf(el);
        return direction > 0 ? p > position : p < position;
      });
      if (!found.length) return;
      index = items.indexOf(direction > 0 ? found[0] : found[found.length - 1]);
    }
    select(items[index], "move");
  }

  function open() {
    const at = here();
    if (!at) return;
    // The editor: the clause's edit box. The synoptic view: the row's settle form.
    const view = at.querySelector(".clause-view[hx-get]");
    if (view) {
      view.click();
      return;
    }
    const settle = at.querySelector("details.settle");
    if (settle) {
      if (!settle.open) settle.open = true;
      const focusChoice = function () {
        const choice = at.querySelector("form.settle-form input[name=choice]");
        if (choice) {
          choice.focus();
          return true;
        }
        return false;
      };
      if (!focusChoice()) {
        // The form is fetched when the row's settle is opened (htmx): focus its first choice then.
        const wait = function () {
          if (focusChoice()) document.body.removeEventListener("htmx:afterSettle", wait);
        };
        document.body.addEventListener("htmx:afterSettle", wait);
      }
      document.dispatchEvent(new CustomEvent("room:select", { detail: { element: at, how: "open" } }));
    }
  }

  // Save: the form the focus is in, else the one open in the current clause.
  function save() {
    const active = document.activeElement;
    let form = active && active.closest ? active.closest("form.clause-form, form.settle-form") : null;
    if (!form) {
      const at = here();
      form = at ? at.querySelector("form.clause-form, form.settle-form") : null;
    }
    if (form) {
      // As in editor.js: a form the focus reached before htmx settled it is given its request now.
      if (window.htmx) window.htmx.process(form);
      form.requestSubmit();
      return true;
    }
    return false;
  }

  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey) return;
    const mod = event.ctrlKey || event.metaKey;
    // Saving works from inside the fields too: that is where one saves from.
    if (mod && (event.key === "s" || event.key === "S")) {
      if (save()) event.preventDefault();
      return;
    }
    if (mod && event.key === "Enter" && event.target.closest && event.target.closest("form.settle-form")) {
      event.preventDefault();
      save();
      return;
    }
    if (event.key === "Escape" && event.target.closest && event.target.closest("form.settle-form")) {
      // Esc leaves the settle form as the editor's Esc leaves an edit box: closed, back on the row.
      const row = event.target.closest(ITEMS);
      const details = event.target.closest("details.settle");
      if (details) details.open = false;
      if (row) select(row, "focus");
      event.preventDefault();
      return;
    }
    if (mod || typing(event.target)) return;
    if (help && help.open && event.key !== "?") return; // the dialog has the keyboard (Esc closes it)
    let handled = true;
    switch (event.key) {
      case "?":
        toggleHelp();
        break;
      case "j":
        step(ITEMS, 1);
        break;
      case "k":
        step(ITEMS, -1);
        break;
      case "n":
        step(CHANGES, 1);
        break;
      case "N":
      case "p":
        step(CHANGES, -1);
        break;
      case "u":
        if (UNSETTLED) step(UNSETTLED, 1); else handled = false;
        break;
      case "U":
        if (UNSETTLED) step(UNSETTLED, -1); else handled = false;
        break;
      case "o":
        open();
        break;
      case "Enter":
        // On a clause itself (not on a link or a button in it): open it.
        if (event.target.matches && event.target.matches(ITEMS)) open(); else handled = false;
        break;
      case "s":
        if (!save()) open();
        break;
      case "/": {
        const find = document.getElementById("find-in-page");
        if (find) find.focus(); else handled = false;
        break;
      }
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  });

  // A click or a Tab into a clause makes it the current one, so that "next" goes on from there.
  document.addEventListener("focusin", function (event) {
    const holder = event.target.closest && event.target.closest(ITEMS);
    if (!holder || holder === live(current)) return;
    const old = live(current);
    if (old) old.classList.remove("kb-current");
    current = holder;
    holder.classList.add("kb-current");
    document.dispatchEvent(new CustomEvent("room:select", { detail: { element: holder, how: "focus" } }));
  });

  // A row settled (or a clause saved) comes back as a new element: it stays the current one, and
  // the focus, lost with the old element, comes back to it so that the next key goes on from there.
  document.body.addEventListener("htmx:afterSettle", function () {
    const now = live(current);
    if (!now || now === current) return;
    current = now;
    now.classList.add("kb-current");
    if (document.activeElement === document.body || !document.activeElement) {
      const target = now.querySelector(".clause-tools button.edit") || now;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  });

  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", toggleHelp);
  });
  if (help) {
    help.querySelector("[data-close]")?.addEventListener("click", function () { help.close(); });
  }
})();
