"""Stage 4, document model: everything the templates show, resolved and in reading order.

Built in two steps around the citation stage: `collect` parses every text field (so that all
citation clusters are known, in reading order), and `assemble` renders the text to HTML with the
notes the CSL processor made.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from report.cite.engine import Citations
from report.document import chronology
from report.document.inline import CiteItem, Cluster, Inline, Note, Renderers, parse, render
from report.document.words import words_for
from report.problems import Location
from report.project import walk
from report.project.load import YamlFile
from report.project.schema import Settings, _SourceBase
from report.project.validate import Valid


@dataclass
class Text:
    """A parsed text field, its source text, and where it was written (for messages)."""

    inline: Inline
    where: Location
    source: str
    file: YamlFile


@dataclass
class Collected:
    """All text fields of the project, parsed, keyed by (file name, path in file)."""

    texts: dict[tuple[str, tuple[Any, ...]], Text] = field(default_factory=dict)
    clusters: list[tuple[Cluster, Location]] = field(default_factory=list)
    xrefs: list[tuple[str, Location]] = field(default_factory=list)  # (id, where)
    notes: int = 0  # footnotes so far

    def add(self, md: MarkdownIt, file: YamlFile, path: tuple[Any, ...], source: str) -> None:
        """Parse a text field; number its notes and clusters in reading order."""
        inline = parse(md, source)
        where = file.where(path)
        for note in inline.notes:
            self.notes += 1
            if isinstance(note, Note):
                note.id = f"n{self.notes}"
            for cluster in note.clusters if isinstance(note, Note) else [note]:
                cluster.id, cluster.note = f"c{len(self.clusters) + 1}", self.notes
                self.clusters.append((cluster, locate(file, where, cluster.source)))
        for items, text in inline.xrefs:
            self.xrefs += [(item.key, locate(file, where, text)) for item in items]
        self.texts[(file.name, path)] = Text(inline, where, source, file)


def locate(file: YamlFile, start: Location, needle: str) -> Location:
    """The exact line and column of `needle` at or after `start` (text may be folded)."""
    try:
        lines = file.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return start
    first = needle.split()[0] if needle.split() else needle
    for number in range(max(start.line - 1, 0), len(lines)):
        column = lines[number].find(first)
        if column >= 0:
            return Location(file.name, number + 1, column + 1)
    return start


def collect(valid: Valid, md: MarkdownIt) -> Collected:
    """Parse every text field in the order the reader meets it: the key facts, the sections,
    then the chronology's events in time order. Notes are numbered, and the CSL processor
    decides first, short and "ibid." forms, in this order, so it must be the printed one."""
    out = Collected()
    texts = [*walk.key_fact_texts(valid.project.report, valid.settings)]
    texts += [text for at in walk.blocks(valid.sections) for text in walk.block_texts(at)]
    texts += [text for at in events_in_time_order(valid) for text in walk.event_texts(at)]
    for text in texts:
        out.add(md, text.file, text.path, text.source)
    return out


def events_in_time_order(valid: Valid) -> list[walk.EventAt]:
    """Events as the chronology prints them; undatable ones last (`report check` names them)."""
    found: list[tuple[tuple[Any, ...], walk.EventAt]] = []
    for at in walk.events(valid.sections):
        try:
            key: tuple[Any, ...] = (0, chronology.sort_key(chronology.parse(at.event.date),
                                                           len(found)))
        except ValueError:
            key = (1, len(found))
        found.append((key, at))
    return [at for _, at in sorted(found, key=lambda f: f[0])]


# --- the model the templates read ------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    label: str
    html: Markup


@dataclass(frozen=True)
class BlockView:
    """A block as its template shows it: `kind`, `anchor`, and the fields its spec's `view`
    gives (report/blocks/), read as attributes (`b.html`, `b.speaker`)."""

    kind: str
    anchor: str
    template: str
    fields: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def corrections(self) -> tuple[Any, ...]:
        return tuple(self.fields.get("corrections", ()))


@dataclass(frozen=True)
class SectionView:
    id: str
    number: int
    title: str
    blocks: tuple[BlockView, ...]
    source: str


@dataclass(frozen=True)
class BibEntry:
    id: str
    html: Markup       # the entry's inner HTML
    cited: bool
    lang: str = ""
    note_form: bool = False  # a source the style's bibliography omits, shown as its full note
    pages: tuple[tuple[str, str], ...] = ()  # (printed page, first note there); PDF only


@dataclass(frozen=True)
class BibGroup:
    title: str  # "" for the single list of a style's own order (no heading)
    entries: tuple[BibEntry, ...]
    numbered: bool = False  # the entries start with the style's number ([1], 1.)


@dataclass(frozen=True)
class BuildInfo:
    """What the colophon and the metadata say about the build."""

    generator: str  # "report 0.1.0 (WeasyPrint 70.0)"
    date: str  # ISO date
    date_label: str  # as printed: "13 January 1990"
    fonts: str  # the fonts' names, for the colophon


@dataclass(frozen=True)
class Listed:
    """A numbered block in a list of tables or figures: its label, its caption as plain text
    (its notes left out: they are printed where the caption is), its anchor."""

    kind: str  # "table", "figure"
    label: str  # "Table 2"
    caption: str
    anchor: str


class _PlainText(HTMLParser):
    """The text of an HTML fragment, without the footnotes it calls."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0  # inside a footnote: count the spans open in it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or "footnote" in (dict(attrs).get("class") or "").split():
            self.depth += tag == "span" or self.depth == 0

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "span":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.out.append(data)


def plain_text(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    return " ".join("".join(parser.out).split())


@dataclass(frozen=True)
class DocumentModel:
    settings: Settings
    facts: tuple[Fact, ...]
    sections: tuple[SectionView, ...]
    chronology: tuple[chronology.YearGroup, ...]
    bibliography: tuple[BibGroup, ...]
    note_style: bool
    style_title: str
    build: BuildInfo
    corrections: tuple[tuple[str, Any], ...]
    cited_pages: dict[str, list[tuple[str, str]]] | None = None
    last_page: str = ""  # the number printed on the last page, once a layout has told
    citation_family: str = "note"  # note, author-date, author, numeric, label (cite.engine.Style)
    listed: tuple[Listed, ...] = ()  # the numbered blocks (tables, figures), in order


# The publications list's groups, by CSL type; their titles are words of the report's language.
GROUPS = (
    ("group-books", {"book", "report", "chapter", "thesis", "pamphlet", "collection",
                           "paper-conference", "classic"}),
    ("group-articles", {"article-newspaper", "article-magazine", "article",
                                         "article-journal", "periodical", "review", "post",
                                         "post-weblog", "webpage"}),
    ("group-official", {"legislation", "bill", "treaty", "regulation",
                                            "hearing", "legal_case", "standard"}),
)
OTHER_GROUP = "group-other"


OFFICIAL_GENRES = ("resolution", "decree", "decision", "declaration", "official")


def group_of(source: _SourceBase) -> str:
    """The publications-list group (the key of its title in report/document/words.py): by CSL
    type; a `document` whose genre names an official act (a resolution, a decree...) counts
    as an official document."""
    if source.type == "document" and any(g in str(source.genre or "").lower()
                                         for g in OFFICIAL_GENRES):
        return GROUPS[2][0]
    return next((title for title, types in GROUPS if source.type in types), OTHER_GROUP)


@dataclass(frozen=True)
class Target:
    """Something a cross-reference can point at."""

    anchor: str
    label: str  # "section 3", "Table 2" for a numbered block, or "" for a block or an event


def targets(valid: Valid, words: Mapping[str, str] | None = None) -> dict[str, Target]:
    """`sec:ID` for each section, `ref:ID` for each block or event with an id; labelled in the
    report's language ("section 3", "Table 2")."""
    words = words or words_for(valid.settings.language, valid.settings.words)
    out: dict[str, Target] = {}
    for number, (_, section) in enumerate(valid.sections, start=1):
        out[f"sec:{section.id}"] = Target(section.id, f"{words['section']} {number}")
    for at in walk.blocks(valid.sections):
        if at.block.id:
            out[f"ref:{at.block.id}"] = Target(at.anchor, numbered_label(at, words))
        for event in at.block.events:
            if event.id:
                out[f"ref:{event.id}"] = Target(at.anchor, "")
    return out


def numbered_label(at: walk.BlockAt, words: Mapping[str, str]) -> str:
    """What a numbered block is called ("Table 2"); "" for a block of another kind."""
    numbered = at.spec.numbered
    return f"{words[numbered]} {at.ordinal}" if numbered and at.ordinal else ""


# Languages whose script sets no space between a word and a parenthesis.
UNSPACED_LANGUAGES = ("zh", "ja")
# What moves after an in-text citation written after it; a question or an exclamation keeps
# its mark, and the citation follows it.
SENTENCE_PUNCTUATION = re.compile(r"[.,;:]{1,3}$")
# "U.S.", "e.g.", "p. 4 f.": a period that ends an abbreviation, not the sentence
ABBREVIATION = re.compile(r"(?:^|[\s(.])\w\.$")
OPENING = "([{“‘«„‚/—–-\u00a0"  # no space after these: "(see (Doe, 2001))", "—(Doe, 2001)"


class _Printer(Renderers):
    """Prints notes, citations and cross-references with what the citation stage made.

    In a note style the parser has already moved the note call after the punctuation. In an
    in-text style (author-date, numeric) `arrange` places each citation as the style puts it:
    one space before a citation in brackets (none before a superscript number, nor in a
    language written without spaces) and before the punctuation of its sentence, where the
    writer also put it (`identity [@a].`); written after the punctuation (`identity.[@a]`, as
    one may for a note style), the punctuation moves after the citation."""

    def __init__(self, citations: Citations, language: dict[str, str],
                 targets: dict[str, Target], page: str = "p.", report_language: str = "en"):
        self.citations, self.language, self.targets = citations, language, targets
        self.page = page  # "p.", "S.", "с.": the report's language
        self.in_text = not citations.note_style
        self.superscript = self.in_text and citations.superscript
        unspaced = report_language.split("-")[0] in UNSPACED_LANGUAGES
        self.space = "" if self.superscript or unspaced else " "  # before an in-text citation

    def _html(self, cluster: Cluster) -> str:
        html = self.citations.clusters.get(cluster.id, "")
        if {self.language.get(item.key) for item in cluster.items} == {"ru"}:
            html = f'<span lang="ru">{html}</span>'
        return html

    def cite(self, cluster: Cluster) -> str:
        if cluster.in_note:  # part of the note's sentence: the writer's punctuation follows
            html = re.sub(r"\.([”’\"]?(?:</span>)?)$", r"\1", self._html(cluster))
            # in a note style, in parentheses, as Pandoc prints a citation inside a note
            return f"({html})" if self.citations.note_style else html
        if self.citations.note_style:
            return f'<span class="footnote" id="note-{cluster.id}">{self._html(cluster)}</span>'
        return f'<span class="citation" id="cite-{cluster.id}">{self._html(cluster)}</span>'

    def arrange(self, tokens: list[Token]) -> list[Token]:
        """The inline tokens of a text with the space and punctuation around each in-text
        citation as the style puts them (see the class); the tokens given are not changed."""
        if not self.in_text:
            return tokens
        out: list[Token] = []
        for token in tokens:
            if token.type == "inline_note" and token.children:
                token = copy.copy(token)
                token.children = self.arrange(token.children or [])
            if token.type != "citation":
                out.append(token)
                continue
            while out and out[-1].type == "softbreak":  # a line break of the source
                out.pop()
            moved = ""
            if out and out[-1].type == "text":
                before = copy.copy(out[-1])
                content = before.content.rstrip()
                punctuation = SENTENCE_PUNCTUATION.search(content)
                if (punctuation and content == before.content and not self.superscript
                        and not ABBREVIATION.search(content)):
                    moved, content = punctuation.group(), content[:punctuation.start()]
                space = content[-1:] not in OPENING if content else len(out) > 1
                before.content = content + (self.space if space else "")
                out[-1] = before
            elif out:  # after markup: emphasis, a link
                out.append(_text(self.space))
            out.append(token)
            if moved:
                out.append(_text(moved))
        return self._no_double_period(out)

    def after_sentence(self, html: Markup, cite: Markup) -> tuple[Markup, Markup]:
        """A text and the citation printed after it (an event of the chronology): the
        citation goes before the text's final punctuation, as in the text ("… of the city
        (Doe, 2001)."); a superscript number stays after it."""
        # entities (`&quot;`) end with a semicolon that is no punctuation of the sentence
        masked = re.sub(r"&#?\w+;", lambda m: "x" * len(m.group()), str(html))
        punctuation = SENTENCE_PUNCTUATION.search(masked)
        if self.superscript or not punctuation or ABBREVIATION.search(masked):
            return html, cite
        end = punctuation.group()
        if end.startswith(".") and re.sub(r"<[^>]+>", "", str(cite)).endswith("."):
            end = end[1:]
        return Markup(str(html)[:punctuation.start()]), cite + Markup(escape(end))

    def _no_double_period(self, tokens: list[Token]) -> list[Token]:
        """A citation that ends with a period ("et al.") takes the sentence's period."""
        out = list(tokens)
        for i, token in enumerate(out[:-1]):
            after = out[i + 1]
            if token.type == "citation" and after.type == "text" \
                    and after.content.startswith(".") and not after.content.startswith("..") \
                    and re.sub(r"<[^>]+>", "", self.cite(token.meta["cluster"])).endswith("."):
                out[i + 1] = copy.copy(after)
                out[i + 1].content = after.content[1:]
        return out

    def note(self, note: Note, body: str) -> str:
        return f'<span class="footnote" id="note-{note.id}">{body}</span>'

    def xref(self, items: list[CiteItem]) -> str:
        parts = []
        for item in items:
            target = self.targets[item.key]
            label = f"{target.label}, " if target.label else ""
            prefix = f"{escape(item.prefix)} " if item.prefix else ""
            parts.append(f'{prefix}<a class="xref" href="#{target.anchor}">{label}'
                         f'<span class="xref-page" data-target="#{target.anchor}" '
                         f'data-page-of="{target.anchor}">{escape(self.page)}\u00a0'
                         f"</span></a>{escape(item.suffix)}")
        return "; ".join(parts)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def assemble(valid: Valid, md: MarkdownIt, collected: Collected, citations: Citations,
             build: BuildInfo,
             cited_pages: dict[str, list[tuple[str, str]]] | None = None,
             last_page: str = "") -> DocumentModel:
    sources = {s.id: s for s in valid.sources}
    language = {s.id: str(s.language) for s in valid.sources if s.language}

    words = words_for(valid.settings.language, valid.settings.words)
    out = _Printer(citations, language, targets(valid, words), words["page-abbr"],
                   valid.settings.language)

    def text(file: YamlFile, path: tuple[Any, ...]) -> Markup:
        inline = collected.texts[(file.name, path)].inline
        if out.in_text:  # citations placed as the style puts them (the parse is not changed)
            [first, *rest] = inline.tokens
            first = copy.copy(first)
            first.children = out.arrange(first.children or [])
            inline = Inline([first, *rest], inline.notes, inline.xrefs, inline.urls)
        return Markup(render(md, inline, out))

    report = valid.project.report
    facts = []
    for i, fact in enumerate(valid.settings.key_facts):
        if fact.text:
            facts.append(Fact(fact.label, text(report, ("key-facts", i, "text"))))
            continue
        parts = []
        for j, figure in enumerate(fact.figures or []):
            cite = text(report, ("key-facts", i, "figures", j, "cite")) if figure.cite else ""
            by = Markup(" ({})").format(figure.attribution) if figure.attribution else ""
            if out.in_text and not out.superscript and cite:
                # the figure and who gives it stay together; the citation may wrap
                parts.append(Markup('<span class="figure">{}{}</span>{}{}').format(
                    figure.value, by, out.space, Markup(cite)))
            else:  # a note call or a superscript number belongs to the figure
                parts.append(Markup('<span class="figure">{}{}{}</span>').format(
                    figure.value, by, Markup(cite)))
        facts.append(Fact(fact.label, Markup(", ").join(parts)))

    views: dict[int, list[BlockView]] = {}
    numbered: list[Listed] = []  # for the lists of tables and figures
    events: list[chronology.Entry] = []
    corrections: list[tuple[str, Any]] = []
    for at in walk.blocks(valid.sections):
        def block_html(steps: tuple[Any, ...], at: walk.BlockAt = at) -> Markup:
            html = text(*walk.text_place(at, steps))
            if out.in_text and steps[-1] == "cite" and html:
                # a `cite:` field follows its text (a quotation's, an event's) in the template:
                # the style's space goes between them
                return Markup(out.space) + html
            return html

        fields = at.spec.view(at.block, block_html)
        if at.spec.numbered:  # "Table 2": `b.number` is 2, `b.label` "Table 2"
            fields = {**fields, "number": at.ordinal, "label": numbered_label(at, words)}
            numbered.append(Listed(at.spec.kind, fields["label"],
                                 plain_text(str(fields.get("caption", ""))), at.anchor))
        view = BlockView(at.spec.kind, at.anchor, at.spec.template_name, fields)
        views.setdefault(at.number, []).append(view)
        corrections.extend((at.anchor, c) for c in view.corrections)
        for e, event in enumerate(at.block.events):
            base = ("events", e)
            what = block_html((*base, "text"))
            cite = block_html((*base, "cite")) if event.cite else Markup("")
            if cite and out.in_text:  # "… of the city (Doe, 2001)." as in the text
                what, cite = out.after_sentence(what, cite)
            events.append(chronology.entry(event.date, what, cite, at.anchor, len(events),
                                           valid.settings.language))
    sections = [SectionView(section.id, number, section.title, tuple(views.get(number, ())),
                            file.name)
                for number, (file, section) in enumerate(valid.sections, start=1)]

    cited = {item.key for cluster, _ in collected.clusters for item in cluster.items}
    listed = [(key, html, False) for key, html in citations.bibliography]
    listed += [(key, html, True) for key, html in citations.omitted]
    entries: list[tuple[str, BibEntry]] = []
    for key, html, note_form in listed:
        if key in sources:
            inner = re.sub(r'^\s*<div class="csl-entry">(.*)</div>\s*$', r"\1", html, flags=re.S)
            entries.append((group_of(sources[key]), BibEntry(
                key, Markup(inner), key in cited, language.get(key, ""), note_form,
                tuple((cited_pages or {}).get(key, ())))))

    def note_form_order(entry: BibEntry) -> tuple[bool, str]:
        # The style sorts its own entries; note-form ones follow, by author (or title).
        if not entry.note_form:
            return (False, "")
        source = sources[entry.id]
        names = source.author or []
        first = (names[0].family or names[0].literal or "") if names else ""
        return (True, (first or str(source.title or "")).casefold())

    return DocumentModel(valid.settings, tuple(facts), tuple(sections),
                         chronology.by_year(events, valid.settings.language),
                         bibliography(entries, citations, valid.settings, words, note_form_order),
                         citations.note_style, citations.style_title, build,
                         tuple(corrections), cited_pages, last_page, citations.family,
                         tuple(numbered))


def bibliography(entries: list[tuple[str, BibEntry]], citations: Citations, settings: Settings,
                 words: Mapping[str, str],
                 order: Callable[[BibEntry], tuple[bool, str]]) -> tuple[BibGroup, ...]:
    """The publications list: grouped by kind of source (a note style's default), or one list
    in the style's own order and with its numbers, those of the text (any other style's)."""
    numbered = any("csl-left-margin" in entry.html for _, entry in entries)
    single = (settings.bibliography or ("grouped" if citations.note_style else "single")) \
        == "single"
    if single:
        only = tuple(sorted((entry for _, entry in entries), key=order))
        return (BibGroup("", only, numbered),) if only else ()
    by_group: dict[str, list[BibEntry]] = {title: [] for title, _ in GROUPS}
    by_group[OTHER_GROUP] = []
    for group, entry in entries:
        by_group[group].append(entry)
    return tuple(BibGroup(words[title], tuple(sorted(found, key=order)), numbered)
                 for title, found in by_group.items() if found)
