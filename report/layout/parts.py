"""Splitting a report's HTML into parts that can be laid out apart, in parallel, and cached.

The templates mark with `<!--report:part-->` each place where the CSS forces a page break
(before the body, each appendix, and each section when `sections: new-page`); `main` in the
marker says that the break falls inside <main>. Whatever follows a forced break is laid out
the same whether the pages before it are in the same document or not, except for what counts
across the break, which each part is told:

- the footnote counter: a part starts it at the number of notes before it;
- the page counter: folios are left out of the parts and drawn in one later pass over the
  whole page sequence (report/layout/folios.py); page references are printed from the page facts
  (`data-page`, report/layout/backrefs.py), never counted within a part;
- `:first`: a part other than the first begins with one empty lead page, dropped afterwards,
  so that its first real page is not the document's first.

Consecutive parts of one kind (front matter, body, appendices) are grouped into chunks of
about CHUNK_BYTES of HTML, the unit that is laid out, cached and re-laid after an edit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

MARKER = re.compile(r"<!--report:part( main)?-->")
MAIN_OPEN = re.compile(r"<main\b[^>]*>")
JOINED = re.compile(r"</main>(\s*)<main\b[^>]*>")
# with the line break before them: a part is the same HTML whether "of N" is known or not
FOLIO_RULES = re.compile(r"\s*/\* report:folios \*/.*?/\* /report:folios \*/", re.S)
FOOTNOTE = re.compile(r'<[a-z]+ class="footnote"')
# About 30 pages of the theme's body text: big enough that a part's fixed cost (styles,
# fonts, writing) stays small, small enough for two cores to share a report, for an edit to
# re-lay a few dozen pages, and for a worker to stay near 300 MB.
CHUNK_BYTES = 80_000
LEAD = ('<div class="report-part-lead" style="page: report-part-lead; break-after: page; '
        'height: 0; margin: 0; padding: 0; border: 0"></div>')


@dataclass(frozen=True)
class Part:
    html: str
    kind: str  # front, body or back
    main: str | None  # the <main> start tag when the part lies inside <main>, else None
    continues: bool  # inside <main> and not its first part: the page group goes on

    @property
    def signature(self) -> str:
        """The part's beginning, hashed: it names the part across edits elsewhere."""
        return hashlib.sha256(self.html[:600].encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    index: int
    html: str  # a whole HTML document
    lead: int  # empty lead pages to drop
    first_note: int  # footnotes before the chunk
    continues: bool
    size: int  # bytes of its parts' HTML: the order in which chunks are laid out
    probed: bool = False  # ends with the start of the next chunk (`probe`)
    next_part: str = ""  # the signature of the next chunk's first part

    @property
    def key(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()[:32]


def split(html: str) -> tuple[str, str, list[Part]] | None:
    """(head up to and including <body ...>, the body's closing part, parts); None when the
    HTML has no markers (a template without them is laid out whole)."""
    start = html.find("<body", max(html.find("</head>"), 0))
    end = html.rfind("</body>")
    if start < 0 or end < 0 or not MARKER.search(html, start, end):
        return None
    open_end = html.index(">", start) + 1
    head, body, tail = html[:open_end], html[open_end:end], html[end:]
    parts: list[Part] = []
    kind = "front"
    main_tag: str | None = None
    inside = False
    position = 0
    pieces: list[tuple[str, bool]] = []  # (fragment, the marker after it is a `main` one)
    for marker in MARKER.finditer(body):
        pieces.append((body[position:marker.start()], bool(marker.group(1))))
        position = marker.end()
    pieces.append((body[position:], False))
    continues = False
    for fragment, breaks_main in pieces:
        opened = MAIN_OPEN.search(fragment)
        if opened:
            main_tag, inside, kind = opened.group(0), True, "body"
        prefix = main_tag if continues and main_tag else ""
        closes = "</main>" in fragment
        suffix = "</main>" if breaks_main else ""
        if fragment.strip():
            parts.append(Part(prefix + fragment + suffix, kind,
                              main_tag if inside else None, continues))
        if closes:
            inside, kind = False, "back"
        continues = breaks_main
    return head, tail, parts


def group(parts: list[Part], limit: int | None = None,
          joined: frozenset[str] = frozenset()) -> list[list[Part]]:
    """Consecutive parts of one kind, about `limit` bytes a group; a part whose signature is in
    `joined` stays with the part before it (its start was found not to be a clean page break:
    a footnote carried over onto it, or a style that removes the break)."""
    limit = limit or CHUNK_BYTES
    groups: list[list[Part]] = []
    size = 0
    for part in parts:
        if groups and (part.signature in joined or groups[-1][-1].kind == part.kind
                       and size + len(part.html) <= limit):
            groups[-1].append(part)
            size += len(part.html)
        else:
            groups.append([part])
            size = len(part.html)
    return groups


def join(parts: list[Part]) -> str:
    """One group's HTML: a `main` closed and reopened between two of its parts is joined."""
    return JOINED.sub(r"\1", "".join(part.html for part in parts))


BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "li", "dd", "dt", "blockquote",
          "figure", "table", "ul", "ol", "section", "aside", "nav"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Opening(HTMLParser):
    """Finds where the first block inside the outermost element of a fragment ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.end: int | None = None
        self.lines = [0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.end is None and tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.end is not None or tag not in self.stack:
            return
        while self.stack and self.stack.pop() != tag:
            pass
        if tag in BLOCKS and len(self.stack) >= 1:
            line, column = self.getpos()
            self.end = self.lines[line - 1] + column + len(f"</{tag}>")


def probe(fragment: str) -> str:
    """The beginning of `fragment`, its first block complete and its open elements closed,
    marked `data-report-probe`: laid out after a chunk, it tells whether the next chunk really
    starts a page there in the whole document (report/layout/workers.py)."""
    parser = _Opening()
    parser.lines = [0]
    for line in fragment.splitlines(keepends=True):
        parser.lines.append(parser.lines[-1] + len(line))
    parser.feed(fragment)
    if parser.end is None:
        return ""
    head = fragment[:parser.end] + "".join(f"</{tag}>" for tag in reversed(parser.stack))
    # the mark goes on the first element that is not a <main> reopened for it (joined away)
    return re.sub(r"<(?!main\b)([a-zA-Z][a-zA-Z0-9]*)", r"<\1 data-report-probe", head.lstrip(),
                  count=1)


def chunks(html: str, extra_css: str, limit: int | None = None,
           joined: frozenset[str] = frozenset()) -> list[Chunk] | None:
    """The report as chunks, each a document of its own; None when it cannot be split."""
    found = split(html)
    if found is None:
        return None
    head, tail, parts = found
    head = FOLIO_RULES.sub("", head)  # folios are drawn apart (report/layout/folios.py)
    out: list[Chunk] = []
    notes = 0
    last_main = next((p.main for p in parts if p.main), None)
    groups = group(parts, limit, joined)
    for index, members in enumerate(groups):
        body = join(members)
        after = probe(groups[index + 1][0].html) if index + 1 < len(groups) else ""
        lead = 0 if index == 0 else 1
        css = extra_css
        if notes:
            css += f"\nhtml {{ counter-reset: footnote {notes}; }}"
        # After the body, a hidden, empty <main> stands for it, so that rules such as
        # `main ~ .appendix` (the per-section note counter) match as in the whole document.
        ghost = ""
        if members[0].kind == "back" and last_main:
            ghost = last_main.replace(">", ' style="display: none">', 1) + "</main>"
        # a probe that continues <main> goes inside this chunk's <main>, as in the whole report
        document = head + ghost + (LEAD * lead) + JOINED.sub(r"\1", body + after) + tail
        document = document.replace("</head>", f"<style>/* part */{css}</style>\n</head>", 1)
        notes_here = len(FOOTNOTE.findall(body))
        out.append(Chunk(index, document, lead, notes, members[0].continues,
                         sum(len(p.html) for p in members), bool(after),
                         groups[index + 1][0].signature if after else ""))
        notes += notes_here
    return out
