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
  (infinite) for an open end (`..`);
- for `describe`, the other node classes and their fields: `Unspecified` and
  `PartialUnspecified` (dates with X digits; a qualifier is on the node itself:
  `_is_approximate`, `_is_uncertain`, `_uncertain_and_approximate`), `DateAndTime` (`date`,
  `time`), `LongYear` (`year`, `significant_digits`), `ExponentialYear` (`_precise_year()`),
  `Date.significant_digits`, `PartialUncertainOrApproximate` (a qualifier on part of a date),
  `UnspecifiedIntervalSection` (`is_open`, `is_unknown`), `OneOfASet` and `MultipleDates`
  (`objects`), and `appsettings.SEASON_L2_MONTHS_RANGE` (the months of seasons 21 to 41).

The grammar raises more than `EDTFParseException` on some valid-looking input (TypeError,
AttributeError, ValueError from its node constructors) and prints "trying to ..." on stdout
when it does: `parse` and `describe` turn every exception into ParseError and keep stdout
clean.

Nothing here changes the library; nothing is done at import time but importing it.
"""

from __future__ import annotations

import contextlib
import io
import time
from dataclasses import dataclass, replace
from typing import Literal

from edtf import appsettings, parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import (
    Date,
    DateAndTime,
    EDTFObject,
    ExponentialYear,
    Interval,
    LongYear,
    MultipleDates,
    OneOfASet,
    PartialUncertainOrApproximate,
    Season,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
)

from report.engines.versions import PINNED

PACKAGE = "edtf"
VERSION = PINNED[PACKAGE]  # the version this module was written against

Node = EDTFObject  # a parsed EDTF date: pass it back to the functions here
ParseError = EDTFParseException  # what `parse` raises for text that is not EDTF
Kind = Literal["qualified", "season", "date", "interval", "other"]


def parse(text: str) -> Node:
    """The node of `text` by the library's grammar; ParseError if it is not EDTF, or if the
    library fails on it any other way."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its "trying to ..." lines
            node: Node = parse_edtf(text)
    except ParseError:
        raise
    except Exception as error:  # noqa: BLE001 - the library's own failures on odd input
        raise ParseError(text) from error
    if node is None:
        raise ParseError(text)
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


# --- a parsed date as plain data -----------------------------------------------------------

@dataclass(frozen=True)
class Written:
    """One date as written, the digit strings as they are: `year` "1990", "198X", "-1985",
    "170000002" (a Y-year, without its Y; an exponent year Y-17E7 given in full,
    "-170000000"); `month` "02", "XX" or None; `day` likewise; `season` 21 to 41 or None;
    `time` the part after T of a date and time ("23:20:30Z"); the qualifier of the whole date
    (`%` sets both); `significant` the significant digits of 1950S2; `partial` the kind of
    level-2 construct that qualifies or leaves unspecified only part of the date, "" if
    none."""

    year: str
    month: str | None = None
    day: str | None = None
    season: int | None = None
    time: str | None = None
    approximate: bool = False
    uncertain: bool = False
    significant: int | None = None
    long: bool = False  # written with a Y (Y170000002)
    partial: Literal["", "qualification"] = ""


@dataclass(frozen=True)
class OpenEnd:
    """An interval end that is not a date: open (`..`) or unknown (empty)."""

    unknown: bool


@dataclass(frozen=True)
class Span:
    """An interval."""

    lower: Written | OpenEnd
    upper: Written | OpenEnd


@dataclass(frozen=True)
class DateSet:
    """A set: one of its members (`[...]`) or all of them (`{...}`); members as written."""

    every: bool
    members: tuple[str, ...]


@dataclass(frozen=True)
class Unsupported:
    """A node this module does not know; `name` says what the library called it."""

    name: str


Shape = Written | Span | DateSet | Unsupported


def describe(node: object) -> Shape:
    """What a parsed (or built) node says, as plain data. ParseError if the library fails
    reading its own node."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return _describe(node)
    except ParseError:
        raise
    except Exception as error:  # noqa: BLE001 - a node the library built but cannot read
        raise ParseError(str(node)) from error


def _flags(node: object) -> tuple[bool, bool]:
    both = bool(getattr(node, "_uncertain_and_approximate", False))
    return (bool(getattr(node, "_is_approximate", False)) or both,
            bool(getattr(node, "_is_uncertain", False)) or both)


def _end(node: object) -> Written | OpenEnd:
    if isinstance(node, UnspecifiedIntervalSection):
        return OpenEnd(unknown=bool(node.is_unknown))
    found = _describe(node)
    if not isinstance(found, Written):
        raise ParseError(str(node))
    return found


def _describe(node: object) -> Shape:
    if isinstance(node, UncertainOrApproximate):
        inner = _describe(node.date)
        if not isinstance(inner, Written):
            return Unsupported(type(node).__name__)
        approximate, uncertain = _flags(node)
        return replace(inner, approximate=inner.approximate or approximate,
                       uncertain=inner.uncertain or uncertain)
    if isinstance(node, Interval):  # Level1Interval, Level2Interval; not Consecutives alone
        return Span(_end(node.lower), _end(node.upper))
    if isinstance(node, OneOfASet | MultipleDates):
        return DateSet(isinstance(node, MultipleDates), tuple(str(o) for o in node.objects))
    if isinstance(node, PartialUncertainOrApproximate):
        approximate, uncertain = _flags(node)
        return Written(str(node.year or ""), _text(node.month), _text(node.day),
                       approximate=approximate, uncertain=uncertain, partial="qualification")
    if isinstance(node, Season):  # Level2Season too
        return Written(str(node.year), season=int(str(node.season)))
    if isinstance(node, DateAndTime):
        inner = _describe(node.date)
        if not isinstance(inner, Written):
            return Unsupported(type(node).__name__)
        return replace(inner, time=str(node.time))
    if isinstance(node, ExponentialYear):
        return Written(str(node._precise_year()), long=True,
                       significant=node.significant_digits)
    if isinstance(node, LongYear):
        return Written(str(node.year), long=True, significant=node.significant_digits)
    if isinstance(node, Date):  # Unspecified and PartialUnspecified too
        approximate, uncertain = _flags(node)
        return Written(str(node.year), _text(node.month), _text(node.day),
                       approximate=approximate, uncertain=uncertain,
                       significant=getattr(node, "significant_digits", None))
    return Unsupported(type(node).__name__)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def season_months(number: int) -> tuple[int, int]:
    """The first and last month of season `number` (21 spring ... 41 second half-year), as
    the library counts them (winter, 24, is December only). KeyError for another number."""
    first, last = appsettings.SEASON_L2_MONTHS_RANGE[number]
    return int(first), int(last)
