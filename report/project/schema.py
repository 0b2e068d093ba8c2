"""The shape of a report project's YAML, as pydantic models.

Every model forbids unknown keys: a misspelt key is an error, never silently ignored. Keys are
written with hyphens in YAML (`citation-style`) and underscores in Python. The blocks of a
section are the registry's (report/blocks/); the rest of the shape is here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from report.blocks import KINDS, SPECS
from report.blocks.base import Block, Id, Model, Text

BLOCK_KINDS = tuple(KINDS)


class Credit(Model):
    """The work this report is adapted from, and its licence."""

    title: Text
    publisher: Text
    url: Text
    licence: Text
    licence_url: Text
    work: Text = "work"  # what the source is, in the report's language: article, report...
    by: str | None = None  # its authors, as the licence asks them named: "its contributors"
    changes: str | None = None  # what was changed, as the licence asks it said


class Figure(Model):
    """A figure in the key facts, with who gives it."""

    value: Text
    attribution: str | None = None  # `report check` warns when a figure has none
    cite: str | None = None


class KeyFact(Model):
    label: Text
    text: Text | None = None
    figures: list[Figure] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> KeyFact:
        if (self.text is None) == (self.figures is None):
            raise ValueError("A key fact needs either `text` or `figures`, not both and not none.")
        return self


def _length(value: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?\s*(mm|cm|in|pt)", value):
        raise ValueError("This should be a length with its unit, for example 3mm, 0.125in "
                         "or 9pt.")
    return value


Length = Annotated[str, AfterValidator(_length)]


class PrintSettings(Model):
    """The `print:` mapping: the print edition and booklet (the command line overrides it)."""

    paper: Literal["a4", "letter", "a5"] | None = None  # a5: a pocket booklet (A4 sheets)
    bleed: Length | None = None  # e.g. 3mm; adds crop marks
    watermark: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    creep: Length | None = None  # booklet: per-sheet shift toward the spine, e.g. 0.1mm


class Settings(Model):
    """content/report.yaml: what the report is, and how it is set."""

    title: Text
    subtitle: str | None = None
    kind: Text | None = None  # "Briefing", "Dossier"; by default the language's word for report
    authors: list[Text] = []
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    date: dt.date
    paper: Literal["a4", "letter"] = "a4"
    citation_style: Text = "chicago-notes-bibliography"
    # the publications list: `grouped` by kind of source, or `single`, one list in the style's
    # own order (numbered as in the text); by default grouped for a note style, else single
    bibliography: Literal["grouped", "single"] | None = None
    # a period or comma after a quotation and before a note call moves inside the quotation
    # mark (`“addresses.”¹`) where the locale does so (en-US); true or false decides instead
    punctuation_in_quote: bool | None = None
    footnotes: Literal["continuous", "per-section"] = "continuous"
    # new-page: every section starts a page, as chapters do in a book (and a long report is
    # then laid out in parts, in parallel: report/layout/parts.py); run-on: sections follow on
    sections: Literal["run-on", "new-page"] = "run-on"
    period: str | None = None  # EDTF interval the report covers; events outside it are flagged
    description: str | None = None
    keywords: list[Text] = []
    credit: Credit | None = None
    key_facts: list[KeyFact] = []
    print: PrintSettings | None = None
    # the theme's fixed words and sentences replaced, by key (report/document/words.py)
    words: dict[str, str] = {}
    # lists of the numbered blocks in the front matter, after the contents: `[tables, figures]`
    lists: list[Literal["tables", "figures"]] = []


def block_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [kind for kind in BLOCK_KINDS if kind in value]
        return kinds[0] if len(kinds) == 1 else None
    return getattr(value, "kind", None)


# One model per kind of block, from the registry (report/blocks/): the union is tagged by the
# key that starts the block.
if TYPE_CHECKING:  # to a type checker, a block is a Block; pydantic sees the tagged union
    AnyBlock = Block
else:
    AnyBlock = Annotated[
        Union[tuple(Annotated[spec.model, Tag(spec.kind)] for spec in SPECS)],  # noqa: UP007
        Discriminator(block_kind, custom_error_type="block_kind",
                      custom_error_message="unknown block kind"),
    ]


class Section(Model):
    """One file of content/sections/: a titled part of the report."""

    id: Id
    title: Text
    blocks: list[AnyBlock] = Field(min_length=1)


# --- sources.yaml: CSL-YAML, as Zotero and Pandoc exchange it --------------------------------

CSL_TYPES = (
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
)
CSL_TEXT = (
    "abstract", "annote", "archive", "archive_collection", "archive_location", "archive-place",
    "authority", "call-number", "chapter-number", "citation-key", "citation-label",
    "collection-number", "collection-title", "container-title", "container-title-short",
    "dimensions", "division", "DOI", "edition", "event", "event-title", "event-place", "genre",
    "ISBN", "ISSN", "issue", "jurisdiction", "keyword", "language", "license", "medium", "note",
    "number", "number-of-pages", "number-of-volumes", "original-publisher",
    "original-publisher-place", "original-title", "page", "page-first", "part-number",
    "part-title", "PMCID", "PMID", "printing-number", "publisher", "publisher-place",
    "references", "reviewed-genre", "reviewed-title", "scale", "section", "source", "status",
    "supplement-number", "title", "title-short", "URL", "version", "volume", "volume-title",
    "volume-title-short", "year-suffix",
)
CSL_DATES = ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
CSL_NAMES = (
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "editor-translator",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator", "organizer",
    "original-author", "performer", "producer", "recipient", "reviewed-author", "script-writer",
    "series-creator", "translator",
)


class Name(Model):
    family: str | None = None
    given: str | None = None
    literal: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None

    @model_validator(mode="after")
    def _named(self) -> Name:
        if not (self.family or self.literal):
            raise ValueError("A name needs `family` (with `given`) or `literal` "
                             "(for an organisation).")
        return self


class Date(Model):
    date_parts: list[Annotated[list[int], Field(min_length=1, max_length=3)]] = Field(
        default=[], min_length=0, max_length=2)
    circa: bool | None = None
    season: int | None = None
    literal: str | None = None
    raw: str | None = None


def _source_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in CSL_TEXT:
        fields[name] = (str | int | None, Field(default=None, alias=name))
    for name in CSL_DATES:
        fields[name] = (Date | None, Field(default=None, alias=name))
    for name in CSL_NAMES:
        fields[name] = (list[Name] | None, Field(default=None, alias=name))
    return fields


class _SourceBase(Model):
    id: Id
    type: Literal[CSL_TYPES]  # type: ignore[valid-type]
    further_reading: bool = False

    if TYPE_CHECKING:  # the CSL fields are added below; these are the ones code reads
        title: str | int | None
        genre: str | int | None
        language: str | int | None
        author: list[Name] | None


def _python_name(name: str) -> str:
    return name.replace("-", "_")


Source: type[_SourceBase] = type(
    "Source", (_SourceBase,), {
        "__annotations__": {_python_name(k): v[0] for k, v in _source_fields().items()},
        **{_python_name(k): v[1] for k, v in _source_fields().items()},
        "__doc__": "One entry of sources.yaml: a CSL item, plus `further-reading`.",
        "__module__": __name__,
    })


def csl_item(source: _SourceBase) -> dict[str, Any]:
    """The CSL-JSON item citeproc-js expects: our extensions dropped, empty fields left out."""
    data = source.model_dump(by_alias=True, exclude_none=True, exclude={"further_reading"})
    for key, value in list(data.items()):
        if isinstance(value, int) and not isinstance(value, bool):
            data[key] = str(value)
        if key in CSL_DATES and not value.get("date-parts"):
            value.pop("date-parts", None)
    return data
