"""What the seed proposals that lost their revision marks have in common: lists to number again.

A seed shows the proposed labels, the base's, or both glued together; once the
side a text belongs to is chosen, its lists are numbered again in order, as
the tool and ITU number them.
"""

from __future__ import annotations


def relabel(text: str) -> str:
    """The text with every labelled list numbered again in order, each in its own kind of label."""
    from drafting.engine import labels as lb
    from drafting.engine.parse import parse_resolution
    from drafting.engine.printer import print_resolution

    tree = parse_resolution(text)
    for clause, _ in tree.walk():
        labelled = [c for c in clause.children if c.label]
        if not labelled:
            continue
        kinds = lb.kinds_of(labelled[-1].label) - {lb.NONE}
        # "i)" opens a roman list when "ii)" follows it (or it stands alone); after "h)" it is a letter.
        roman_start = labelled[0].label == "i)" and (len(labelled) == 1 or labelled[1].label == "ii)")
        kind = lb.ROMAN if roman_start else next(iter(sorted(kinds)))
        if kind in (lb.DASH, lb.BULLET):
            continue
        for n, child in enumerate(labelled, start=1):
            child.label = lb.make_label(kind, n)
    return print_resolution(tree)


def number_lines(lines: list[str]) -> list[str]:
    """Lines of one side of a glued text, their labels numbered again in order before the text is parsed.

    A seed's labels are a mix of the two sides ("vi)" after "iv)" once "v)" is left out), which the
    parser cannot nest; here a roman item continues the roman list open under the current letter or
    number item, and a part heading starts every list again.
    """
    from drafting.engine import labels as lb
    from drafting.engine.parse import heading_role, split_label

    counters: dict[str, int] = {}
    out = []
    for line in lines:
        label, text = split_label(line)
        if not label:
            if heading_role(line):
                counters.clear()
            out.append(line)
            continue
        kinds = lb.kinds_of(label)
        kind = lb.ROMAN if lb.ROMAN in kinds and (label != "i)" or counters.get(lb.ALPHA, 0) != 8) else None
        kind = kind or next(iter(sorted(kinds - {lb.NONE})), lb.NUMBER)
        if kind in (lb.DASH, lb.BULLET):
            out.append(line)
            continue
        if kind != lb.ROMAN:
            counters.pop(
                lb.ROMAN, None
            )  # a new letter or number item closes the roman list under the last one
        counters[kind] = counters.get(kind, 0) + 1
        out.append(f"{lb.make_label(kind, counters[kind])}\t{text}")
    return out
