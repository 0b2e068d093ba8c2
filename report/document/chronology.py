"""The chronology: dated events (EDTF, the Library of Congress date format) in time order.

Parsing is the `edtf` library's (report/engines/edtf.py); this module adds what a reader sees
(labels such as "12–19 January 1990", "c. April 1993", "February 1988" for 1988-02-XX, "from
27 February 1988" for 1988-02-27/..) and the ordering rules: by the first day a date can
mean, a coarser date before the finer ones inside it, ties in document order; a date with no
known start (../1988, /1988) before all others.

Every date of EDTF levels 0 and 1 is placed. Of level 2, what has one reading is placed too
(seasons 25 to 41, exponent years, X digits that end an interval's date); the rest (sets,
qualifiers or X digits inside a date, significant digits) is a DateError that names the
construct and gives an EDTF form that works. Nothing else escapes `parse`.

Years: EDTF counts astronomically (0000 is 1 BCE, -0001 is 2 BCE) and allows any number of
digits (Y170000002); `datetime.date` holds 1 to 9999 only. `When.start` and `When.end` stay
`datetime.date`s (other code compares them and calls `isoformat()`): outside that range, and
for an open or unknown interval end, they are a `Beyond`, which compares as the first or last
day `datetime.date` has and gives its own ISO text. Sorting and grouping by year use
`When.key`, which holds any year.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from markupsafe import Markup

from report.engines import edtf

# --- the words a reader sees -----------------------------------------------------------------

def _english_ordinal(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}" + {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


@dataclass(frozen=True)
class Words:
    """Every fixed word and pattern of a label, for one language. The patterns are
    `str.format` strings; a table for another language replaces `WORDS` whole."""

    months: tuple[str, ...]
    seasons: Mapping[int, str]  # EDTF 21 to 41
    season_fallback: str
    day: str  # 13 January 1990
    month: str  # January 1990
    season: str  # Spring 1990
    day_and_month: str  # 12 January, the start of "12 January – 3 February 1990"
    days_in_month: str  # 12–19 January 1990: {first} is the first day's number
    interval: str  # 1990 – 1991
    starting: str  # from 27 February 1988 (an open end, ..)
    ending: str  # until 27 February 1988 (an open start, ..)
    unknown: str  # an unknown interval end: 27 February 1988 – unknown
    approximate: str  # ~
    uncertain: str  # ?
    approximate_and_uncertain: str  # % (or both ~ and ?)
    decade: str  # 198X: the 1980s
    century: str  # 19XX: the 20th century
    millennium: str  # 1XXX: the 2nd millennium
    ordinal: Callable[[int], str]  # 20 -> 20th
    before_common_era: str  # 0000: 1 BCE
    thousands: str  # the separator of long years: 170,000,002
    time: str  # 12 April 1985, 23:20:30
    utc: str  # 23:20:30 UTC, 23:20:30 UTC+04:00
    no_start: str  # the heading of the events whose start is open or unknown


WORDS = Words(
    months=("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"),
    seasons={21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter",
             25: "Spring (northern hemisphere)", 26: "Summer (northern hemisphere)",
             27: "Autumn (northern hemisphere)", 28: "Winter (northern hemisphere)",
             29: "Spring (southern hemisphere)", 30: "Summer (southern hemisphere)",
             31: "Autumn (southern hemisphere)", 32: "Winter (southern hemisphere)",
             33: "First quarter of", 34: "Second quarter of", 35: "Third quarter of",
             36: "Fourth quarter of", 37: "January–April", 38: "May–August",
             39: "September–December", 40: "First half of", 41: "Second half of"},
    season_fallback="Season",
    day="{day} {month} {year}",
    month="{month} {year}",
    season="{season} {year}",
    day_and_month="{day} {month}",
    days_in_month="{first}–{last}",
    interval="{first} – {last}",
    starting="from {first}",
    ending="until {last}",
    unknown="unknown",
    approximate="c. {date}",
    uncertain="{date}?",
    approximate_and_uncertain="c. {date}?",
    decade="the {year}s",
    century="the {ordinal} century",
    millennium="the {ordinal} millennium",
    ordinal=_english_ordinal,
    before_common_era="{year} BCE",
    thousands=",",
    time="{date}, {time}",
    utc="{time} UTC{offset}",
    no_start="Without a start date",
)

MONTHS = WORDS.months
SEASONS = WORDS.seasons
# Coarser first among dates that start on the same day.
PRECISION = {"millennium": -3, "century": -2, "decade": -1, "year": 0, "season": 1,
             "month": 2, "day": 3}

Key = tuple[int, int, int, int]  # (0 no known start | 1, year, month, day of the first day)


# --- days beyond datetime.date -----------------------------------------------------------------

class Beyond(dt.date):
    """A first or last day `datetime.date` cannot hold (a year before 1 or after 9999, an open
    or unknown interval end): compares as `near` (`date.min` or `date.max`), and `isoformat()`
    (so str()) gives `text`: the ISO 8601 day ("-1985-01-01", "+170000002-12-31"), ".." for an
    open end, "" for an unknown one."""

    text: str

    def __new__(cls, near: dt.date, text: str) -> Beyond:
        self = super().__new__(cls, near.year, near.month, near.day)
        self.text = text
        return self

    def isoformat(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Beyond({self.text!r})"

    def __reduce__(self) -> tuple[type[Beyond], tuple[dt.date, str]]:
        return Beyond, (dt.date(self.year, self.month, self.day), self.text)


def _iso(year: int, month: int, day: int) -> str:
    sign = "-" if year < 0 else "+" if year > 9999 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"


def _date(day: tuple[int, int, int]) -> dt.date:
    year, month, number = day
    if dt.MINYEAR <= year <= dt.MAXYEAR:
        return dt.date(year, month, number)
    return Beyond(dt.date.min if year < dt.MINYEAR else dt.date.max, _iso(*day))


def _days_in(year: int, month: int) -> int:
    """Days of a month of the proleptic Gregorian calendar, of any year (astronomical)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# --- the result ----------------------------------------------------------------------------

@dataclass(frozen=True)
class When:
    edtf: str
    start: dt.date  # a Beyond where datetime.date cannot say it (see the module's doc)
    end: dt.date
    precision: int
    label: str
    datetime: str  # for <time datetime=...>, "" where HTML cannot say it
    key: Key  # for sorting and the year groups: see `sort_key`

    @property
    def open_start(self) -> bool:
        """No known start (../1988, /1988): `start` is a Beyond that compares as date.min."""
        return isinstance(self.start, Beyond) and self.start.text in ("..", "")

    @property
    def open_end(self) -> bool:
        """No known end (1988/.., 1988/): `end` is a Beyond that compares as date.max."""
        return isinstance(self.end, Beyond) and self.end.text in ("..", "")


class DateError(ValueError):
    """A date that cannot be used, with what to do about it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


INVALID_HINT = ("Write it in EDTF: 1990-01-13, 1990-01, 1988, 1988-21 (spring), "
                "1990-01-12/1990-01-19, 1993-04~ (about), 1989? (uncertain); check "
                "that the day exists.")


def _invalid(text: str) -> DateError:
    hint = INVALID_HINT
    if "X" in text:
        hint += (" X can stand only for the last digits of a year, month or day (198X, "
                 "1988-XX, 1988-02-XX).")
    return DateError(f"`{text}` is not a valid date.", hint)


@dataclass(frozen=True)
class _Point:
    """One date, placed: its first and last day, precision, label and HTML datetime."""

    first: tuple[int, int, int]
    last: tuple[int, int, int]
    precision: int
    label: str
    stamp: str
    plain_day: bool  # a whole day without qualifier or time: for the short interval labels


# --- single dates ----------------------------------------------------------------------------

def _year_label(year: int, digits: int = 4) -> str:
    """The year as a reader sees it: 1990; 0990 alone or with a month, 990 in a day (as the
    labels have always been); 1 BCE for 0000; 170,000,002."""
    if dt.MINYEAR <= year <= dt.MAXYEAR:
        return f"{year:0{digits}d}"
    number = 1 - year if year < 1 else year  # astronomical 0 is 1 BCE
    shown = f"{number:,}".replace(",", WORDS.thousands) if number > 9999 else str(number)
    return WORDS.before_common_era.format(year=shown) if year < 1 else shown


def _edtf_year(year: int) -> str:
    if abs(year) > 9999:
        return f"Y{year}"
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _qualify(label: str, written: edtf.Written) -> str:
    if written.approximate and written.uncertain:
        return WORDS.approximate_and_uncertain.format(date=label)
    if written.approximate:
        return WORDS.approximate.format(date=label)
    if written.uncertain:
        return WORDS.uncertain.format(date=label)
    return label


def _as_written(written: edtf.Written) -> str:
    return "-".join(p for p in (written.year, written.month, written.day) if p is not None)


def _unspecified_inside(text: str, written: edtf.Written) -> DateError:
    """X digits that do not end the date (156X-12-25, 1988-XX-12, XXXX): level 2."""
    digits = written.year.lstrip("-")
    if not digits or set(digits) == {"X"}:
        return DateError(f"`{text}` does not say the year.",
                         "A chronology needs the year, or at least its first digits: 19XX "
                         "(the 20th century), 198X (the 1980s).")
    sign = -1 if written.year.startswith("-") else 1
    years = sorted(sign * int(digits.replace("X", fill)) for fill in "09")

    def bound(year: int, last: bool) -> str:
        month = 12 if last else 1
        if written.month and written.month.isdigit():
            month = int(written.month)
        day = _days_in(year, month) if last else 1
        if written.day and written.day.isdigit():
            day = int(written.day)
        text = f"{'-' if year < 0 else ''}{abs(year):04d}"
        if written.month is not None:
            text += f"-{month:02d}"
        if written.day is not None:
            text += f"-{day:02d}"
        return text

    return DateError(f"`{text}` has unspecified digits (X) inside the date (EDTF level 2).",
                     "X can stand only for the last digits of a date (1988-02-XX, 1988-XX, "
                     f"198X): write an interval instead, such as "
                     f"{bound(years[0], False)}/{bound(years[1], True)}.")


def _point(text: str, written: edtf.Written) -> _Point:
    """Place one date of the library's reading; DateError for what it cannot be placed."""
    if written.partial:
        marks = ("%" if written.approximate and written.uncertain
                 else "~" if written.approximate else "?")
        whole = _as_written(written) + marks
        raise DateError(f"`{text}` qualifies only part of the date (EDTF level 2).",
                        f"Qualify the whole date, with the sign at its end: {whole}.")
    if written.significant:
        year = int(written.year)
        spare = len(str(abs(year))) - written.significant
        hint = f"Write the year itself: {_edtf_year(year)}."
        if spare > 0 and abs(year) <= 9999:  # (the library has no intervals of Y-years)
            low = abs(year) // 10 ** spare * 10 ** spare
            high = low + 10 ** spare - 1
            low, high = (-high, -low) if year < 0 else (low, high)
            hint = (f"Write the range it stands for as an interval: {_edtf_year(low)}/"
                    f"{_edtf_year(high)}, or an approximate year: {_edtf_year(year)}~.")
        raise DateError(f"`{text}` gives significant digits (EDTF level 2).", hint)

    found = re.fullmatch(r"(-?)(\d*)(X*)", written.year)
    if not found or not found[2]:
        raise _unspecified_inside(text, written)
    sign, digits, unspecified = found.groups()
    month, day = written.month, written.day
    if any(p is not None and p != "XX" and not p.isdigit() for p in (month, day)):
        raise _unspecified_inside(text, written)  # 1988-1X, 1988-02-1X
    if (unspecified and (written.season or (month or "XX") != "XX" or (day or "XX") != "XX")
            or month == "XX" and day not in (None, "XX")):
        raise _unspecified_inside(text, written)  # 1XXX-12, 1988-XX-12
    if len(unspecified) > 3:
        raise _unspecified_inside(text, written)
    low = int(digits + "0" * len(unspecified))
    high = int(digits + "9" * len(unspecified))
    first_year, last_year = (-high, -low) if sign else (low, high)

    if unspecified:  # 198X, 19XX, 1XXX (and their month and day XX)
        first, last = (first_year, 1, 1), (last_year, 12, 31)
        unit = ("decade", "century", "millennium")[len(unspecified) - 1]
        if sign or low == 0 and unit == "decade":
            label = WORDS.interval.format(first=_year_label(first_year),
                                          last=_year_label(last_year))
        elif unit == "decade":
            label = WORDS.decade.format(year=low)
        else:
            size = 100 if unit == "century" else 1000
            label = getattr(WORDS, unit).format(ordinal=WORDS.ordinal(low // size + 1))
        return _Point(first, last, PRECISION[unit], _qualify(label, written), "", False)

    year = first_year
    stamp = ""
    if written.season is not None:
        months = edtf.season_months(written.season)
        first, last = (year, months[0], 1), (year, months[1], _days_in(year, months[1]))
        season = WORDS.seasons.get(written.season, WORDS.season_fallback)
        label = WORDS.season.format(season=season, year=_year_label(year))
        return _Point(first, last, PRECISION["season"], _qualify(label, written), "", False)
    if month is None or month == "XX":
        first, last = (year, 1, 1), (year, 12, 31)
        precision, label = PRECISION["year"], _year_label(year)
        stamp = f"{year:04d}" if month is None else ""
    else:
        number = int(month)
        if not 1 <= number <= 12:
            raise _invalid(text)
        name = WORDS.months[number - 1]
        if day is None or day == "XX":
            first, last = (year, number, 1), (year, number, _days_in(year, number))
            precision = PRECISION["month"]
            label = WORDS.month.format(month=name, year=_year_label(year))
            stamp = f"{year:04d}-{number:02d}" if day is None else ""
        else:
            if not 1 <= int(day) <= _days_in(year, number):
                raise _invalid(text)
            first = last = (year, number, int(day))
            precision = PRECISION["day"]
            label = WORDS.day.format(day=int(day), month=name, year=_year_label(year, 1))
            stamp = _iso(*first)
    if written.time is not None:
        clock = re.fullmatch(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?",
                             written.time)
        if not clock:
            raise _invalid(text)
        shown = clock[1]
        if clock[2]:
            shown = WORDS.utc.format(time=shown, offset="" if clock[2] == "Z" else clock[2])
        label = WORDS.time.format(date=label, time=shown)
        stamp = f"{stamp}T{written.time}"
    if (written.approximate or written.uncertain or year < 1
            or not re.fullmatch(r"\d{4,}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                                r"(Z|[+-]\d{2}:?\d{2})?)?)?)?", stamp)):
        stamp = ""  # 199X, 1988-XX, 1 BCE, c. 1990: nothing HTML can say
    plain = (precision == PRECISION["day"] and written.time is None
             and not (written.approximate or written.uncertain))
    return _Point(first, last, precision, _qualify(label, written), stamp, plain)


# --- intervals -----------------------------------------------------------------------------

def _interval_label(a: _Point, b: _Point) -> str:
    if a.plain_day and b.plain_day and a.first[0] == b.first[0]:
        year, month, day = a.first
        if (year, month) == b.first[:2]:
            return WORDS.days_in_month.format(first=day, last=b.label)
        start = WORDS.day_and_month.format(day=day, month=WORDS.months[month - 1])
        return WORDS.interval.format(first=start, last=b.label)
    return WORDS.interval.format(first=a.label, last=b.label)


def _open(end: edtf.OpenEnd, near: dt.date) -> dt.date:
    return Beyond(near, "" if end.unknown else "..")


def _span(text: str, span: edtf.Span) -> When:
    lower, upper = span.lower, span.upper
    if isinstance(lower, edtf.OpenEnd) and isinstance(upper, edtf.OpenEnd):
        raise DateError(f"`{text}` has neither a start nor an end.",
                        "Give at least one end: 1988/.. (from 1988), ../1988 (until 1988).")
    if lower == upper and isinstance(lower, edtf.Written):  # a one-day "interval": that day
        return replace(_single(text, lower), edtf=text)
    if isinstance(lower, edtf.OpenEnd):
        assert isinstance(upper, edtf.Written)
        b = _point(text, upper)
        label = (WORDS.interval.format(first=WORDS.unknown, last=b.label) if lower.unknown
                 else WORDS.ending.format(last=b.label))
        return When(text, _open(lower, dt.date.min), _date(b.last), b.precision, label, "",
                    (0, *b.first))
    a = _point(text, lower)
    if isinstance(upper, edtf.OpenEnd):
        label = (WORDS.interval.format(first=a.label, last=WORDS.unknown) if upper.unknown
                 else WORDS.starting.format(first=a.label))
        return When(text, _date(a.first), _open(upper, dt.date.max), a.precision, label, "",
                    (1, *a.first))
    b = _point(text, upper)
    if b.last < a.first:
        raise DateError(f"The interval `{text}` ends before it starts.",
                        "Write the earlier date first.")
    return When(text, _date(a.first), _date(b.last), a.precision, _interval_label(a, b), "",
                (1, *a.first))


def _single(text: str, written: edtf.Written) -> When:
    p = _point(text, written)
    return When(text, _date(p.first), _date(p.last), p.precision, p.label, p.stamp,
                (1, *p.first))


def _set(text: str, found: edtf.DateSet) -> DateError:
    members = [m.strip() for m in found.members] or ["1667", "1668"]
    low = members[0].split("..")[0] or ".."
    high = members[-1].split("..")[-1] or ".."
    interval = f"{low}/{high}"
    if found.every:
        return DateError(f"`{text}` is a set of dates that all apply (EDTF level 2).",
                         "Write one event for each date (" + ", ".join(members) + "), or "
                         f"an interval if they follow each other: {interval}.")
    likely = next((m for m in members if ".." not in m), None)
    return DateError(f"`{text}` is a set of dates of which one applies (EDTF level 2).",
                     f"Use an interval: {interval}" + (
                         f", or the likeliest date, uncertain: {likely}?." if likely else "."))


# --- parsing -------------------------------------------------------------------------------

PLAIN = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


def _plain(text: str) -> edtf.Node | None:
    found = PLAIN.fullmatch(text)
    return edtf.date(found[1], found[2], found[3]) if found else None


def _node(text: str) -> object:
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
    """Parse an EDTF date; DateError with a reason a person can act on, never another
    exception."""
    try:
        shape = edtf.describe(_node(text.strip()))
    except (edtf.ParseError, ValueError, TypeError, AttributeError, OverflowError):
        raise _invalid(text) from None
    try:
        if isinstance(shape, edtf.Written):
            return _single(text, shape)
        if isinstance(shape, edtf.Span):
            return _span(text, shape)
        if isinstance(shape, edtf.DateSet):
            raise _set(text, shape)
    except DateError:
        raise
    except (ValueError, KeyError, IndexError, OverflowError):
        raise _invalid(text) from None
    raise DateError(f"`{text}` is an EDTF form a chronology cannot place.", INVALID_HINT)


# --- ordering and the year groups ----------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    when: When
    html: Markup
    cite: Markup
    anchor: str
    order: int

    @property
    def sort_key(self) -> tuple[Key, int, int]:
        return sort_key(self.when, self.order)


def sort_key(when: When, order: int) -> tuple[Key, int, int]:
    """By first day (no known start first); a coarser date before the finer ones it contains;
    then document order."""
    return (when.key, when.precision, order)


class Year(int):
    """A year group's year: equal to the year's number (astronomical: 0 is 1 BCE), printed as
    the reader sees it ("1990", "1 BCE", "170,000,002", or the heading of the events without
    a start date)."""

    label: str

    def __new__(cls, number: int, label: str) -> Year:
        self = super().__new__(cls, number)
        self.label = label
        return self

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Year({int(self)}, {self.label!r})"

    def __reduce__(self) -> tuple[type[Year], tuple[int, str]]:
        return Year, (int(self), self.label)


@dataclass(frozen=True)
class YearGroup:
    year: int  # a Year
    entries: tuple[Entry, ...]


def entry(date: str, html: Markup, cite: Markup, anchor: str, order: int) -> Entry:
    return Entry(parse(date), html, cite, anchor, order)


def by_year(entries: list[Entry]) -> tuple[YearGroup, ...]:
    """Entries in order, by year of their first day; those without a known start first, in a
    group of their own."""
    groups: dict[tuple[int, ...], list[Entry]] = {}
    for item in sorted(entries, key=lambda e: e.sort_key):
        known, year = item.when.key[:2]
        groups.setdefault((known, year) if known else (known,), []).append(item)
    out = []
    for key, items in groups.items():
        year = items[0].when.key[1]
        heading = _year_label(year, 1) if key[0] else WORDS.no_start
        out.append(YearGroup(Year(year, heading), tuple(items)))
    return tuple(out)
