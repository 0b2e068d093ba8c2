"""A report in its own language: every fixed word of the theme follows `language:`, a report
may replace any of them, and `report check` names a word the theme does not have."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.pipeline import build, prepare
from report.render.html import words_css
from tests.conftest import check_json, make, pdftotext

FRENCH = {
    "content/report.yaml": "title: Rapport\ndate: 2020-03-01\nlanguage: fr\n"
                           "credit:\n  title: Source\n  publisher: Éditeur\n"
                           "  url: https://example.org/a\n  licence: CC BY 4.0\n"
                           "  licence-url: https://creativecommons.org/licenses/by/4.0/\n"
                           "  work: article\n",
    "content/sections/01-one.yaml": (
        "id: one\ntitle: Un\nblocks:\n  - paragraph: Un texte [@doe-2001].\n"
        "    events:\n      - {date: 1990-08-01, text: Un événement.}\n"),
}


def test_a_french_report_speaks_french(tmp_path: Path) -> None:
    html = prepare(make(tmp_path, FRENCH)).html
    for word in ("Sommaire", "Chronologie", "Liste des publications", "Colophon",
                 "Toutes les sources citées dans ce document, mises en forme dans le style",
                 "Adapté de «\u00a0Source\u00a0» (article, Éditeur)", "Produit le 1 mars 2020 avec",
                 '--report-page: "Page "', '--report-of: " sur "', '--report-to-page: "→ p. "'):
        assert word in html, word
    body = html.split("</head>", 1)[1]
    for english in ("Contents", "Publications list", "Every source", "Built on", "marked †",
                    "verbatim"):
        assert english not in body, english


def test_a_report_replaces_a_word(tmp_path: Path) -> None:
    files = {**FRENCH, "content/report.yaml": FRENCH["content/report.yaml"]
             + "words:\n  chronology: Repères\n"}
    html = prepare(make(tmp_path, files)).html
    assert "Repères" in html and "Chronologie" not in html


def test_unknown_words_and_placeholders_are_located(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    report = ("title: T\ndate: 2020-01-02\nlanguage: hy\nwords:\n  contens: Բովանդակություն\n"
              "  built: Built on {when}\n")
    code, problems = check_json(make(tmp_path, {"content/report.yaml": report}), capsys)
    assert code == 1
    assert [(p["code"], p["line"], p["column"], p["severity"]) for p in problems] == [
        ("unknown-word", 5, 3, "error"),
        ("unknown-placeholder", 6, 10, "error"),
        ("no-words-for-language", 3, 11, "warning")]
    assert problems[0]["hint"] == "Did you mean `contents`?"


def test_words_in_css_are_escaped() -> None:
    assert words_css({"page": 'P"a\\ge', "of": "of", "to-page": "→"}) == (
        ':root { --report-page: "P\\"a\\\\ge "; --report-of: " of "; '
        '--report-to-page: "→ "; }')


@pytest.mark.slow
def test_the_folios_of_a_german_report(tmp_path: Path) -> None:
    files = {**FRENCH, "content/report.yaml": "title: Bericht\ndate: 2020-03-01\nlanguage: de\n"}
    project = make(tmp_path, files)
    build(project, project / "build" / "report.pdf")
    text = pdftotext(project / "build" / "report.pdf")
    assert "Seite i" in text and "Seite 1 von" in text and "→ S. 1" in text
    assert "Inhalt" in text and "Quellenverzeichnis" in text
