"""Folios drawn in a later pass, for a report laid out in parts (report/layout/parts.py).

A folio counts pages ("Page 7 of 212"): a part laid out alone cannot know its numbers, and an
edit that adds a page would change every later one. So the margin boxes whose content counts
pages are left out of the parts, and drawn once over the whole page sequence: a document of
empty pages with the report's own styles, the same page names in the same order, and only
those margin boxes, laid over the parts' pages when they are joined (report/layout/merge.py). It
costs about 3 ms a page, and is cached while the sequence of pages does not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tinycss2

MARGIN_BOXES = (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner",
    "left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom",
)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
SIDES = re.compile(r"@page[^{]*:(left|right|recto|verso|blank)\b", re.I)
PAGE_FUNCTIONS = {"counter", "counters"}
CONTENT_FUNCTIONS = {"string", "element", "content", "attr", "target-counter", "target-text",
                     "target-counters", "leader"}


@dataclass(frozen=True)
class Folios:
    boxes: frozenset[str]  # margin boxes whose content counts pages

    def part_css(self) -> str:
        """What a part leaves out: the folio boxes."""
        return "".join(f"@page {{ @{box} {{ content: none !important; }} }}\n"
                       for box in sorted(self.boxes))

    def overlay_css(self) -> str:
        """What the folio pass leaves out: everything but the folio boxes."""
        others = "".join(f"@{box} {{ content: none !important; }} "
                         for box in MARGIN_BOXES if box not in self.boxes)
        return (f"@page {{ {others}background: none !important; border: none !important; "
                "@footnote { background: none !important; } }\n"
                "html, body { background: none !important; }\n")


def _functions(tokens: list) -> set[str]:  # type: ignore[type-arg]
    out: set[str] = set()
    for token in tokens:
        if token.type == "function":
            name = token.lower_name
            first = next((t for t in token.arguments if t.type == "ident"), None)
            if name in PAGE_FUNCTIONS and first is not None and first.lower_value in (
                    "page", "pages"):
                out.add("page")
            else:
                out.add(name)
            out |= _functions(token.arguments)
    return out


def _page_rules(rules: list) -> list:  # type: ignore[type-arg]
    out = []
    for rule in rules:
        if rule.type != "at-rule" or rule.content is None:
            continue
        if rule.lower_at_keyword == "page":
            out.append(rule)
        elif rule.lower_at_keyword in ("media", "supports", "layer"):
            out += _page_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                         skip_comments=True))
    return out


def analyse(html: str) -> Folios | None:
    """The folio boxes of the HTML's styles; None when they cannot be drawn apart: a margin box
    that counts pages and also prints text from the document (a running head), or page rules
    for left, right or blank pages (a part's pages would not know their side)."""
    css = "\n".join(STYLE.findall(html[:html.find("</head>")]))
    if SIDES.search(css):
        return None
    boxes: set[str] = set()
    for rule in _page_rules(tinycss2.parse_stylesheet(css, skip_whitespace=True,
                                                       skip_comments=True)):
        for item in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True,
                                                   skip_comments=True):
            if item.type != "at-rule" or item.lower_at_keyword not in MARGIN_BOXES:
                continue
            for declaration in tinycss2.parse_blocks_contents(
                    item.content or [], skip_whitespace=True, skip_comments=True):
                if declaration.type != "declaration" or declaration.lower_name != "content":
                    continue
                used = _functions(declaration.value)
                if "page" in used:
                    if used & CONTENT_FUNCTIONS:
                        return None
                    boxes.add(item.lower_at_keyword)
    # A box that counts pages on some pages and prints a running head on others is drawn by
    # both passes; refuse it too.
    return Folios(frozenset(boxes)) if not _mixed(css, boxes) else None


def _mixed(css: str, boxes: set[str]) -> bool:
    for rule in _page_rules(tinycss2.parse_stylesheet(css, skip_whitespace=True,
                                                       skip_comments=True)):
        for item in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True,
                                                   skip_comments=True):
            if item.type == "at-rule" and item.lower_at_keyword in boxes:
                for declaration in tinycss2.parse_blocks_contents(
                        item.content or [], skip_whitespace=True, skip_comments=True):
                    if (declaration.type == "declaration" and declaration.lower_name == "content"
                            and _functions(declaration.value) & CONTENT_FUNCTIONS):
                        return True
    return False


Levels = list[tuple[str, bool]]  # a page's groups, outermost first: (name, starts on it)


def overlay_html(head: str, tail: str, pages: list[tuple[str, Levels]], folios: Folios) -> str:
    """A document of empty pages: `pages` gives each page's name ("" for none) and the page
    groups it is in, outermost first, each with whether it begins on that page. The groups
    nest as in the report (a landscape table's pages inside the body's), so that a rule
    such as `@page :nth(1 of body)` matches the same pages."""
    body: list[str] = []
    opened: list[str] = []
    for index, (name, levels) in enumerate(pages):
        if name and not levels:  # named, yet in no group WeasyPrint kept (a page it went on)
            levels = ([(n, False) for n in opened[:opened.index(name) + 1]] if name in opened
                      else [(name, True)])
        keep = 0
        while (keep < min(len(opened), len(levels)) and levels[keep][0] == opened[keep]
               and not levels[keep][1]):
            keep += 1
        body += ["</div>"] * (len(opened) - keep)
        del opened[keep:]
        brk = "" if index == 0 else "break-before: page; "
        if keep == len(levels):  # the page goes on in the groups open
            body.append(f'<div style="{brk}"></div>')
            continue
        for depth, (name, _) in enumerate(levels[keep:]):
            body.append(f'<div style="page: {name}; {brk if depth == 0 else ""}">')
            opened.append(name)
        body.append("<div></div>")
    body += ["</div>"] * len(opened)
    document = head + "".join(body) + tail
    return document.replace("</head>", f"<style>/* folios */{folios.overlay_css()}</style>\n"
                            "</head>", 1)
