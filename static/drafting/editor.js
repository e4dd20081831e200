// The proposal editor: keyboard shortcuts, "use their text" after a conflict,
// and live updates of what other delegates save, without losing what you type.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;
  let version = Number(editor.dataset.version || 0);

  document.addEventListener("keydown", function (event) {
    const form = event.target.closest && event.target.closest(".clause-form");
    if (form) {
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
    const view = event.target.closest && event.target.closest(".clause-view[hx-get]");
    if (view && event.key === "Enter") {
      event.preventDefault();
      view.click();
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button.use-theirs");
    if (!button) return;
    const textarea = button.closest("form").querySelector("textarea");
    textarea.value = button.dataset.text;
    textarea.focus();
  });

  // After a swapped-in form appears, put the cursor in it.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const textarea = event.detail.target && event.detail.target.querySelector && event.detail.target.querySelector(".clause-form textarea");
    if (textarea) {
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    }
  });

  document.body.addEventListener("draft-saved", function (event) {
    if (event.detail && event.detail.version) version = Math.max(version, Number(event.detail.version));
  });

  document.body.addEventListener("draft-error", function (event) {
    announce(event.detail.message, true);
  });

  function announce(message, isError) {
    const box = document.getElementById("messages");
    if (!box) return;
    const p = document.createElement("p");
    p.className = "message" + (isError ? " error" : "");
    p.textContent = message;
    box.replaceChildren(p);
  }

  // Merge a fresh draft into the page, keeping any clause that is being edited as it is.
  function merge(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = doc.getElementById("draft");
    const current = document.getElementById("draft");
    if (!fresh || !current) return;
    const active = document.activeElement;
    current.querySelectorAll(".clause.editing").forEach(function (node) {
      const twin = fresh.querySelector("#" + CSS.escape(node.id));
      if (twin) twin.replaceWith(node);
    });
    // An open history and comments panel stays open.
    current.querySelectorAll(".clause:not(.editing) .panel-slot").forEach(function (slot) {
      if (!slot.children.length) return;
      const twin = fresh.querySelector("#" + CSS.escape(slot.id));
      if (twin) twin.replaceWith(slot);
    });
    const changes = doc.getElementById("change-list");
    if (changes) {
      changes.removeAttribute("hx-swap-oob");
      document.getElementById("change-list").replaceWith(changes);
      fresh.querySelectorAll("#change-list").forEach(function (n) { n.remove(); });
    }
    current.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    if (active && document.body.contains(active)) active.focus();
    version = Number(fresh.dataset.version || version);
  }

  // The live channel (live.js) says when the draft has a newer version: fetch that version,
  // rendered once and cached for every delegate who asks, and merge it in.
  let wanted = version;
  let fetching = false;
  async function refresh() {
    if (fetching || wanted <= version) return;
    fetching = true;
    const asked = wanted;
    try {
      const url = editor.dataset.draftUrl + "?v=" + asked + "&c=" + encodeURIComponent(editor.dataset.livePass);
      const response = await fetch(url, { headers: { "HX-Request": "true" } });
      if (response.status === 200) merge(await response.text());
    } catch (e) {
      // The network comes and goes; the next event tries again.
    } finally {
      fetching = false;
    }
    if (wanted > version && wanted > asked) refresh();
  }
  editor.addEventListener("live:event", function (event) {
    const data = event.detail.data || {};
    if (event.detail.kind !== "changed") return;
    wanted = Math.max(wanted, Number(data.version || 0));
    refresh();
  });
  editor.addEventListener("live:expired", function () {
    announce("Live updates have stopped: reload the page to see other delegates' changes.", true);
  });
})();
