"""Stage 4, document model: everything the templates show, resolved and in reading order.

Built in two steps around the citation stage: `collect` parses every text field (so that all
citation clusters are known, in reading order), and `assemble` renders the text to HTML with the
notes the CSL processor made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
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
    title: str
    entries: tuple[BibEntry, ...]


@dataclass(frozen=True)
class BuildInfo:
    """What the colophon and the metadata say about the build."""

    generator: str  # "report 0.1.0 (WeasyPrint 70.0)"
    date: str  # ISO date
    date_label: str  # as printed: "13 January 1990"
    fonts: str  # the fonts' names, for the colophon


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


class _Printer(Renderers):
    """Prints notes, citations and cross-references with what the citation stage made."""

    def __init__(self, citations: Citations, language: dict[str, str],
                 targets: dict[str, Target], page: str = "p."):
        self.citations, self.language, self.targets = citations, language, targets
        self.page = page  # "p.", "S.", "с.": the report's language

    def _html(self, cluster: Cluster) -> str:
        html = self.citations.clusters.get(cluster.id, "")
        if {self.language.get(item.key) for item in cluster.items} == {"ru"}:
            html = f'<span lang="ru">{html}</span>'
        return html

    def cite(self, cluster: Cluster) -> str:
        if cluster.in_note:  # part of the note's sentence: the writer's punctuation follows
            return re.sub(r"\.(</span>)?$", r"\1", self._html(cluster))
        if self.citations.note_style:
            return f'<span class="footnote" id="note-{cluster.id}">{self._html(cluster)}</span>'
        return f'<span class="citation" id="cite-{cluster.id}">{self._html(cluster)}</span>'

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


def assemble(valid: Valid, md: MarkdownIt, collected: Collected, citations: Citations,
             build: BuildInfo,
             cited_pages: dict[str, list[tuple[str, str]]] | None = None,
             last_page: str = "") -> DocumentModel:
    sources = {s.id: s for s in valid.sources}
    language = {s.id: str(s.language) for s in valid.sources if s.language}

    words = words_for(valid.settings.language, valid.settings.words)
    out = _Printer(citations, language, targets(valid, words), words["page-abbr"])

    def text(file: YamlFile, path: tuple[Any, ...]) -> Markup:
        return Markup(render(md, collected.texts[(file.name, path)].inline, out))

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
            parts.append(Markup('<span class="figure">{}{}{}</span>').format(
                figure.value, by, Markup(cite)))
        facts.append(Fact(fact.label, Markup(", ").join(parts)))

    views: dict[int, list[BlockView]] = {}
    events: list[chronology.Entry] = []
    corrections: list[tuple[str, Any]] = []
    for at in walk.blocks(valid.sections):
        def block_html(steps: tuple[Any, ...], at: walk.BlockAt = at) -> Markup:
            return text(*walk.text_place(at, steps))

        fields = at.spec.view(at.block, block_html)
        if at.spec.numbered:  # "Table 2": `b.number` is 2, `b.label` "Table 2"
            fields = {**fields, "number": at.ordinal, "label": numbered_label(at, words)}
        view = BlockView(at.spec.kind, at.anchor, at.spec.template_name, fields)
        views.setdefault(at.number, []).append(view)
        corrections.extend((at.anchor, c) for c in view.corrections)
        for e, event in enumerate(at.block.events):
            base = ("events", e)
            cite = block_html((*base, "cite")) if event.cite else Markup("")
            events.append(chronology.entry(event.date, block_html((*base, "text")), cite, at.anchor,
                                           len(events)))
    sections = [SectionView(section.id, number, section.title, tuple(views.get(number, ())),
                            file.name)
                for number, (file, section) in enumerate(valid.sections, start=1)]

    cited = {item.key for cluster, _ in collected.clusters for item in cluster.items}
    by_group: dict[str, list[BibEntry]] = {title: [] for title, _ in GROUPS}
    by_group[OTHER_GROUP] = []
    listed = [(key, html, False) for key, html in citations.bibliography]
    listed += [(key, html, True) for key, html in citations.omitted]
    for key, html, note_form in listed:
        if key in sources:
            inner = re.sub(r'^\s*<div class="csl-entry">(.*)</div>\s*$', r"\1", html, flags=re.S)
            by_group[group_of(sources[key])].append(
                BibEntry(key, Markup(inner), key in cited, language.get(key, ""), note_form,
                         tuple((cited_pages or {}).get(key, ()))))
    def note_form_order(entry: BibEntry) -> tuple[bool, str]:
        # The style sorts its own entries; note-form ones follow, by author (or title).
        if not entry.note_form:
            return (False, "")
        source = sources[entry.id]
        names = source.author or []
        first = (names[0].family or names[0].literal or "") if names else ""
        return (True, (first or str(source.title or "")).casefold())

    groups = tuple(BibGroup(words[title], tuple(sorted(entries, key=note_form_order)))
                   for title, entries in by_group.items() if entries)
    return DocumentModel(valid.settings, tuple(facts), tuple(sections),
                         chronology.by_year(events), groups, citations.note_style,
                         citations.style_title, build, tuple(corrections), cited_pages,
                         last_page)
