"""EDTF, all of it: every date of levels 0 and 1 is placed in the chronology with a label a
reader understands; level 2 is placed where it has one reading, else a DateError that names
the construct and gives a form that works; nothing else ever escapes `chronology.parse`."""

from __future__ import annotations

import json
import pickle
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from report.cli import main
from report.document import chronology
from report.document.chronology import DateError, by_year, entry, parse, sort_key
from tests.conftest import make

# EDTF, label, first day, last day (ISO; ".." open, "" unknown), HTML datetime. In sort order:
# the test below shuffles them and sorts them back (same first day: coarser first).
TABLE = [
    ("../1988-02-27", "until 27 February 1988", "..", "1988-02-27", ""),
    ("/1990", "unknown – 1990", "", "1990-12-31", ""),
    ("Y-170000002", "170,000,003 BCE", "-170000002-01-01", "-170000002-12-31", ""),
    ("Y-17E7", "170,000,001 BCE", "-170000000-01-01", "-170000000-12-31", ""),
    ("-1985", "1986 BCE", "-1985-01-01", "-1985-12-31", ""),
    ("-1985-04-12", "12 April 1986 BCE", "-1985-04-12", "-1985-04-12", ""),
    ("-0001-04", "April 2 BCE", "-0001-04-01", "-0001-04-30", ""),
    ("0000", "1 BCE", "0000-01-01", "0000-12-31", ""),
    ("1XXX", "the 2nd millennium", "1000-01-01", "1999-12-31", ""),
    ("19XX", "the 20th century", "1900-01-01", "1999-12-31", ""),
    ("19XX?", "the 20th century?", "1900-01-01", "1999-12-31", ""),
    ("198X", "the 1980s", "1980-01-01", "1989-12-31", ""),
    ("198X~", "c. the 1980s", "1980-01-01", "1989-12-31", ""),
    ("1985", "1985", "1985-01-01", "1985-12-31", "1985"),
    ("1985-04", "April 1985", "1985-04-01", "1985-04-30", "1985-04"),
    ("1985-04-12", "12 April 1985", "1985-04-12", "1985-04-12", "1985-04-12"),
    ("1985-04-12T23:20:30", "12 April 1985, 23:20:30", "1985-04-12", "1985-04-12",
     "1985-04-12T23:20:30"),
    ("1985-04-12T23:20:30Z", "12 April 1985, 23:20:30 UTC", "1985-04-12", "1985-04-12",
     "1985-04-12T23:20:30Z"),
    ("1985-04-12T10:00:00+04:00", "12 April 1985, 10:00:00 UTC+04:00", "1985-04-12",
     "1985-04-12", "1985-04-12T10:00:00+04:00"),
    ("1985-04-12/..", "from 12 April 1985", "1985-04-12", "..", ""),
    ("1985-04-12/", "12 April 1985 – unknown", "1985-04-12", "", ""),
    ("1985-04-12/1985-04-20", "12–20 April 1985", "1985-04-12", "1985-04-20", ""),
    ("1988", "1988", "1988-01-01", "1988-12-31", "1988"),
    ("1988-XX", "1988", "1988-01-01", "1988-12-31", ""),
    ("1988-XX-XX", "1988", "1988-01-01", "1988-12-31", ""),
    ("1988?", "1988?", "1988-01-01", "1988-12-31", ""),
    ("1988-XX?", "1988?", "1988-01-01", "1988-12-31", ""),
    ("1988/..", "from 1988", "1988-01-01", "..", ""),
    ("1988-02", "February 1988", "1988-02-01", "1988-02-29", "1988-02"),
    ("1988-02-XX", "February 1988", "1988-02-01", "1988-02-29", ""),
    ("1988-02~", "c. February 1988", "1988-02-01", "1988-02-29", ""),
    ("1988-02-XX%", "c. February 1988?", "1988-02-01", "1988-02-29", ""),
    ("1988-02-27", "27 February 1988", "1988-02-27", "1988-02-27", "1988-02-27"),
    ("1988-02-27/..", "from 27 February 1988", "1988-02-27", "..", ""),
    ("1988-02-27/1988-03-XX", "27 February 1988 – March 1988", "1988-02-27", "1988-03-31", ""),
    ("1988-21", "Spring 1988", "1988-03-01", "1988-05-31", ""),
    ("1988-22", "Summer 1988", "1988-06-01", "1988-08-31", ""),
    ("1988-23/..", "from Autumn 1988", "1988-09-01", "..", ""),
    ("1988-24", "Winter 1988", "1988-12-01", "1988-12-31", ""),  # the library: December
    ("1990-21", "Spring 1990", "1990-03-01", "1990-05-31", ""),
    ("1990-21/1990-22?", "Spring 1990 – Summer 1990?", "1990-03-01", "1990-08-31", ""),
    ("1993-04~/1993-06", "c. April 1993 – June 1993", "1993-04-01", "1993-06-30", ""),
    ("1993-04-01?/1993-04-03", "1 April 1993? – 3 April 1993", "1993-04-01", "1993-04-03",
     ""),
    ("2001-33", "First quarter of 2001", "2001-01-01", "2001-03-31", ""),  # level 2 seasons
    ("2001-37", "January–April 2001", "2001-01-01", "2001-04-30", ""),
    ("2001-40", "First half of 2001", "2001-01-01", "2001-06-30", ""),
    ("2001-25", "Spring (northern hemisphere) 2001", "2001-03-01", "2001-05-31", ""),
    ("2004-06-XX/2004-07-03", "June 2004 – 3 July 2004", "2004-06-01", "2004-07-03", ""),
    ("2004-06-11%", "c. 11 June 2004?", "2004-06-11", "2004-06-11", ""),
    ("201X", "the 2010s", "2010-01-01", "2019-12-31", ""),
    ("Y170000002", "170,000,002", "+170000002-01-01", "+170000002-12-31", "170000002"),
]


@pytest.mark.parametrize(("text", "label", "start", "end", "stamp"), TABLE)
def test_levels_0_and_1_are_placed(text: str, label: str, start: str, end: str,
                                   stamp: str) -> None:
    when = parse(text)
    assert (when.label, when.start.isoformat(), when.end.isoformat(), when.datetime) == (
        label, start, end, stamp)
    assert when.edtf == text


def test_the_table_is_large_enough_and_in_sort_order() -> None:
    assert len(TABLE) >= 40
    shuffled = [row[0] for row in TABLE]
    random.Random(7).shuffle(shuffled)
    entries = [entry(t, Markup(t), Markup(""), f"e{i}", i) for i, t in enumerate(shuffled)]
    ordered = [e.when.edtf for g in by_year(entries) for e in g.entries]
    # ties (same first day and precision) keep document order: compare those as sets
    expected = [row[0] for row in TABLE]

    def runs(texts: list[str]) -> list[frozenset[str]]:
        keys = [sort_key(parse(t), 0)[:2] for t in texts]
        out: list[set[str]] = []
        for i, text in enumerate(texts):
            if i and keys[i] == keys[i - 1]:
                out[-1].add(text)
            else:
                out.append({text})
        return [frozenset(run) for run in out]

    assert runs(ordered) == runs(expected)


def test_unspecified_day_sorts_as_its_month() -> None:
    entries = [entry(t, Markup(t), Markup(""), "a", i) for i, t in enumerate(
        ["1988-02-01", "1988-02-XX", "1988-01-31", "1988-02"])]
    [group] = by_year(entries)
    assert [e.when.edtf for e in group.entries] == [
        "1988-01-31", "1988-02-XX", "1988-02", "1988-02-01"]
    assert parse("1988-02-XX").precision == parse("1988-02").precision


def test_open_start_sorts_first_in_a_group_of_its_own() -> None:
    entries = [entry(t, Markup(t), Markup(""), "a", i) for i, t in enumerate(
        ["1970", "../1988-02-27", "-1985", "1960/..", "/1975"])]
    groups = by_year(entries)
    assert [str(g.year) for g in groups] == ["Without a start date", "1986 BCE", "1960",
                                             "1970"]
    assert [e.when.edtf for e in groups[0].entries] == ["/1975", "../1988-02-27"]
    assert groups[1].year == -1985 and groups[2].year == 1960


def test_years_datetime_cannot_hold_still_compare_and_export() -> None:
    bce, far, open_end = parse("-1985"), parse("Y170000002"), parse("1988/..")
    assert bce.start <= parse("0001").start < parse("9999").end <= far.end
    assert (bce.start.isoformat(), str(far.end), open_end.end.isoformat()) == (
        "-1985-01-01", "+170000002-12-31", "..")
    assert sort_key(bce, 0) < sort_key(parse("0000"), 0) < sort_key(far, 0)
    assert sort_key(parse("Y-170000002"), 0) < sort_key(bce, 0)
    assert [(parse(t).open_start, parse(t).open_end) for t in (
        "../1990", "/1990", "1990/..", "1990/", "-1985", "1990")] == [
        (True, False), (True, False), (False, True), (False, True), (False, False),
        (False, False)]
    copied = pickle.loads(pickle.dumps(bce))
    assert copied == bce and copied.start.isoformat() == "-1985-01-01"
    year = by_year([entry("-1985", Markup(""), Markup(""), "a", 0)])[0].year
    assert (year, str(year), pickle.loads(pickle.dumps(year))) == (-1985, "1986 BCE", year)


def test_every_word_is_in_the_table() -> None:
    words = chronology.WORDS
    assert chronology.MONTHS is words.months and chronology.SEASONS is words.seasons
    assert all(words.seasons.get(n) for n in range(21, 42))
    assert [words.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]


# --- level 2 and refusals ------------------------------------------------------------------

# EDTF, what the message says, and a form the hint offers (EDTF that works, where it is one).
LEVEL_2 = [
    ("[1667,1668]", "set of dates of which one applies", "1667/1668"),
    ("[1667, 1668, 1670..1672]", "one applies", "1667/1672"),
    ("[..1760-12-03]", "one applies", "../1760-12-03"),
    ("{1960,1961}", "set of dates that all apply", "1960/1961"),
    ("{1960, 1961-12}", "all apply", "1960/1961-12"),
    ("1984?-06", "qualifies only part of the date", "1984-06?"),
    ("2004-06-~11", "qualifies only part", "2004-06-11~"),
    ("?2004-06", "qualifies only part", "2004-06?"),
    ("1950S2", "significant digits", "1900/1999"),
    ("Y171010000S3", "significant digits", "Y171010000"),
    ("-1950S2", "significant digits", "-1999/-1900"),
    ("156X-12-25", "unspecified digits (X) inside the date", "1560-12-25/1569-12-25"),
    ("1988-XX-12", "inside the date", "1988-01-12/1988-12-12"),
    ("1XXX-12", "inside the date", "1000-12/1999-12"),
    ("1988-02-1X", "inside the date", "1988-02-01/1988-02-29"),
    ("XXXX", "does not say the year", "19XX"),
    ("XXXX-12-XX", "does not say the year", "198X"),
    ("../..", "neither a start nor an end", "../1988"),
]


@pytest.mark.parametrize(("text", "message", "form"), LEVEL_2)
def test_level_2_names_the_construct_and_a_form_that_works(text: str, message: str,
                                                           form: str) -> None:
    with pytest.raises(DateError) as caught:
        parse(text)
    assert message in str(caught.value) and f"`{text}`" in str(caught.value)
    assert form in caught.value.hint
    assert parse(form).label


@pytest.mark.parametrize("text", [
    "1990-02-30", "1990-02-29", "1990-13", "1990-00", "1990-01-32", "garbage", "", " ",
    "13 January 1990", "/", "..", "../", "/..", "1988-1X", "1988-02-27/1988-XX",
    "1985-04-12T23:20", "Y1700", "-0000", "1990-21~", "2004-06-XX/..", "1988/..?",
    "1990-01-12/1990-01-12/1990", "[]", "{}", "[1990", "1990]", "Y", "YX", "1990-99",
    "1985-04-12T25:00:00", "99999", "1988-02-27//", "X", "XX-XX", "1990-1X-XX",
])
def test_malformed_dates_are_date_errors(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse(text)
    assert str(caught.value) and caught.value.hint


def test_the_library_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DateError):
        parse("1988-02-1X/1988-XX")  # the library fails inside and says "trying to ..."
    assert capsys.readouterr().out == ""


# --- anything EDTF-like: a When or a DateError, never another exception --------------------

def _outcome(text: str) -> None:
    try:
        when = chronology.parse.__wrapped__(text)
    except DateError as error:
        assert str(error) and error.hint
        return
    assert isinstance(when, chronology.When) and when.label
    when.start.isoformat(), when.end.isoformat()
    assert sort_key(when, 0)


PART = st.one_of(
    st.from_regex(r"-?(Y-?)?[0-9X]{1,5}", fullmatch=True),
    st.sampled_from(["1988", "1990-01-13", "2004-06", "198X", "19XX", "1988-XX", "1988-02-XX",
                     "1988-21", "1988-24", "2001-41", "-1985", "Y170000002", "0000", "..", ""]),
)
MONTHDAY = st.from_regex(r"(-([0-9X]{2}|2[1-9]|3[0-9]|4[01])){0,2}", fullmatch=True)
QUALIFIER = st.sampled_from(["", "", "?", "~", "%"])


@st.composite
def edtf_like(draw: st.DrawFn) -> str:
    def one() -> str:
        return draw(PART) + draw(MONTHDAY) + draw(QUALIFIER)
    text = one()
    if draw(st.booleans()):
        text += "/" + one()
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from("[{")) + text + "," + one() + draw(st.sampled_from("]}"))
    return text


@settings(max_examples=400, deadline=None)
@given(edtf_like())
def test_anything_edtf_like_is_placed_or_a_date_error(text: str) -> None:
    _outcome(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789X-/.?~%YESTZ:+[]{}, ^", max_size=24))
def test_any_string_of_edtf_characters_is_placed_or_a_date_error(text: str) -> None:
    _outcome(text)


# --- a whole project -------------------------------------------------------------------------

SECTION = """id: one
title: One
blocks:
  - paragraph: Text [@doe-2001].
    events:
      - {date: 1988-02-XX, text: A month., cite: "[@doe-2001]"}
      - {date: 1988-02-27/.., text: Ongoing since., cite: "[@doe-2001]"}
      - {date: 198X, text: A decade., cite: "[@doe-2001]"}
"""


def test_a_project_with_level_1_dates_checks_builds_and_exports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path / "p", {"content/sections/01-one.yaml": SECTION})
    assert main(["check", str(project)]) == 0
    assert main(["build", str(project), "-o", str(tmp_path / "r.html")]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    chron = html[html.index('id="chronology"'):]
    labels = re.findall(r'<time class="when"[^>]*>([^<]*)</time>', chron)
    assert labels == ["the 1980s", "February 1988", "from 27 February 1988"]
    assert 'datetime="198X"' not in chron and "datetime=" not in chron.split("</section>")[0]
    capsys.readouterr()
    assert main(["chronology", str(project), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["edtf"], r["start"], r["end"]) for r in rows] == [
        ("198X", "1980-01-01", "1989-12-31"), ("1988-02-XX", "1988-02-01", "1988-02-29"),
        ("1988-02-27/..", "1988-02-27", "..")]


def test_a_level_2_date_is_a_located_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    section = SECTION.replace("198X", "'[1667,1668]'")
    project = make(tmp_path, {"content/sections/01-one.yaml": section})
    assert main(["check", str(project), "--format", "json"]) != 0
    problems = json.loads(capsys.readouterr().out)
    [bad] = [p for p in problems if p.get("code") == "bad-date"]
    assert "one applies" in bad["message"] and "1667/1668" in bad["hint"]
    assert bad["file"].endswith("01-one.yaml") and bad["line"] == 8
