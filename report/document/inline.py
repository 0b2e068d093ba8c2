"""Inline text: Markdown (markdown-it-py) with Pandoc's citation syntax and bracketed spans.

`[@key]`, `[@key, p. 12]`, `[see @a, 14; also @b]`, `[-@key]` become citation tokens; text is
parsed once (`parse`) and rendered later (`render`), after the citation stage has formatted
every cluster, because a note's form (full, short, ibid.) depends on all that came before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from report.cite.clusters import CiteItem, Cluster
from report.problems import Location, Problem

# CSL locator terms and the abbreviations people write for them (Pandoc's list, in English).
LOCATORS = {
    "book": ["bk.", "bks.", "book", "books"],
    "chapter": ["ch.", "chs.", "chap.", "chaps.", "chapter", "chapters"],
    "column": ["col.", "cols.", "column", "columns"],
    "figure": ["fig.", "figs.", "figure", "figures"],
    "folio": ["fol.", "fols.", "folio", "folios"],
    "number": ["no.", "nos.", "number", "numbers"],
    "line": ["l.", "ll.", "line", "lines"],
    "note": ["n.", "nn.", "note", "notes"],
    "opus": ["op.", "opp.", "opus", "opera"],
    "page": ["p.", "pp.", "page", "pages"],
    "paragraph": ["para.", "paras.", "paragraph", "paragraphs", "¶", "¶¶"],
    "part": ["pt.", "pts.", "part", "parts"],
    "section": ["sec.", "secs.", "section", "sections", "§", "§§"],
    "sub verbo": ["s.v.", "s.vv.", "sub verbo", "sub verbis"],
    "verse": ["v.", "vv.", "verse", "verses"],
    "volume": ["vol.", "vols.", "volume", "volumes"],
    "appendix": ["app.", "apps.", "appendix", "appendices"],
    "canon": ["can.", "cann.", "canon", "canons"],
    "elocation": ["loc.", "locs.", "location", "locations"],
    "equation": ["eq.", "eqs.", "equation", "equations"],
    "rule": ["r.", "rr.", "rule", "rules"],
    "scene": ["sc.", "scs.", "scene", "scenes"],
    "table": ["tbl.", "tbls.", "table", "tables"],
    "timestamp": ["timestamp"],
    "title": ["tit.", "tits.", "title", "titles"],
}
_TERM = {term: label for label, terms in LOCATORS.items() for term in terms}
_TERMS = sorted(_TERM, key=len, reverse=True)
KEY = r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*?"
# The @ must start a word (Pandoc's rule): `write to a@b.org` is no citation.
# `@{key}`: any key, in braces (a Zotero item's address, a key ending in punctuation)
_ITEM = re.compile(rf"^(?P<prefix>(?:.*?[\s(])?)(?P<minus>-)?@(?:\{{(?P<braced>[^\s{{}}]+)\}}"
                   rf"|(?P<key>{KEY})(?=$|[\s,;\]]|[.:?!](?:\s|$)))(?P<rest>.*)$", re.S)
NOTE_PUNCTUATION = ".,;:!?"


@dataclass
class Note:
    """An inline note `^[...]`; citations inside it are printed in its text."""

    source: str
    clusters: list[Cluster] = field(default_factory=list)
    id: str = ""


XREF_PREFIXES = ("sec:", "ref:")


def is_xref(items: list[CiteItem]) -> bool:
    """`[@sec:aftermath]` refers to a section, `[@ref:id]` to a block or event of the report."""
    return all(item.key.startswith(XREF_PREFIXES) for item in items)


_NUMBER = r"(?:\d+[a-z]?|[ivxlcdm]+\b)"  # 12, 12a, or a roman numeral that is a whole word
_RANGE = rf"{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?"
_NUMBERS = re.compile(rf"^({_RANGE}(?:\s*(?:,|&|and)\s*{_RANGE})*)(?=$|[\s,;.:)])(.*)$",
                      re.I | re.S)


def _split_numbers(value: str, bare: bool) -> tuple[str, str] | None:
    """'33-35, 38-39 and passim' -> ('33-35, 38-39', 'and passim'): the locator ends where the
    numbers end. Without a label, a locator must start with a digit (or be roman numerals
    alone), so that a suffix such as 'comment' is never read as page 'c'."""
    match = _NUMBERS.match(value)
    if not match:
        return None
    locator, rest = match.group(1).strip(), match.group(2)
    if bare and not locator[0].isdigit() and rest.strip():
        return None
    return locator, rest.rstrip()


def parse_locator(text: str) -> tuple[str, str, str]:
    """', p. 12, my comment' -> ('12', 'page', 'my comment'); bare numbers are pages."""
    rest = text.strip()
    if rest.startswith(","):
        rest = rest[1:].strip()
    if not rest:
        return "", "", ""
    for term in _TERMS:
        after = rest[len(term):len(term) + 1]  # the term must end there: "p. 12", not "pages"
        if rest.lower().startswith(term) and (not after.isalpha() or term in "¶§"):
            value = rest[len(term):].strip()
            split = _split_numbers(value, bare=False)
            if split:
                return split[0], _TERM[term], split[1]
            locator, comma, tail = value.partition(",")  # "s.v. word": the locator is a word
            return locator.strip(), _TERM[term], (comma + tail).rstrip()
    split = _split_numbers(rest, bare=True)
    if split:
        return split[0], "page", split[1]
    return "", "", text.strip()  # no locator: all of it is the suffix, comma included


def parse_cluster(inner: str) -> list[CiteItem] | None:
    """The items of `[...]`, or None when the brackets hold no citation."""
    items = []
    for part in inner.split(";"):
        match = _ITEM.match(part.strip())
        if not match:
            return None
        locator, label, suffix = parse_locator(match.group("rest"))
        items.append(CiteItem(match.group("key") or match.group("braced"),
                              match.group("prefix").strip(),
                              suffix.strip() if suffix.strip() not in (",", "") else "",
                              locator, label, bool(match.group("minus"))))
    return items


# A quotation closing the text before a note call: `"` or `”`, or `’`/`'` after an opening one.
CLOSING_QUOTE = re.compile(r"[\"”]$|(?:^|[\s(\[])[‘'][^‘']*[’']$")


def _into_quote(pending: str, moved: str) -> tuple[str, str]:
    """(pending, moved) with a leading period or comma moved inside the closing quotation
    mark before the note call, as in American usage (`“addresses.”¹`): what Pandoc does when
    the locale says punctuation-in-quote."""
    if moved[:1] in (".", ",") and CLOSING_QUOTE.search(pending):
        return pending[:-1] + moved[0] + pending[-1], moved[1:]
    return pending, moved


def _before_calls(state: StateInline, moved: str, inside_quotes: bool) -> None:
    """The punctuation after a run of note calls goes before the first of them."""
    at = len(state.tokens)
    while at and state.tokens[at - 1].type in ("citation", "inline_note"):
        at -= 1
    before = state.tokens[at - 1] if at and state.tokens[at - 1].type == "text" else None
    if before is None:
        before = Token("text", "", 0)
        state.tokens.insert(at, before)
    content = before.content.rstrip()
    if inside_quotes:
        content, moved = _into_quote(content, moved)
    before.content = content if content.endswith(moved) else content + moved


def _citation_rule(note_style: bool,
                   inside_quotes: bool = False) -> Callable[[StateInline, bool], bool]:
    def rule(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        if src[start] != "[" or "@" not in src[start:start + 200]:
            return False
        end = state.md.helpers.parseLinkLabel(state, start, True)
        if end < 0 or (end + 1 < len(src) and src[end + 1] in "({"):
            return False
        items = parse_cluster(src[start + 1:end])
        if not items:
            return False
        if silent:  # markdown-it's contract: a matching rule advances the position even here
            state.pos = end + 1
            return True
        if is_xref(items):  # a cross-reference is text, not a note: nothing moves
            state.pos = end + 1
            token = state.push("xref", "", 0)
            token.meta = {"items": items, "source": src[start:end + 1]}
            return True
        pos = end + 1
        in_note = bool(state.env.get("in_note"))  # then the citation is text of that note
        if note_style and not in_note:  # Pandoc: the note call goes after the punctuation
            state.pending = state.pending.rstrip()
            moved = ""
            while pos < len(src) and src[pos] in NOTE_PUNCTUATION and len(moved) < 3:
                moved += src[pos]
                pos += 1
            if moved and not state.pending and state.tokens \
                    and state.tokens[-1].type in ("citation", "inline_note"):
                _before_calls(state, moved, inside_quotes)  # `a [@x][@y].`: a.¹,²
            else:
                if inside_quotes:
                    state.pending, moved = _into_quote(state.pending, moved)
                state.pending += moved
        token = state.push("citation", "", 0)
        token.meta = {"cluster": Cluster(items, src[start:end + 1])}
        state.pos = pos
        return True

    return rule


def _note_rule(state: StateInline, silent: bool) -> bool:
    """`^[note text]`: an explicatory footnote written in place (Pandoc's inline note)."""
    src, start = state.src, state.pos
    if not src.startswith("^[", start):
        return False
    end = state.md.helpers.parseLinkLabel(state, start + 1, False)
    if end < 0:
        return False
    if silent:
        state.pos = end + 1
        return True
    children: list[Token] = []
    state.env["in_note"] = True
    try:
        state.md.inline.parse(src[start + 2:end], state.md, state.env, children)
    finally:
        state.env["in_note"] = False
    state.pending = state.pending.rstrip()
    token = state.push("inline_note", "", 0)
    clusters = [t.meta["cluster"] for t in children if t.type == "citation"]
    for cluster in clusters:
        cluster.in_note = True
    token.meta = {"note": Note(src[start:end + 1], clusters)}
    token.children = children
    state.pos = end + 1
    return True


SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def safe_image(src: str) -> bool:
    """An image file inside the project: a relative path, with no scheme (file:, http:,
    data:), not absolute, never leading out with `..` (percent-encoded or not)."""
    path = unquote(src.strip())
    return bool(path) and not _SCHEME.match(path) and not path.startswith(("/", "\\")) \
        and ".." not in re.split(r"[/\\]", path)


def _check_urls(state: StateCore) -> None:
    """Records every link and image as (kind, URL) in env["urls"] (report/checks/safety.py reports
    the refused ones with file and line) and unlinks the refused ones, so that they are
    never rendered even if a caller ignores the errors. Raw HTML is escaped (html=False)."""
    urls = state.env.setdefault("urls", [])

    def as_text(token: Token, text: str) -> None:
        token.type, token.tag, token.attrs, token.children, token.content = "text", "", {}, \
            None, text

    def walk(tokens: list[Token]) -> None:
        refused = False
        for token in tokens:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                urls.append(("link", href))
                refused = not SAFE_LINK.match(href.strip())
                if refused:
                    as_text(token, "")
            elif token.type == "link_close":
                if refused:
                    as_text(token, "")
                refused = False
            elif token.type == "image":
                src = str(token.attrGet("src") or "")
                urls.append(("image", src))
                if not safe_image(src):
                    as_text(token, token.content)  # the image's description
            elif token.children:
                walk(token.children)

    walk(state.tokens)


def make_parser(note_style: bool = True, inside_quotes: bool = False) -> MarkdownIt:
    """The parser of a report's inline text; in a note style the note call goes after the
    punctuation, and `inside_quotes` (the locale's punctuation-in-quote) moves a period or
    comma inside a quotation mark that closes before it."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["replacements", "smartquotes"])
    md.use(attrs_plugin, spans=True, allowed=["lang", "class", "id"])
    md.inline.ruler.before("link", "citation", _citation_rule(note_style, inside_quotes))
    md.inline.ruler.before("citation", "inline_note", _note_rule)
    # Every URL is kept while parsing and judged afterwards, with its place (_check_urls).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.push("check_urls", _check_urls)
    return md


@dataclass
class Inline:
    """A parsed piece of inline text: its notes (citation clusters in the text, inline notes)
    and cross-references, in reading order."""

    tokens: list[Token]
    notes: list[Cluster | Note] = field(default_factory=list)
    xrefs: list[tuple[list[CiteItem], str]] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)  # ("link" | "image", URL)
    depth: int = 0  # the deepest nesting of emphasis, links and spans, as written

    @property
    def clusters(self) -> list[Cluster]:
        """Every citation cluster, those inside inline notes included."""
        out: list[Cluster] = []
        for note in self.notes:
            out += note.clusters if isinstance(note, Note) else [note]
        return out


# Emphasis, links, spans and notes inside one another. markdown-it stops links, spans and notes
# at its own `maxNesting` (20 in CommonMark) but not emphasis: 600 `*` around a word were 300
# nested <strong>, and the layout engine, which recurses once per box, failed on them.
MAX_DEPTH = 20


def _as_text(token: Token) -> None:
    """An element's opening or closing printed as its marks (`*`, `**`), as plain text."""
    token.type, token.tag, token.nesting, token.attrs, token.content = "text", "", 0, {}, \
        token.markup


def _limit_depth(tokens: list[Token]) -> int:
    """The deepest nesting of `tokens` (a note's text counts from its call), as written;
    what lies deeper than MAX_DEPTH is made plain text, so that no HTML deeper than that is
    ever made, whoever renders it. No recursion: a stack."""
    deepest = 0
    pending = [(tokens, 0, 0)]  # tokens, their depth as written, their depth as kept
    while pending:
        level, written, kept = pending.pop()
        opened: list[bool] = []  # for each element open here, whether it is kept
        for token in level:
            if token.nesting == 1:
                written += 1
                deepest = max(deepest, written)
                opened.append(kept < MAX_DEPTH)
                if opened[-1]:
                    kept += 1
                else:
                    _as_text(token)
            elif token.nesting == -1 and opened:
                written -= 1
                if opened.pop():
                    kept -= 1
                else:
                    _as_text(token)
            if token.children:
                pending.append((token.children, written, kept))
    return deepest


def parse(md: MarkdownIt, text: str) -> Inline:
    env: dict[str, Any] = {}
    tokens = md.parseInline(text.strip(), env)
    inline = Inline(tokens, urls=env.get("urls", []))
    inline.depth = _limit_depth(tokens[0].children or [])
    for token in tokens[0].children or []:
        if token.type == "citation":
            inline.notes.append(token.meta["cluster"])
        elif token.type == "inline_note":
            inline.notes.append(token.meta["note"])
            inline.xrefs += [(t.meta["items"], t.meta["source"]) for t in token.children or []
                             if t.type == "xref"]
        elif token.type == "xref":
            inline.xrefs.append((token.meta["items"], token.meta["source"]))
    return inline


def nesting_problem(inline: Inline, where: Location) -> Problem | None:
    """The problem a text nested deeper than MAX_DEPTH is (`report check` and a build report
    it the same, from report/checks/project.py); None when it is not."""
    if inline.depth <= MAX_DEPTH:
        return None
    return Problem(where, f"This text nests emphasis, links or spans {inline.depth} levels deep; "
                   f"at most {MAX_DEPTH} can be printed.",
                   "Remove the extra `*` or `_`: `*word*` is emphasis and `**word**` strong "
                   "emphasis, and more marks add nothing.", code="inline-too-deep")


class Renderers:
    """How the parts that need the whole document are printed (set by the model stage)."""

    def cite(self, cluster: Cluster) -> str:  # a citation: a note call, or text in a note
        raise NotImplementedError

    def note(self, note: Note, body: str) -> str:  # an inline note, its body rendered
        raise NotImplementedError

    def xref(self, items: list[CiteItem]) -> str:  # a cross-reference
        raise NotImplementedError


NOTE_CALL = '<span class="footnote"'


def render(md: MarkdownIt, inline: Inline, out: Renderers) -> str:
    """HTML of the text, with notes and cross-references as `out` prints them."""
    calls: list[tuple[list[Token], int]] = []  # the note calls printed so far

    def call(render: Callable[[], str], tokens: list[Token], idx: int) -> str:
        """A note call right after another gets a comma before its number (`⁶,⁷`, not `⁶⁷`:
        class `next-call`, report.css)."""
        follows = bool(calls) and calls[-1][0] is tokens and calls[-1][1] == idx - 1
        html = render()  # a note's body may hold calls of its own: asked before
        if not html.startswith(NOTE_CALL):
            return html
        calls.append((tokens, idx))
        return NOTE_CALL[:-1] + ' next-call"' + html[len(NOTE_CALL):] if follows else html

    def citation(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        return call(lambda: out.cite(tokens[idx].meta["cluster"]), tokens, idx)

    def inline_note(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        def note() -> str:
            body = self.renderInline(tokens[idx].children or [], options, env)
            return out.note(tokens[idx].meta["note"], body)
        return call(note, tokens, idx)

    def xref(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        return out.xref(tokens[idx].meta["items"])

    md.add_render_rule("citation", citation)
    md.add_render_rule("inline_note", inline_note)
    md.add_render_rule("xref", xref)
    return md.renderer.render(inline.tokens, md.options, {})
