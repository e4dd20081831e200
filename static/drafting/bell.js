// The bell in the header: its unread count follows the person's live channel ("notified"
// events carry the new count). The words come from the bell's data attributes (translated
// in the template), never from this file.
(function () {
  "use strict";
  function show(bell, unread) {
    const count = bell.querySelector(".count");
    if (!count) return;
    count.textContent = unread > 0 ? String(unread) : "";
    count.hidden = unread <= 0;
    const label = unread > 0 ? (unread === 1 ? bell.dataset.labelOne : bell.dataset.labelMany) : bell.dataset.labelNone;
    bell.setAttribute("aria-label", (label || "").replace("{n}", String(unread)));
    bell.classList.toggle("unread", unread > 0);
  }
  document.addEventListener("live:event", function (event) {
    const bell = event.target;
    if (!bell || bell.id !== "bell" || !event.detail || event.detail.kind !== "notified") return;
    const unread = Number((event.detail.data || {}).unread);
    if (!Number.isNaN(unread)) show(bell, unread);
    const status = document.getElementById("bell-status");
    if (status && event.detail.data && event.detail.data.latest && unread > 0) status.textContent = event.detail.data.latest;
  });
})();
