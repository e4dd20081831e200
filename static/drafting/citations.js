// The proposal editor's live citation check: while a delegate types in a clause, the
// citations in the text are read by the server's parser and library and listed under the
// text box, each saying where it leads and whether it is the current edition.
(function () {
  "use strict";
  var DELAY_MS = 400;
  var timers = new WeakMap();
  var pending = new WeakMap();

  function checkUrl(form) {
    var match = (form.getAttribute("action") || "").match(/\/proposals\/(\d+)\//);
    return match ? "/proposals/" + match[1] + "/citations/" : null;
  }

  function panelFor(textarea) {
    var id = textarea.id + "-citations";
    var panel = document.getElementById(id);
    if (!panel) {
      panel = document.createElement("div");
      panel.id = id;
      panel.className = "citation-check";
      panel.setAttribute("aria-live", "polite");
      panel.setAttribute("aria-label", "Citations in this text");
      textarea.insertAdjacentElement("afterend", panel);
    }
    return panel;
  }

  function check(textarea) {
    var form = textarea.closest("form.clause-form");
    var url = form && checkUrl(form);
    if (!url) return;
    var previous = pending.get(textarea);
    if (previous) previous.abort();
    var controller = new AbortController();
    pending.set(textarea, controller);
    var body = new FormData();
    body.append("text", textarea.value);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
      signal: controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && textarea.isConnected) panelFor(textarea).innerHTML = html;
      })
      .catch(function () {
        // An aborted or failed check leaves the last result; the next keystroke tries again.
      });
  }

  function schedule(textarea) {
    clearTimeout(timers.get(textarea));
    timers.set(
      textarea,
      setTimeout(function () {
        check(textarea);
      }, DELAY_MS)
    );
  }

  function isClauseText(target) {
    return target && target.matches && target.matches("form.clause-form textarea[name=text]");
  }

  document.addEventListener("input", function (event) {
    if (isClauseText(event.target)) schedule(event.target);
  });
  // A clause opened for editing shows its citations at once.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("form.clause-form textarea[name=text]").forEach(check);
  });
})();
