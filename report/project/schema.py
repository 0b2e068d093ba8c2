"""The shape of a report project's YAML, as pydantic models.

Every model forbids unknown keys: a misspelt key is an error, never silently ignored. Keys are
written with hyphens in YAML (`citation-style`) and underscores in Python. The blocks of a
section are the registry's (report/blocks/); the rest of the shape is here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from report.blocks import KINDS, SPECS
from report.blocks.base import (
    Block,
    Flag,
    Id,
    Model,
    Text,
    Whole,
    cite,
    present,
    said,
    whole,
)
from report.project import defaults

BLOCK_KINDS = tuple(KINDS)


class Credit(Model):
    """The work this report is adapted from, and its licence (on the cover and the colophon)."""

    title: Text = Field(description="The source work's title.", examples=[
        "Universal Declaration of Human Rights"])
    publisher: Text = Field(description="Who publishes it.", examples=["Wikipedia"])
    url: Text = Field(description="Where it is.", examples=[
        "https://en.wikipedia.org/wiki/Universal_Declaration_of_Human_Rights"])
    licence: Text = Field(description="Its licence, by name.", examples=["CC BY-SA 4.0"])
    licence_url: Text = Field(description="The licence's text.", examples=[
        "https://creativecommons.org/licenses/by-sa/4.0/"])
    work: Text = Field("work", description=(
        "What the source is, in the report's language."), examples=["article", "report"])
    by: str | None = Field(None, description=(
        "Its authors, as the licence asks them named."), examples=["its contributors"])
    changes: str | None = Field(None, description=(
        "What was changed, as the licence asks it said."), examples=[
        "Headings, notes and the chronology were added."])


class Figure(Model):
    """A figure in the key facts, with who gives it."""

    value: Text = Field(description="The figure, as text.", examples=["48", "100+"])
    attribution: str | None = Field(None, description=(
        "Who gives the figure (`report check` warns when a figure has none)."),
        examples=["Human Rights Watch"])
    cite: str | None = cite()


class KeyFact(Model):
    """One line of the key facts box: a label, and either a text or figures."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [present("text"),
                                                            present("figures")]})

    label: Text = Field(description="What the fact is about.", examples=["Adopted"])
    text: Text | None = Field(None, description=(
        "The fact (Markdown, with citations); or `figures`."), examples=[
        "10 December 1948, in Paris [@unga-217a]"])
    figures: list[Figure] | None = Field(None, description=(
        "Figures that sources give, each with who gives it; or `text`."), examples=[[
            {"value": "48 in favour", "attribution": "United Nations General Assembly",
             "cite": "[@unga-217a]"}]])

    @model_validator(mode="after")
    def _one_of(self) -> KeyFact:
        if (self.text is None) == (self.figures is None):
            raise ValueError("A key fact needs either `text` or `figures`, not both and not none.")
        return self


# A length with its unit, e.g. 3mm; read with re.fullmatch and, in the schema, by ECMAScript:
# the same pattern in both (ASCII digits and spaces).
LENGTH = r"[0-9]+(\.[0-9]+)? *(mm|cm|in|pt)"
LENGTH_MESSAGE = "This should be a length with its unit, for example 3mm, 0.125in or 9pt."


def _length(value: str) -> str:
    if not re.fullmatch(LENGTH, value):
        raise ValueError(LENGTH_MESSAGE)
    return value


Length = Annotated[str, AfterValidator(_length), WithJsonSchema({
    "type": "string", "pattern": f"^{LENGTH}$", "patternErrorMessage": LENGTH_MESSAGE})]


class PrintSettings(Model):
    """The `print:` mapping: the print edition and booklet (the command line overrides it)."""

    paper: Literal["a4", "letter", "a5"] | None = Field(None, description=(
        "The print edition's paper; a5: a pocket booklet (A4 sheets). By default the report's "
        "`paper`."), examples=["a5"])
    bleed: Length | None = Field(None, description=(
        "How far the background runs past the trimmed page, with crop marks."),
        examples=["3mm"])
    watermark: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        None, description="A word printed faintly across every page (at most 40 characters).",
        examples=["DRAFT"])
    creep: Length | None = Field(None, description=(
        "Booklet: how far each sheet's pages shift toward the spine, for the paper's "
        "thickness."), examples=["0.1mm"])


def _iso_date(value: Any) -> Any:
    """YYYY-MM-DD, as YAML's date or as text (as editors and JSON see it); nothing else, although
    pydantic would take a number of seconds or a date-time at midnight."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    # pydantic's own codes, which `report check --format json` has always given
    kind = "date_from_datetime_parsing" if isinstance(value, str) else "date_type"
    raise PydanticCustomError(kind, "Input should be a date, YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), WithJsonSchema({
    "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "patternErrorMessage": "A date as YYYY-MM-DD, for example 1990-01-13."})]


# The bibliography's files: one name, or a list of them (report/project/load.py reads them).
Files = Annotated[list[Text], BeforeValidator(lambda value: [value] if isinstance(
    value, str) else value), Field(min_length=1), WithJsonSchema({"anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}]})]


class Settings(Model):
    """content/report.yaml: what the report is, and how it is set."""

    title: Text = Field(description="The report's title, on the cover and in the PDF's "
                        "metadata.", examples=["The Universal Declaration of Human Rights"])
    subtitle: str | None = Field(None, description="A line under the title.", examples=[
        "Its drafting and adoption, 1947–1948"])
    kind: Text | None = Field(None, description=(
        "What the report is, printed above the title; by default the language's word for "
        "a report."), examples=["Briefing", "Dossier"])
    authors: list[Text] = Field([], description="Who wrote it, as the cover names them.",
                                examples=[["Jane Doe", "John Roe"]])
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = Field(
        defaults.LANGUAGE, description=(
            "The report's language (a BCP 47 tag): hyphenation, quotation marks, the citation "
            "locale and the theme's words follow it."), examples=["en", "fr", "en-GB"])
    date: IsoDate = Field(description=(
        "The report's date, YYYY-MM-DD; also the PDF's dates, so that builds are "
        "reproducible."), examples=["2026-12-03"])
    paper: Literal["a4", "letter"] = Field("a4", description="The paper size.",
                                           examples=["letter"])
    citation_style: Text = Field(defaults.CITATION_STYLE, description=(
        "The citation style: any CSL style's name, or the path of a .csl file in the project."),
        examples=["chicago-notes-bibliography", "apa", "styles/house.csl"])
    bibliography: Literal["grouped", "single"] | None = Field(None, description=(
        "The publications list: `grouped` by kind of source, or `single`, one list in the "
        "style's own order (numbered as in the text). By default grouped for a note style, "
        "else single."), examples=["single"])
    punctuation_in_quote: Flag | None = Field(None, description=(
        "Whether a period or comma after a quotation and before a note call moves inside the "
        "quotation mark (“addresses.”¹). By default where the locale does so (en-US)."),
        examples=[False])
    footnotes: Literal["continuous", "per-section"] = Field("continuous", description=(
        "continuous: notes numbered through the report; per-section: from 1 in each section."),
        examples=["per-section"])
    sections: Literal["run-on", "new-page"] = Field("run-on", description=(
        "new-page: every section starts a page, as chapters do in a book (a long report is "
        "then laid out in parts, in parallel); run-on: sections follow on."),
        examples=["new-page"])
    period: str | None = Field(None, description=(
        "The interval the report covers, in EDTF; `report check` flags events outside it."),
        examples=["1946/1950", "1988/.."])
    description: str | None = Field(None, description=(
        "A summary of the report, for the PDF's metadata."), examples=[
        "The drafting and adoption of the Universal Declaration of Human Rights."])
    keywords: list[Text] = Field([], description="Keywords, for the PDF's metadata.",
                                 examples=[["human rights", "United Nations"]])
    credit: Credit | None = Field(None, description=(
        "The work this report is adapted from, and its licence."), examples=[{
            "title": "Universal Declaration of Human Rights", "publisher": "Wikipedia",
            "url": "https://en.wikipedia.org/wiki/Universal_Declaration_of_Human_Rights",
            "licence": "CC BY-SA 4.0",
            "licence-url": "https://creativecommons.org/licenses/by-sa/4.0/",
            "work": "article", "by": "its contributors"}])
    key_facts: list[KeyFact] = Field([], description=(
        "The key facts box on the first page: labelled facts, or figures with who gives them."),
        examples=[[{"label": "Adopted", "text": "10 December 1948, in Paris [@unga-217a]"}]])
    print: PrintSettings | None = Field(None, description=(
        "The print edition and the booklet: paper, bleed, watermark, creep (the command line "
        "overrides them)."), examples=[{"paper": "a5", "bleed": "3mm", "watermark": "DRAFT"}])
    sources: Files | None = Field(None, description=(
        "The bibliography's files, inside the project: CSL-YAML (.yaml), CSL-JSON (.json, as "
        "Zotero exports it) or BibTeX (.bib). By default sources.yaml, sources.json or "
        "sources.bib."), examples=["library.bib", ["sources.yaml", "zotero.json"]])
    words: dict[str, str] = Field({}, description=(
        "The theme's fixed words and sentences replaced, by key, `{placeholders}` included "
        "(`report check` names an unknown key)."), examples=[{"contents": "Table of contents"}])
    lists: list[Literal["tables", "figures"]] = Field([], description=(
        "Lists of the numbered blocks, with their pages, after the contents."),
        examples=[["tables", "figures"]])
    tagged: Flag = Field(True, description=(
        "A tagged PDF, its structure tree built from the HTML (report/layout/tags.py), for "
        "screen readers and for the archive edition's PDF/A-3a and PDF/UA-1 claims; false "
        "writes an untagged PDF (the archive edition then claims PDF/A-3b only)."),
        examples=[True, False])


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

    id: Id = Field(description=(
        "The section's name, for links and cross-references (`[@sec:drafting]`): lower-case "
        "letters, digits and hyphens."), examples=["drafting"])
    title: Text = Field(description="The section's heading.", examples=["Drafting"])
    blocks: list[AnyBlock] = Field(min_length=1, description=(
        "What the section holds, in order: each block starts with its kind ("
        + ", ".join(BLOCK_KINDS) + ")."), examples=[[
            {"paragraph": "The General Assembly adopted the declaration [@unga-217a]."}]])


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


# What each CSL variable is, for an editor's hover: by kind (text, date, names), with the
# commonest in words and an example each; the rest named by their own words.
CSL_TEXT_SAYS: dict[str, tuple[str, str | int]] = {
    "title": ("The work's title", "Universal Declaration of Human Rights"),
    "title-short": ("A short title, for later citations", "UDHR"),
    "container-title": ("The journal, newspaper, book or website the work appears in",
                        "Human Rights Quarterly"),
    "collection-title": ("The series the work belongs to", "Pennsylvania Studies in Human Rights"),
    "publisher": ("Who published it", "University of Pennsylvania Press"),
    "publisher-place": ("Where it was published", "Philadelphia"),
    "URL": ("Where it is online", "https://www.un.org/en/about-us/universal-declaration"),
    "DOI": ("Its DOI, without https://doi.org/", "10.1353/hrq.2001.0034"),
    "ISBN": ("Its ISBN", "978-0-8122-1747-3"), "ISSN": ("Its ISSN", "0275-0392"),
    "page": ("The pages it occupies in its container", "12–34"),
    "volume": ("Its volume", 23), "issue": ("Its issue", 4), "edition": ("Its edition", 2),
    "number": ("Its number: of a report, a resolution, a law", "217 A (III)"),
    "genre": ("What kind of document it is, in words", "Resolution"),
    "medium": ("Its medium", "Film"),
    "language": ("The language it is written in (a BCP 47 tag)", "ru"),
    "note": ("A note printed with the entry", "In Russian."),
    "abstract": ("A summary of it", "How the declaration was drafted."),
    "archive": ("The archive that holds it", "United Nations Archives"),
    "archive_location": ("Where in the archive", "Box 12, folder 3"),
    "event-title": ("The event it was presented at", "Third session of the General Assembly"),
    "event-place": ("Where that event took place", "Paris"),
    "number-of-pages": ("How many pages it has", 320),
    "version": ("Its version", "1.2"), "section": ("The newspaper's section", "World"),
}
CSL_DATE_SAYS = {"issued": "When it was published", "accessed": "When it was read online",
                 "event-date": "When the event took place", "original-date": (
                     "When the original was published"), "submitted": "When it was submitted",
                 "available-date": "When it became available"}
DATE_EXAMPLE = {"date-parts": [[1948, 12, 10]]}
NAMES_EXAMPLES = [[{"family": "Morsink", "given": "Johannes"}],
                  [{"literal": "United Nations General Assembly"}]]


def names_shape(name: str, lead: str = "") -> str:
    """What a list of CSL names looks like, in YAML, for messages and editors."""
    return (f"{lead or f'`{name}` is a list of names'}, e.g.\n"
            f"  {name}: [{{family: Doe, given: Jane}}]\n  {name}: [{{literal: United Nations}}]")


def date_shape(name: str) -> str:
    """What a CSL date looks like, in YAML, for messages and editors."""
    return f"`{name}` is a date in CSL form, e.g. {name}: {{date-parts: [[1990, 1, 15]]}}"


class Name(Model):
    """A person (`family`, `given`) or an organisation (`literal`)."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": [key], "properties": {key: {"type": "string", "minLength": 1}}}
        for key in ("family", "literal")]})

    family: str | None = Field(None, description="A person's family name.",
                               examples=["Morsink"])
    given: str | None = Field(None, description="A person's given names.",
                              examples=["Johannes"])
    literal: str | None = Field(None, description=(
        "An organisation's name, or a name to print as it is."), examples=["United Nations"])
    dropping_particle: str | None = Field(None, description=(
        "A particle dropped when sorted (the `de` of \"Gaulle, Charles de\")."),
        examples=["de"])
    non_dropping_particle: str | None = Field(None, description=(
        "A particle kept when sorted (the `van` of \"van Gogh, Vincent\")."), examples=["van"])
    suffix: str | None = Field(None, description="A suffix such as Jr. or III.",
                               examples=["Jr."])

    @model_validator(mode="after")
    def _named(self) -> Name:
        if not (self.family or self.literal):
            raise ValueError("A name needs `family` (with `given`) or `literal` "
                             "(for an organisation).")
        return self


# A part of a CSL date: a number, or its digits as text (as Zotero exports some).
DatePart = Annotated[int, BeforeValidator(
    lambda value: int(value) if isinstance(value, str) and re.fullmatch("-?[0-9]+", value)
    else whole(value)), Strict(), WithJsonSchema({"anyOf": [
        {"type": "integer"}, {"type": "string", "pattern": "^-?[0-9]+$"}]})]


class Date(Model):
    """A date in CSL form: `date-parts` ([[year, month, day]]; two for a range), or text."""

    date_parts: list[Annotated[list[DatePart], Field(min_length=1, max_length=3)]] = Field(
        default=[], min_length=0, max_length=2, description=(
            "The date as [[year, month, day]] (month and day may be left out); a range as two: "
            "[[1947, 1], [1948, 12]]."), examples=[[[1948, 12, 10]], [[1947], [1948]]])
    circa: Flag | None = Field(None, description="Whether the date is approximate.",
                               examples=[True])
    season: Whole | None = Field(None, description=(
        "A season instead of a month: 1 spring, 2 summer, 3 autumn, 4 winter."), examples=[3])
    literal: str | None = Field(None, description="A date to print as it is written.",
                                examples=["early 1948"])
    raw: str | None = Field(None, description="A date as text, for the processor to read.",
                            examples=["1948-12-10"])


def _csl_field(kind: str, name: str) -> Any:
    spaced = name.replace("-", " ").replace("_", " ")
    if kind == "text":
        meaning, example = CSL_TEXT_SAYS.get(name, (f"Its {spaced}", f"{spaced.capitalize()}"))
        return Field(None, alias=name, examples=[example], description=(
            f"{meaning} (CSL `{name}`): text, or a whole number."))
    if kind == "date":
        meaning = CSL_DATE_SAYS[name]
        return Field(None, alias=name, examples=[DATE_EXAMPLE], description=(
            f"{meaning} (CSL `{name}`): {{date-parts: [[year, month, day]]}}, month and day "
            "optional."), json_schema_extra=said(date_shape(name)))
    return Field(None, alias=name, examples=NAMES_EXAMPLES, description=(
        f"The work's {spaced}s (CSL `{name}`): a list of names, each {{family, given}} or, "
        "for an organisation, {literal}."), json_schema_extra=said(names_shape(name)))


def _source_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in CSL_TEXT:
        fields[name] = (str | Whole | None, _csl_field("text", name))
    for name in CSL_DATES:
        fields[name] = (Date | None, _csl_field("date", name))
    for name in CSL_NAMES:
        fields[name] = (list[Name] | None, _csl_field("names", name))
    return fields


# A citation key: Pandoc's rule for keys written bare, and any other text without spaces,
# which the text cites in braces (report/document/inline.py)
SourceKey = Annotated[str, StringConstraints(pattern=r"^[^\s{}]+$")]


class _SourceBase(Model):
    id: SourceKey = Field(description=(
        "The entry's key, as the text cites it: [@morsink-1999], [@Olson2006]. Any key Pandoc "
        "accepts: letters, digits and _, with : . # $ % & - + ? < > ~ / inside; another (a "
        "Zotero item's address) is cited in braces, [@{http://zotero.org/...}]."),
        examples=["morsink-1999", "Olson2006"])
    type: Literal[CSL_TYPES] = Field(description=(  # type: ignore[valid-type]
        "What kind of work it is, as CSL names it."), examples=["book", "article-journal"])
    further_reading: Flag = Field(False, description=(
        "List the entry in the publications list even when the text does not cite it."),
        examples=[True])

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


# sources.yaml: a list of entries
SOURCES: TypeAdapter[list[_SourceBase]] = TypeAdapter(list[Source])  # type: ignore[valid-type]


def csl_item(source: _SourceBase) -> dict[str, Any]:
    """The CSL-JSON item citeproc-js expects: our extensions dropped, empty fields left out."""
    data = source.model_dump(by_alias=True, exclude_none=True, exclude={"further_reading"})
    for key, value in list(data.items()):
        if isinstance(value, int) and not isinstance(value, bool):
            data[key] = str(value)
        if key in CSL_DATES and not value.get("date-parts"):
            value.pop("date-parts", None)
    return data
