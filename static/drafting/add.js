// Typing a new resolution: Tab types a tab (labels are followed by one), Ctrl+Enter saves,
// and Esc lets the next Tab leave the text as usual.
(function () {
  "use strict";
  const textarea = document.getElementById("new-text");
  if (!textarea) return;
  let escaped = false;
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { escaped = true; return; }
    if (event.key === "Tab" && !event.shiftKey && !escaped) {
      event.preventDefault();
      const start = textarea.selectionStart, end = textarea.selectionEnd;
      textarea.setRangeText("\t", start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      textarea.form.querySelector("button[name=save]").click();
    }
    escaped = false;
  });
})();
