"""The chronology: EDTF dates, the labels a reader sees, and the order of events."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from report.document import chronology
from report.document.chronology import DateError, Entry, by_year, entry, parse

D = dt.date


@pytest.mark.parametrize(("edtf", "label", "start", "end", "stamp"), [
    ("1990-01-13", "13 January 1990", D(1990, 1, 13), D(1990, 1, 13), "1990-01-13"),
    ("1990-01", "January 1990", D(1990, 1, 1), D(1990, 1, 31), "1990-01"),
    ("1992-02", "February 1992", D(1992, 2, 1), D(1992, 2, 29), "1992-02"),
    ("1990", "1990", D(1990, 1, 1), D(1990, 12, 31), "1990"),
    ("1988-21", "Spring 1988", D(1988, 3, 1), D(1988, 5, 31), ""),
    ("1988-22", "Summer 1988", D(1988, 6, 1), D(1988, 8, 31), ""),
    ("1988-23", "Autumn 1988", D(1988, 9, 1), D(1988, 11, 30), ""),
    ("1993-04~", "c. April 1993", D(1993, 4, 1), D(1993, 4, 30), ""),
    ("1989?", "1989?", D(1989, 1, 1), D(1989, 12, 31), ""),
    ("1990-01-13?", "13 January 1990?", D(1990, 1, 13), D(1990, 1, 13), ""),
    ("1990-01%", "c. January 1990?", D(1990, 1, 1), D(1990, 1, 31), ""),
    ("1992-02-29", "29 February 1992", D(1992, 2, 29), D(1992, 2, 29), "1992-02-29"),
])
def test_single_dates(edtf: str, label: str, start: dt.date, end: dt.date, stamp: str) -> None:
    when = parse(edtf)
    assert (when.label, when.start, when.end, when.datetime) == (label, start, end, stamp)
    assert when.edtf == edtf


def test_precision_orders_year_season_month_day() -> None:
    precisions = [parse(t).precision for t in ("1990", "1990-21", "1990-01", "1990-01-13")]
    assert precisions == sorted(precisions) and len(set(precisions)) == 4


def test_interval_in_one_month() -> None:
    when = parse("1990-01-12/1990-01-19")
    assert when.label == "12–19 January 1990"
    assert (when.start, when.end) == (D(1990, 1, 12), D(1990, 1, 19))
    assert when.datetime == ""
    assert when.precision == parse("1990-01-12").precision


def test_interval_across_months() -> None:
    assert parse("1990-01-12/1990-02-03").label == "12 January – 3 February 1990"


def test_interval_across_years() -> None:
    when = parse("1989-12-30/1990-01-02")
    assert when.label == "30 December 1989 – 2 January 1990"
    assert (when.start, when.end) == (D(1989, 12, 30), D(1990, 1, 2))


def test_interval_of_years() -> None:
    assert parse("1990/1991").label == "1990 – 1991"


@pytest.mark.parametrize(("edtf", "label"), [
    ("1988-21/1988-22", "Spring 1988 – Summer 1988"),
    ("1988-21/1989-23", "Spring 1988 – Autumn 1989"),
])
def test_season_intervals_have_no_stray_question_mark(edtf: str, label: str) -> None:
    when = parse(edtf)
    assert when.label == label and "?" not in when.label
    assert when.precision == parse("1988-21").precision


def test_uncertain_end_of_an_interval_is_marked_there_only() -> None:
    assert parse("1990-21/1990-22?").label == "Spring 1990 – Summer 1990?"


@pytest.mark.parametrize("text", [
    "1990-02-30", "1990-02-29", "1990-13", "1990-00", "1990-01-32", "garbage", "",
    "13 January 1990",
])
def test_invalid_dates_are_value_errors_with_advice(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse(text)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == f"`{text}` is not a valid date."
    assert "EDTF" in caught.value.hint and "1990-01-12/1990-01-19" in caught.value.hint


@pytest.mark.parametrize("text", ["1990-01-19/1990-01-12", "1990/1989"])
def test_reversed_interval(text: str) -> None:
    with pytest.raises(DateError, match="ends before it starts") as caught:
        parse(text)
    assert caught.value.hint == "Write the earlier date first."


# Regression: open and unknown interval ends are valid EDTF; parse() let an AttributeError out
# ("'float' object has no attribute 'tm_year'"), then refused them. They are placed now (more
# in tests/document/test_edtf_dates.py).
@pytest.mark.parametrize(("text", "label"), [
    ("1990-01-12/..", "from 12 January 1990"), ("../1990", "until 1990")])
def test_open_intervals_are_placed(text: str, label: str) -> None:
    assert parse(text).label == label


# Regression: a year with unspecified digits gets datetime "199X", which is not a valid value of
# <time datetime> (the field is documented as "" where HTML cannot say the date).
def test_unspecified_digits_have_no_html_datetime() -> None:
    assert parse("199X").datetime == ""


# Regression: a one-day interval is labelled "12–12 January 1990".
def test_one_day_interval_is_labelled_as_the_day() -> None:
    assert parse("1990-01-12/1990-01-12").label == "12 January 1990"


# --- ordering ------------------------------------------------------------------------------

def make(date: str, order: int, text: str = "") -> Entry:
    return entry(date, Markup(text or date), Markup(""), f"e{order}", order)


def order_of(dates: list[str]) -> list[str]:
    groups = by_year([make(d, i) for i, d in enumerate(dates)])
    return [e.when.edtf for g in groups for e in g.entries]


def test_month_sorts_before_its_days() -> None:
    assert order_of(["1990-01-13", "1990-01-01", "1990-01"]) == [
        "1990-01", "1990-01-01", "1990-01-13"]


def test_year_sorts_before_its_months_and_seasons() -> None:
    assert order_of(["1990-03", "1990-01-01", "1990-21", "1990", "1990-01"]) == [
        "1990", "1990-01", "1990-01-01", "1990-21", "1990-03"]


def test_season_sorts_before_its_first_month() -> None:
    assert order_of(["1990-03", "1990-21"]) == ["1990-21", "1990-03"]


def test_intervals_sort_by_start() -> None:
    assert order_of(["1990-01-15", "1990-01-12/1990-01-19", "1990-01-13", "1990-01-11"]) == [
        "1990-01-11", "1990-01-12/1990-01-19", "1990-01-13", "1990-01-15"]


def test_ties_keep_document_order() -> None:
    entries = [make("1990-01-13", 2, "b"), make("1990-01-13", 0, "a"),
               make("1990-01-12/1990-01-19", 3, "d"), make("1990-01-13?", 1, "c")]
    [group] = by_year(entries)
    assert [str(e.html) for e in group.entries] == ["d", "a", "c", "b"]


def test_same_start_and_precision_keeps_document_order_not_input_order() -> None:
    entries = [make("1990", 5, "late"), make("1990", 1, "early"), make("1990-01", 0, "month")]
    [group] = by_year(entries)
    assert [str(e.html) for e in group.entries] == ["early", "late", "month"]


def test_approximate_and_uncertain_sort_by_their_start() -> None:
    assert order_of(["1993-05-01", "1993-04~", "1993-03-31"]) == [
        "1993-03-31", "1993-04~", "1993-05-01"]


def test_grouping_by_year() -> None:
    groups = by_year([make(d, i) for i, d in enumerate([
        "1991-02-01", "1989?", "1990-01-13", "1989-12-30/1990-01-02", "1990"])])
    assert [g.year for g in groups] == [1989, 1990, 1991]
    assert [[e.when.edtf for e in g.entries] for g in groups] == [
        ["1989?", "1989-12-30/1990-01-02"], ["1990", "1990-01-13"], ["1991-02-01"]]
    assert isinstance(groups, tuple) and isinstance(groups[0].entries, tuple)


def test_entry_keeps_its_parts() -> None:
    e = entry("1990-01-13", Markup("<b>x</b>"), Markup("<sup>1</sup>"), "ev-1", 7)
    assert (e.html, e.cite, e.anchor, e.order) == ("<b>x</b>", "<sup>1</sup>", "ev-1", 7)
    assert e.when.label == "13 January 1990"


def test_entry_with_a_bad_date_raises() -> None:
    with pytest.raises(ValueError):
        entry("1990-02-30", Markup(""), Markup(""), "x", 0)


def test_by_year_of_nothing() -> None:
    assert by_year([]) == ()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1000, 2999), st.integers(0, 14), st.integers(0, 32)),
                min_size=1, max_size=2))
def test_plain_dates_built_directly_parse_as_the_grammar_does(
        ends: list[tuple[int, int, int]]) -> None:
    """chronology._node builds plain dates without the library's grammar: same results,
    same refusals (month 13, 30 February), for single dates and intervals."""
    def text(year: int, month: int, day: int) -> str:
        return f"{year}" + (f"-{month:02d}" + (f"-{day:02d}" if day else "") if month else "")

    date = "/".join(text(*end) for end in ends)

    def outcome(node_of: object) -> object:
        try:
            with mock.patch.object(chronology, "_node", node_of):
                return chronology.parse.__wrapped__(date)
        except chronology.DateError as error:
            return ("error", str(error), error.hint)

    assert outcome(chronology._node) == outcome(lambda t: parse_edtf(t))
