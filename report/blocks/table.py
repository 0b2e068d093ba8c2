"""`table:` a numbered table with its caption: header rows, columns aligned (figures on the
decimal point), cells written in the YAML or read from a CSV file of the project, a source line
and notes under it.

Cells, caption, source and notes are texts: Markdown with citations and notes, linted and
checked for links like any other. The cells of a CSV file are texts of that file: the walk
(report/project/walk.py) gives them the file's line and column, so a message about a cell
points into the CSV. The CSV is read once, when the walk first meets the block (`read`); what
went wrong reading it is reported by `findings`, at the `csv:` line, naming the file's line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from markupsafe import Markup
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)

from report.blocks.base import Block, Model, Text, Whole, present
from report.blocks.spec import BlockSpec, DataFile, Finding, Steps
from report.files import NotInProject, NotText, decode_text, not_in_project, project_file

MAX_BYTES = 5_000_000  # as a YAML file of the content (report/project/load.py)
Align = Literal["left", "right", "center", "decimal"]


def _cell(value: Any) -> Any:
    """A cell is text; YAML reads `12` as a number (kept as written), and `12.50` as 12.5 (which
    would lose its digits, so it must be quoted)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError("This cell reads as true or false: put it in quotes.")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError("Put a number with a decimal point in quotes (\"12.50\"): YAML would "
                         "read it as a number and drop its trailing zeros.")
    return value


# Text, a whole number or nothing (an empty cell). A number written with a decimal point (12.0)
# is refused by the model but is the integer 12 to JSON Schema, which cannot tell them apart.
Cell = Annotated[str, BeforeValidator(_cell), WithJsonSchema({"anyOf": [
    {"type": "string"}, {"type": "integer"}, {"type": "null"}]})]
LABELLED = present("label")


class Column(Model):
    """One column: its heading and how its cells are aligned."""

    label: Text | None = Field(None, description=(
        "The column's heading (Markdown). Give a label to every column or to none (the header "
        "then comes from `header-rows`)."), examples=["States"])
    align: Align = Field("left", description=(
        "left, right, center, or decimal: figures lined up on their decimal point."),
        examples=["decimal"])


class TableBody(Model):
    """A table: its caption, its columns, its rows (or a CSV file), its source and notes."""

    # what the model validator below checks, for editors: rows or csv; a label on every column
    # or on none; a header, from the labels or from header rows
    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"oneOf": [present("rows"), present("csv")]},
        {"properties": {"columns": {"anyOf": [
            {"type": "null"}, {"items": LABELLED}, {"items": {"not": LABELLED}}]}}},
        {"anyOf": [
            {"required": ["columns"],
             "properties": {"columns": {"type": "array", "contains": LABELLED}}},
            {"required": ["header-rows"], "properties": {"header-rows": {"minimum": 1}}}]},
    ]})

    caption: Text = Field(description="What the table shows; printed as \"Table N. Caption\".",
                          examples=["The vote on resolution 217 A (III)"])
    columns: list[Column] | None = Field(None, min_length=1, description=(
        "The columns, in order: their headings (the first header row) and alignment. Without "
        "it, the table has as many columns as its first row, aligned left."), examples=[
        [{"label": "Vote"}, {"label": "States", "align": "decimal"}]])
    header_rows: Whole = Field(0, ge=0, description=(
        "How many of the first rows (of `rows` or of the CSV file) are header rows, repeated "
        "on every page the table spans."), examples=[1])
    rows: list[Annotated[list[Cell], Field(min_length=1)]] | None = Field(
        None, min_length=1, description=(
            "The rows, each a list of cells (Markdown; a number with a decimal point in quotes, "
            "\"3.50\"); or `csv`."), examples=[[["In favour", 48], ["Against", 0]]])
    csv: Text | None = Field(None, description=(
        "A CSV file inside the project (UTF-8, comma-separated) holding the rows; or `rows`."),
        examples=["data/abstentions.csv"])
    source: Text | None = Field(None, description=(
        "Where the figures come from, printed under the table (Markdown, with citations)."),
        examples=["The resolution [@unga-217a]."])
    notes: list[Text] = Field([], description="Notes printed under the table, after the source.",
                              examples=[["Two states were absent."]])
    width: Literal["auto", "full"] = Field("auto", description=(
        "auto: as wide as its cells need (estimated from their text), at most the text's "
        "width; full: the text's width. Either way a table never runs past the margin: its "
        "cells wrap."), examples=["full"])
    fit: Literal["wrap", "shrink", "landscape"] = Field("wrap", description=(
        "How a table with many columns fits: wrap, its cells wrap within the text's width; "
        "shrink, in smaller type (more fits on a line before a cell wraps); landscape, on "
        "pages of its own turned sideways, the long side across (its header repeated on each)."),
        examples=["landscape"])

    @model_validator(mode="after")
    def _shape(self) -> TableBody:
        if (self.rows is None) == (self.csv is None):
            raise ValueError("A table needs either `rows` or `csv`, not both and not none.")
        labels = [column.label is not None for column in self.columns or []]
        if any(labels) and not all(labels):
            raise ValueError("Give every column a `label`, or none (and use `header-rows`).")
        if not any(labels) and not self.header_rows:
            raise ValueError("A table needs a header: give the `columns` labels, or say how "
                             "many of the first rows are headings with `header-rows: 1`.")
        return self


@dataclass(frozen=True)
class Read:
    """What reading a table's CSV gave: the rows, the file, and what went wrong."""

    rows: tuple[tuple[str, ...], ...] = ()
    file: DataFile | None = None
    problems: tuple[Finding, ...] = ()


class Table(Block):
    """A numbered table with its caption."""

    kind = "table"
    table: TableBody = Field(description=(
        "The table: its caption, its columns and rows (or a CSV file), its source and notes."),
        examples=[{"caption": "The vote on resolution 217 A (III)",
                   "columns": [{"label": "Vote"}, {"label": "States", "align": "decimal"}],
                   "rows": [["In favour", 48], ["Against", 0]],
                   "source": "The resolution [@unga-217a]."}])
    _read: Read | None = PrivateAttr(None)

    def all_rows(self) -> tuple[tuple[str, ...], ...]:
        """The rows, header rows first, from the YAML or from the CSV (once read)."""
        if self.table.rows is not None:
            return tuple(tuple(row) for row in self.table.rows)
        return self._read.rows if self._read else ()

    @property
    def row_key(self) -> str:
        return "rows" if self.table.rows is not None else "csv"


# --- reading the CSV --------------------------------------------------------------------------

def read(block: Table, root: Path) -> tuple[DataFile, ...]:
    """Read the block's CSV file once; later calls give what was read."""
    if block.table.csv is None:
        return ()
    if block._read is None:
        block._read = read_csv(root, block.table.csv)
    return (block._read.file,) if block._read.file else ()


def _problem(message: str, hint: str, value: str = "") -> Read:
    return Read(problems=(Finding(("table", "csv"), "table-csv", message, hint, "error",
                                  value),))


def read_csv(root: Path, name: str) -> Read:
    """The rows of the CSV file `name` (a path inside the project at `root`), and the line and
    column of each cell; or what is wrong with it."""
    try:
        path = project_file(root, name)
    except NotInProject as error:
        return _problem(*not_in_project(error.reason, name, "file", "csv: data/table.csv"),
                        name)
    parts = PurePosixPath(name.replace("\\", "/")).parts  # the name as messages give it
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        return _problem(f"The file `{name}` is too large ({len(raw):,} bytes).",
                        f"A table's CSV file holds at most {MAX_BYTES:,} bytes.", name)
    try:
        text = decode_text(raw)
    except NotText as error:
        return _problem(f"The file `{name}` is not UTF-8 text (line {error.line}, column "
                        f"{error.column}).",
                        "Save it from the spreadsheet as \"CSV UTF-8\".", name)
    try:
        rows, places = _parse(text)
    except csv.Error as error:
        return _problem(f"The file `{name}` is not a CSV file I can read: {error}.",
                        "Save it from the spreadsheet as \"CSV UTF-8 (comma delimited)\".", name)
    if not rows:
        return _problem(f"The file `{name}` holds no rows.", "Put the table's rows in it.", name)
    file = DataFile(path, str(PurePosixPath(*parts)), ("table", "csv"),
                    {(r, c): place for r, row in enumerate(places)
                     for c, place in enumerate(row)})
    return Read(tuple(rows), file)


def _parse(text: str) -> tuple[list[tuple[str, ...]], list[tuple[tuple[int, int], ...]]]:
    """The records of a CSV text (blank lines skipped), and the (line, column) of each cell."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, places, first = [], [], 1
    for record in reader:
        start, first = first, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        rows.append(tuple(cell.strip() for cell in record))
        places.append(_cell_places("".join(lines[start - 1:reader.line_num]), start,
                                   len(record)))
    return rows, places


def _cell_places(source: str, line: int, count: int) -> tuple[tuple[int, int], ...]:
    """Where each of a record's `count` cells starts (a comma outside quotes ends a cell)."""
    places: list[tuple[int, int]] = []
    column, quoted, fresh = 1, False, True
    for char in source:
        if fresh and len(places) < count and char not in " \t":
            places.append((line, column))
            fresh = False
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            fresh = True
        if char == "\n":
            line, column = line + 1, 1
        else:
            column += 1
    while len(places) < count:  # empty cells at the end of the record
        places.append((line, max(column - 1, 1)))
    return tuple(places)


# --- the block's texts, findings and view -------------------------------------------------------

def _width(block: Table) -> int:
    columns = block.table.columns
    rows = block.all_rows()
    return len(columns) if columns else (len(rows[0]) if rows else 0)


def texts(block: Table) -> Iterator[tuple[Steps, str]]:
    body = block.table
    yield ("table", "caption"), body.caption
    for c, column in enumerate(body.columns or []):
        if column.label:
            yield ("table", "columns", c, "label"), column.label
    for r, row in enumerate(block.all_rows()):
        for c, cell in enumerate(row):
            if cell:
                yield ("table", block.row_key, r, c), cell
    if body.source:
        yield ("table", "source"), body.source
    for n, note in enumerate(body.notes):
        yield ("table", "notes", n), note


def findings(block: Table) -> Iterator[Finding]:
    """What went wrong reading the CSV, and rows that do not match the columns (errors: a
    table with a cell too many or too few would print its figures under the wrong heading)."""
    if block._read is not None:
        yield from block._read.problems
    width, rows = _width(block), block.all_rows()
    if not rows:
        return
    if block.table.header_rows >= len(rows):
        yield Finding(("table", "header-rows"), "table-shape",
                      f"The table has {len(rows)} rows; `header-rows` makes all of them "
                      "headings.", "Lower `header-rows`, or add the table's rows.", "error")
    yield from _notes_in_headings(block, rows)
    what = "this row" if block.table.columns else "this row, as the first row,"
    for r, row in enumerate(rows):
        if len(row) == width:
            continue
        many = f"{len(row)} cell{'s' if len(row) != 1 else ''}"
        if block.table.rows is not None:
            yield Finding(("table", "rows", r), "table-shape",
                          f"This row has {many}; the table has {width} columns.",
                          f"Give {what} {width} cells (an empty cell is \"\").", "error")
        else:
            file = block._read.file if block._read else None
            line, column = file.places.get((r, 0), (0, 0)) if file else (0, 0)
            name = file.name if file else block.table.csv
            yield Finding(("table", "csv"), "table-shape",
                          f"The row on line {line} of `{name}` has {many}; the table has "
                          f"{width} columns.",
                          f"Give every row of the file {width} cells, or correct `columns`.",
                          "error", f"{name}:{line}:{column}")


NOTE = re.compile(r"\^\[|\[[^\]]*(?<![\w@])-?@(?!ref:|sec:)\w")  # a citation or a note


def _notes_in_headings(block: Table, rows: tuple[tuple[str, ...], ...]) -> Iterator[Finding]:
    """A note called from a heading: the heading is repeated on every page the table spans,
    the note printed once."""
    heads: list[tuple[Steps, str]] = [
        (("table", "columns", c, "label"), column.label)
        for c, column in enumerate(block.table.columns or []) if column.label]
    at_row = ("table", "rows") if block.table.rows is not None else ("table", "csv")
    heads += [((*at_row, r, c) if at_row[1] == "rows" else at_row, cell)
              for r, row in enumerate(rows[:block.table.header_rows]) for c, cell in enumerate(row)]
    for at, text in heads:
        if NOTE.search(text):
            yield Finding(at, "table-shape", "A heading of the table has a note or a citation: "
                          "it would be called on every page the table spans, and printed once.",
                          "Cite in the caption or in `source:` instead.", "error", text)


FIGURE = re.compile(r"\d(?:[\d,\u2009\u202f\u00a0]*\d)?(?:\.(\d+))?")
CALL = re.compile(r'<span class="(?:footnote|citation)"')
FIGURE_SPACE, PUNCTUATION_SPACE = "\u2007", "\u2008"


def _fraction(source: str) -> int | None:
    """How many digits follow the decimal point of the cell's last figure (None: no figure)."""
    plain = re.sub(r"\^?\[[^\]]*\]", "", source)  # citations and notes do not count
    figures = list(FIGURE.finditer(plain))
    return len(figures[-1].group(1) or "") if figures else None


def _pad(html: Markup, digits: int, most: int) -> Markup:
    """The cell's HTML with its figure padded to `most` fraction digits (figure spaces, and a
    punctuation space for a missing point), before any note call, so that right-aligned figures
    line up on the point (digits and these spaces are all one width in tabular figures)."""
    pad = FIGURE_SPACE * (most - digits) + (PUNCTUATION_SPACE if most and not digits else "")
    if not pad:
        return html
    text = str(html)
    call = CALL.search(text)
    at = call.start() if call else len(text)
    return Markup(f'{text[:at]}<span class="pad">{pad}</span>{text[at:]}')


# Column widths are estimated from the cells' text: WeasyPrint's automatic table layout gives
# the room to the columns with the longest cells and breaks the short ones (a "Row120" cut after
# "Row12"), and cannot keep a table with long words within the margin. So tables are laid out
# fixed, at the widths estimated here, and a cell wraps (anywhere, in the last resort).
# An average character of the table's type (Noto Sans), in em: of a line of text, of a word that
# must fit whole (figures and capitals are wider), of a bold heading's word
CHAR_EM, WORD_EM, BOLD_EM = 0.55, 0.62, 0.68
PADDING_EM = 1.3  # a cell's padding (10 pt at 8.8 pt), and a little room
TEXT_EM = 52.0  # the text's width in the table's em (A4: 165 mm at 8.8 pt; letter is wider)
# how much more a line holds: in smaller type (7.4 pt, table.css), across a landscape page
# (A4: 251 mm against 164; letter, the least of the papers: 1.39)
FIT_EM = {"wrap": 1.0, "shrink": 8.8 / 7.4, "landscape": 1.39}
LINE_CHARS, WORD_CHARS = 36, 16  # a cell wraps beyond this; a longer word may be broken


def _plain(source: str) -> str:
    return re.sub(r"[*_`]|\^?\[[^\]]*@[^\]]*\]|\^\[[^\]]*\]|\]\([^)]*\)|\]\{[^}]*\}|\[", "",
                  source).strip()


def _widths(columns: list[tuple[list[str], list[str]]], full: bool,
            text_em: float = TEXT_EM) -> tuple[tuple[float, ...], float]:
    """Each column's share of the table (%), and the table's share of the text's width (%),
    from its headings (bold: their words are kept whole) and its cells."""
    ems = []
    for heads, cells in columns:
        def longest(texts: list[str], cap: int, words: bool) -> int:
            parts = [w for text in texts for w in (text.split() if words else [text])]
            return max((min(len(part), cap) for part in parts), default=0)

        heads, cells = [_plain(text) for text in heads], [_plain(text) for text in cells]
        ems.append(max(longest(cells, LINE_CHARS, False) * CHAR_EM,
                       longest(cells, WORD_CHARS, True) * WORD_EM,
                       longest(heads, WORD_CHARS, True) * BOLD_EM, 2.0) + PADDING_EM)
    total = sum(ems)
    share = 100.0 if full else min(100.0, total / text_em * 100)
    return tuple(round(100 * em / total, 2) for em in ems), round(share, 2)


def view(block: Table, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    body, rows, width = block.table, block.all_rows(), _width(block)
    aligns = [column.align for column in body.columns or []] or ["left"] * width
    aligns += ["left"] * (width - len(aligns))
    head: list[tuple[tuple[Markup, str], ...]] = []
    if body.columns and body.columns[0].label is not None:
        head.append(tuple((html(("table", "columns", c, "label")), aligns[c])
                          for c in range(width)))

    def cell(r: int, c: int) -> Markup:
        return html(("table", block.row_key, r, c)) if rows[r][c] else Markup("")

    for r in range(min(body.header_rows, len(rows))):
        head.append(tuple((cell(r, c), aligns[c]) for c in range(min(width, len(rows[r])))))
    data = [r for r in range(body.header_rows, len(rows))]
    most = {c: max((_fraction(rows[r][c]) or 0 for r in data if c < len(rows[r])), default=0)
            for c in range(width) if aligns[c] == "decimal"}
    lines = []
    for r in data:
        cells = []
        for c in range(min(width, len(rows[r]))):
            shown = cell(r, c)
            digits = _fraction(rows[r][c]) if c in most else None
            if digits is not None:
                shown = _pad(shown, digits, most[c])
            cells.append((shown, aligns[c]))
        lines.append(tuple(cells))
    labels = [column.label or "" for column in body.columns or []] or [""] * width
    heads = rows[:body.header_rows]
    widths, share = _widths(
        [([labels[c], *(row[c] for row in heads if c < len(row))],
          [rows[r][c] for r in data if c < len(rows[r])]) for c in range(width)],
        body.width == "full", TEXT_EM * FIT_EM[body.fit])
    return {"caption": html(("table", "caption")), "head": tuple(head), "rows": tuple(lines),
            "aligns": tuple(aligns), "widths": widths, "width": share, "fit": body.fit,
            "source": html(("table", "source")) if body.source else Markup(""),
            "notes": tuple(html(("table", "notes", n)) for n in range(len(body.notes)))}


SPEC = BlockSpec("table", Table, texts, view, "table.html.j2", "table.css",
                 findings=findings, numbered="table", read=read)
