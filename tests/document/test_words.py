"""The theme's fixed words, per language: the same keys and placeholders in every language."""

from __future__ import annotations

import re

import pytest

from report.document.words import EN, KEYS, WORDS, date_label, months, words_for


@pytest.mark.parametrize("language", sorted(WORDS))
def test_every_language_has_every_key_and_only_placeholders_the_theme_fills(
        language: str) -> None:
    words = WORDS[language]
    assert set(words) == set(KEYS)
    for key in KEYS:  # a language may leave one out ("this briefing" reads badly in some)
        assert set(re.findall(r"\{(\w+)\}", words[key])) <= set(
            re.findall(r"\{(\w+)\}", EN[key])), (language, key)
    assert len(months(words)) == 12


def test_the_languages_the_issue_asks_for() -> None:
    assert {"en", "fr", "de", "es", "ru"} <= set(WORDS)


def test_dates_as_each_language_writes_them() -> None:
    assert date_label(words_for("en"), 1990, 1, 13) == "13 January 1990"
    assert date_label(words_for("de-DE"), 1990, 1, 13) == "13. Januar 1990"
    assert date_label(words_for("es"), 1990, 1, 13) == "13 de enero de 1990"
    assert date_label(words_for("ru"), 1990, 1, 13) == "13 января 1990 г."
    assert date_label(words_for("fr"), 1990, 8, 1) == "1 août 1990"


def test_a_report_replaces_any_word_and_unknown_languages_fall_back_to_english() -> None:
    words = words_for("hy", {"contents": "Բովանդակություն"})
    assert words["contents"] == "Բովանդակություն"
    assert words["chronology"] == "Chronology"


def test_a_projects_date_pattern_fills_only_plain_placeholders() -> None:
    """`words: {date: ...}` comes from the project: `{day.__class__}` is printed as written,
    never evaluated, and a lone brace does not fail the build."""
    from report.document.words import date_label, words_for

    words = {**words_for("en"), "date": "{month} {day}, {year} {day.__class__} {"}
    assert date_label(words, 1990, 1, 13) == "January 13, 1990 {day.__class__} {"
