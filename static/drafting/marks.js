// Revision marks while typing: a word diff of the text as it was and the text typed (the longest
// common subsequence of words), as Word's Track Changes shows it. Used by the editor (the marks above
// an open box) and the projector (the words the officer types, on the room's screen).
(function () {
  "use strict";
  if (window.draftingMarks) return;

  function wordDiff(a, b) {
    const x = a.match(/\s+|[^\s]+/g) || [], y = b.match(/\s+|[^\s]+/g) || [];
    const n = x.length, m = y.length;
    if (n * m > 400000) return [["delete", a], ["insert", b]];
    const lcs = [];
    for (let i = 0; i <= n; i++) lcs.push(new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const out = [];
    const push = function (op, t) {
      if (out.length && out[out.length - 1][0] === op) out[out.length - 1][1] += t; else out.push([op, t]);
    };
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) { push("equal", x[i]); i++; j++; }
      else if (lcs[i + 1][j] >= lcs[i][j + 1]) { push("delete", x[i]); i++; }
      else { push("insert", y[j]); j++; }
    }
    while (i < n) push("delete", x[i++]);
    while (j < m) push("insert", y[j++]);
    // A lone space kept between two changes reads as noise ("~~the~~ ~~World~~"): one deletion
    // and one insertion per run of changes, as the server's marks show them.
    const runs = [];
    for (let k = 0; k < out.length; k++) {
      const seg = out[k];
      const between = seg[0] === "equal" && /^\s+$/.test(seg[1]) && k > 0 && k < out.length - 1;
      if (seg[0] !== "equal" || between) {
        let last = runs[runs.length - 1];
        if (!last || last.equal) { last = { del: "", ins: "" }; runs.push(last); }
        if (seg[0] !== "insert") last.del += seg[1];
        if (seg[0] !== "delete") last.ins += seg[1];
      } else {
        runs.push({ equal: seg[1] });
      }
    }
    const merged = [];
    runs.forEach(function (r) {
      if (r.equal !== undefined) { merged.push(["equal", r.equal]); return; }
      if (r.del.trim() === r.ins.trim()) { merged.push(["equal", r.ins]); return; }
      if (r.del) merged.push(["delete", r.del]);
      if (r.ins) merged.push(["insert", r.ins]);
    });
    return merged;
  }

  // The nodes of the marked text: deleted words struck through, inserted ones underlined.
  function nodes(before, after) {
    return wordDiff(before, after).map(function (seg) {
      const node = document.createElement(seg[0] === "delete" ? "del" : seg[0] === "insert" ? "ins" : "span");
      node.textContent = seg[1];
      return node;
    });
  }

  window.draftingMarks = { wordDiff: wordDiff, nodes: nodes };
})();
