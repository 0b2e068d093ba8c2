"""The chronology: dated events (EDTF, the Library of Congress date format) in time order.

Parsing is the `edtf` library's; this module adds what a reader sees (labels such as
"12–19 January 1990" or "c. April 1993") and the ordering rules: by start, a coarser date
before the finer ones inside it, ties in document order.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from report.engines import edtf

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
PRECISION = {"year": 0, "season": 1, "month": 2, "day": 3}


@dataclass(frozen=True)
class When:
    edtf: str
    start: dt.date
    end: dt.date
    precision: int
    label: str
    datetime: str  # for <time datetime=...>, "" where HTML cannot say it


def _day(value: time.struct_time) -> dt.date:
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


def _simple(node: edtf.Node) -> tuple[str, int, str]:
    """Label, precision and HTML datetime of a single (non-interval) EDTF date."""
    what = edtf.kind(node)
    if what == "qualified":
        qualified = edtf.qualified(node)
        label, precision, stamp = _simple(qualified.date)
        if qualified.both or (qualified.approximate and qualified.uncertain):
            return f"c. {label}?", precision, ""
        if qualified.approximate:
            return f"c. {label}", precision, ""
        if qualified.uncertain:
            return f"{label}?", precision, ""
        return label, precision, stamp  # the library wraps plain interval ends too
    if what == "season":
        found = edtf.season(node)
        season = SEASONS.get(found.season, "Season")
        return f"{season} {found.year}", PRECISION["season"], ""
    if what == "date":
        parts = edtf.fields(node)
        year, month, day = str(parts.year), str(parts.month or ""), str(parts.day or "")
        if day:
            d = dt.date(int(year), int(month), int(day))
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}", PRECISION["day"], d.isoformat()
        if month:
            return f"{MONTHS[int(month) - 1]} {year}", PRECISION["month"], f"{year}-{month}"
        return year, PRECISION["year"], year
    raise ValueError("this kind of EDTF date is not supported in a chronology")


def _interval_label(lower: edtf.Node, upper: edtf.Node) -> str:
    a, _, _ = _simple(lower)
    b, _, _ = _simple(upper)
    # (a season has no day: "season" ends never reach the day labels)
    if edtf.kind(lower) == edtf.kind(upper) == "date":
        first, last = edtf.fields(lower), edtf.fields(upper)
        if first.day and last.day:
            if (first.year, first.month) == (last.year, last.month):
                return f"{int(first.day)}–{b}"
            if first.year == last.year:
                return f"{a.rsplit(' ', 1)[0]} – {b}"
    return f"{a} – {b}"


class DateError(ValueError):
    """A date that cannot be used, with what to do about it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


PLAIN = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


def _plain(text: str) -> edtf.Node | None:
    found = PLAIN.fullmatch(text)
    return edtf.date(found[1], found[2], found[3]) if found else None


def _node(text: str) -> Any:
    """The EDTF node of `text`. Plain dates and intervals of them (most of a chronology) are
    built directly: the library's grammar takes about 10 ms a date, 20 s for a dossier of
    2,000 events; tests/test_chronology.py checks both ways agree."""
    lower, slash, upper = text.partition("/")
    a, b = _plain(lower), _plain(upper) if slash else None
    if a is not None and not slash:
        return a
    if a is not None and b is not None:
        return edtf.interval(a, b)
    return edtf.parse(text)


@functools.cache
def parse(text: str) -> When:
    """Parse an EDTF date; DateError with a reason a person can act on."""
    try:
        node = _node(text.strip())
        start, end = _day(edtf.lower_strict(node)), _day(edtf.upper_strict(node))
    except AttributeError:  # the library gives an open end (`..`) as an infinite float
        raise DateError(f"`{text}` is open-ended.",
                        "A chronology entry needs both ends: write the last known date "
                        "instead of `..`.") from None
    except (edtf.ParseError, ValueError, OverflowError):
        raise DateError(f"`{text}` is not a valid date.",
                        "Write it in EDTF: 1990-01-13, 1990-01, 1988, 1988-21 (spring), "
                        "1990-01-12/1990-01-19, 1993-04~ (about), 1989? (uncertain); check "
                        "that the day exists.") from None
    if edtf.kind(node) == "interval":
        lower, upper = edtf.ends(node)
        if str(lower) == str(upper):  # a one-day "interval" is that day
            return replace(parse(str(lower)), edtf=text)
        if end < start:
            raise DateError(f"The interval `{text}` ends before it starts.",
                            "Write the earlier date first.")
        _, precision, _ = _simple(lower)
        return When(text, start, end, precision, _interval_label(lower, upper), "")
    label, precision, stamp = _simple(node)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", stamp):  # 199X: nothing HTML can say
        stamp = ""
    return When(text, start, end, precision, label, stamp)


@dataclass(frozen=True)
class Entry:
    when: When
    html: Markup
    cite: Markup
    anchor: str
    order: int

    @property
    def sort_key(self) -> tuple[dt.date, int, int]:
        return sort_key(self.when, self.order)


def sort_key(when: When, order: int) -> tuple[dt.date, int, int]:
    """By start; a coarser date before the finer ones it contains; then document order."""
    return (when.start, when.precision, order)


@dataclass(frozen=True)
class YearGroup:
    year: int
    entries: tuple[Entry, ...]


def entry(date: str, html: Markup, cite: Markup, anchor: str, order: int) -> Entry:
    return Entry(parse(date), html, cite, anchor, order)


def by_year(entries: list[Entry]) -> tuple[YearGroup, ...]:
    groups: dict[int, list[Entry]] = {}
    for item in sorted(entries, key=lambda e: e.sort_key):
        groups.setdefault(item.when.start.year, []).append(item)
    return tuple(YearGroup(year, tuple(items)) for year, items in groups.items())
