"""The `edtf` library (EDTF dates), as report/document/chronology.py uses it: parsing, and the
parsed nodes turned into plain data.

Written against edtf 5.0.2 (`VERSION`, checked by report/engines/__init__.py: `install`). What
it relies on beyond `parse_edtf` and `EDTFParseException`:

- the node classes (`edtf.parser.parser_classes`): `Date` and its subclasses (`Season`,
  `Unspecified`, ...), `Interval` and its subclasses (`Level1Interval`, ...) and
  `UncertainOrApproximate`, the node of a date with a `?`, `~` or `%` after it; built directly
  as `Date(year=, month=, day=)` and `Interval(lower=, upper=)`;
- their fields: a date's `year`, `month`, `day` (properties over `_year`, `_month`, `_day`:
  the digit strings as written, None where the date stops; `Season` sets no `_month`), a
  season's `season`, an interval's `lower` and `upper`, a qualified date's `date` and
  `is_approximate`, `is_uncertain`, `is_uncertain_and_approximate` (over `_is_approximate`,
  `_is_uncertain`, `_uncertain_and_approximate`);
- `lower_strict()` and `upper_strict()`, which give a `time.struct_time`, or a float
  (infinite) for an open end (`..`).

Nothing here changes the library; nothing is done at import time but importing it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import (
    Date,
    EDTFObject,
    Interval,
    Season,
    UncertainOrApproximate,
)

from report.engines.versions import PINNED

PACKAGE = "edtf"
VERSION = PINNED[PACKAGE]  # the version this module was written against

Node = EDTFObject  # a parsed EDTF date: pass it back to the functions here
ParseError = EDTFParseException  # what `parse` raises for text that is not EDTF
Kind = Literal["qualified", "season", "date", "interval", "other"]


def parse(text: str) -> Node:
    """The node of `text` by the library's grammar; ParseError if it is not EDTF."""
    node: Node = parse_edtf(text)
    return node


def date(year: str, month: str | None = None, day: str | None = None) -> Node:
    """The node of a plain date (digit strings: "1990", "01", "13"), built without the
    grammar. Nothing is checked: 30 February gives a `lower_strict` of day 30 of month 2,
    which `datetime.date` refuses."""
    return Date(year=year, month=month, day=day)


def interval(lower: Node, upper: Node) -> Node:
    """The node of the interval `lower/upper`, built without the grammar."""
    return Interval(lower=lower, upper=upper)


def kind(node: object) -> Kind:
    """What a node is: a date with a qualifier (`?`, `~`, `%`), a season (1988-21), a date
    (year, month or day precision; unspecified digits such as 199X too), an interval
    (open ends included), or anything else."""
    if isinstance(node, UncertainOrApproximate):
        return "qualified"
    if isinstance(node, Season):  # a Date too: first
        return "season"
    if isinstance(node, Date):
        return "date"
    if isinstance(node, Interval):
        return "interval"
    return "other"


@dataclass(frozen=True)
class Fields:
    """A date's fields as the library holds them: the digit strings as written ("1990", "01",
    "13"; "199X" with unspecified digits), None where the date stops."""

    year: str | None
    month: str | None
    day: str | None


def fields(node: Node) -> Fields:
    """The fields of a node of kind "date" (AttributeError for a season: it has no month)."""
    assert isinstance(node, Date)
    return Fields(node.year, node.month, node.day)


@dataclass(frozen=True)
class SeasonFields:
    year: str | None
    season: int  # 21 spring, 22 summer, 23 autumn, 24 winter (level 2: up to 41)


def season(node: Node) -> SeasonFields:
    """The year and season number of a node of kind "season"."""
    assert isinstance(node, Season)
    return SeasonFields(node.year, int(str(node.season)))


@dataclass(frozen=True)
class Qualified:
    """A date with a qualifier: the date, and what the qualifier says. `both` is `%`; a
    qualified date may also be approximate and uncertain at once without it."""

    date: Node
    approximate: bool
    uncertain: bool
    both: bool


def qualified(node: Node) -> Qualified:
    """The date and qualifiers of a node of kind "qualified". The library gives the ends of
    an interval this kind even when they carry no qualifier (all three False)."""
    assert isinstance(node, UncertainOrApproximate)
    return Qualified(node.date, node.is_approximate, node.is_uncertain,
                     node.is_uncertain_and_approximate)


def ends(node: Node) -> tuple[Node, Node]:
    """The lower and upper end of a node of kind "interval"."""
    assert isinstance(node, Interval)
    return node.lower, node.upper


def lower_strict(node: Node) -> time.struct_time:
    """The first day a node can mean, as the library gives it: a `time.struct_time` (not
    checked: see `date`), an infinite float for an open start (`..`)."""
    return node.lower_strict()


def upper_strict(node: Node) -> time.struct_time:
    """The last day a node can mean (see `lower_strict`)."""
    return node.upper_strict()
