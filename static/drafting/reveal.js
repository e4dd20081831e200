// Whatever opens a form under the reader's eyes (an edit box, an add form, a settle form, a
// comment box, a disclosure holding a form) is scrolled just enough that the whole of it, its
// Save button included, is in view: never opened below the fold, never hidden under the find bar;
// and it answers a key the moment it is there.
(function () {
  "use strict";
  function reveal(element) {
    window.requestAnimationFrame(function () {
      if (!document.body.contains(element)) return;
      const box = element.getBoundingClientRect();
      const bar = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--find-bar-h")) || 0;
      const top = bar + 8;
      const bottom = window.innerHeight - 8;
      let by = 0;
      if (box.bottom > bottom) by = box.bottom - bottom;
      // A form taller than the window shows its start (the field), not only its buttons.
      if (box.top - by < top) by = box.top - top;
      if (by) window.scrollBy({ top: by, behavior: "instant" });
    });
  }
  // "toggle" does not bubble: listened to on the way down.
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (details.open && details.querySelector("form, textarea, input:not([type=hidden])")) reveal(details);
  }, true);
  document.addEventListener("htmx:afterSettle", function (event) {
    const swapped = event.detail && event.detail.elt;
    if (!swapped || !swapped.matches) return;
    // Only what the reader opened: a form fetched as its row scrolls into view moves nothing.
    const config = event.detail.requestConfig;
    const trigger = config && config.triggeringEvent;
    if (!trigger || !["click", "submit", "keydown", "keyup", "toggle"].includes(trigger.type)) return;
    const form = swapped.matches("form.clause-form, form.settle-form, .clause-panel")
      ? swapped
      : swapped.querySelector("form.clause-form, form.settle-form, .clause-panel");
    if (form) reveal(form);
  });
  // What htmx swaps in is on the page (and may have the focus) at once, but htmx gives its buttons and
  // forms their requests only when it settles, a timer later: a key or a press in between went to a
  // button that did nothing, or submitted a form as a plain page. Whatever is still settling is
  // processed when the key or the press comes; that is what htmx does at settle, and twice changes nothing.
  function now(event) {
    const settling = event.target.closest && event.target.closest(".htmx-settling");
    if (settling && window.htmx) window.htmx.process(settling);
  }
  document.addEventListener("keydown", now, true);
  document.addEventListener("pointerdown", now, true);
})();
