"""Checks of a page as it stands in the browser that axe-core does not make: the contrast of focus
indicators against what surrounds them (WCAG 2.1 SC 1.4.11), and content pushed out of sight
sideways at a phone's width (SC 1.4.10). Each returns the problems it found, in words."""

from __future__ import annotations

# Every kind of focusable element (tag, classes, the region it is in) is focused once after a key
# press, so that :focus-visible applies as it does for a keyboard user; its outline is measured
# against the surface inside the ring (the element itself when the ring touches it, else the
# surface under the gap) and the surface outside it, each at least 3:1.
FOCUS_RINGS = r"""
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r, g, b, a};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const surface = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const seen = new Set();
  const problems = [];
  const focusable = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])");
  for (const el of focusable) {
    if (el.disabled || !el.getClientRects().length) continue;
    const region = el.closest("header, nav, aside, footer, form, table, .clause, .syn-row, dialog, main");
    const kind = `${el.tagName}.${[...el.classList].sort().join(".")} in ${region ? region.tagName + "." + [...region.classList].sort().join(".") : "body"}`;
    if (seen.has(kind)) continue;
    seen.add(kind);
    el.focus({preventScroll: true});
    if (document.activeElement !== el) continue;
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    const color = parse(style.outlineColor);
    const offset = parseFloat(style.outlineOffset) || 0;
    const name = (el.getAttribute("aria-label") || el.textContent || el.name || el.id || "").trim().slice(0, 40);
    if (style.outlineStyle === "none" || width < 2 || !color) {
      problems.push(`${kind} “${name}”: no focus ring (outline ${style.outlineStyle} ${style.outlineWidth})`);
      continue;
    }
    const outside = surface(el.parentElement);
    const inside = offset > 0 ? outside : surface(el);
    const worst = Math.min(ratio(color, outside), ratio(color, inside));
    if (worst < 3) problems.push(`${kind} “${name}”: focus ring ${worst.toFixed(2)}:1 against its surroundings`);
  }
  document.activeElement && document.activeElement.blur();
  return problems;
}
"""

# At a phone's width nothing may stand beyond the window's right (left, in Arabic) edge, whether it
# widens the page or hides in a box that scrolls sideways (a table's status column, a form's Save).
SIDEWAYS = r"""
(width) => {
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) problems.push(`the page is ${page} px wide in a ${width} px window`);
  for (const el of document.querySelectorAll("body *")) {
    if (el.matches("textarea, input, select, option, pre, code, svg, svg *, .sr-only, .sr-only *")) continue;
    const style = getComputedStyle(el);
    if (!["auto", "scroll", "hidden"].includes(style.overflowX) || style.display === "none") continue;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1 && el.getClientRects().length) {
      const what = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
      problems.push(`${what} hides ${el.scrollWidth - el.clientWidth} px sideways`);
    }
  }
  return problems;
}
"""
