"""The example projects in examples/: each checks clean and builds in every edition, and what
a reader sees is right: numbering, cross-references, languages, nothing past the margins."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.cli import main
from report.pipeline import build
from report.project.options import BuildOptions
from tests.conftest import ROOT, pdftotext, words_past_the_text_block

UDHR = ROOT / "examples" / "udhr"
LETTER = 612.0


def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(UDHR, tmp_path / "udhr", ignore=shutil.ignore_patterns("build")))


def test_the_example_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(UDHR), "--strict"]) == 0
    assert capsys.readouterr().out.strip() == "no problems found"


@pytest.mark.slow
def test_the_example_in_the_standard_edition(tmp_path: Path) -> None:
    project = copy(tmp_path)
    out = tmp_path / "udhr.pdf"
    build(project, out)
    text = " ".join(pdftotext(out).split())
    for seen in ("Table 1. The vote on resolution 217 A (III)",
                 "Table 2. States that abstained or were absent",
                 "the vote is given in Table 1, p. 2", "described in section 2, p. 2",
                 "drawn in Figure 1, p. 2", "Figure 1. The vote on resolution 217 A (III), as bars",
                 "Tous les êtres humains naissent libres",
                 "Все люди рождаются свободными", "from 1950", "Page 1 of 7",
                 "List of tables", "List of figures",
                 "Timeline",  # words: the theme's word replaced
                 "dignity and rights.”"):  # punctuation-in-quote: true
        assert seen in text, seen
    # sections: new-page: each section opens a page (pdftotext gives the running head last)
    pages = [" ".join(pdftotext(out, n, n).split()) for n in range(1, 10)]
    for page, heading in ((3, "1 Drafting"), (4, "2 Adoption"),
                          (6, "3 Article 1 in three languages")):
        assert pages[page - 1].startswith(heading), pages[page - 1]
    # footnotes: per-section: the third section's notes count from 1 again
    assert re.search(r"\b1\. United Nations General Assembly", pages[5].split("Russian:")[1])
    assert "1. Mary Ann Glendon" in pages[2] and "5. Morsink" in pages[4]
    assert words_past_the_text_block(out, 24, 22, LETTER) == []
    front = " ".join(pdftotext(out, 2, 2).split())  # the contents, then the lists: with pages
    assert re.search(r"Table 2\. States that abstained or were absent [. ]+ 2", front), front
    assert re.search(r"Figure 1\. The vote on resolution 217 A \(III\), as bars [. ]+ 2", front)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["print", "archive"])
def test_the_example_in_every_other_edition(edition: str, tmp_path: Path) -> None:
    import page

    project = copy(tmp_path)
    out = tmp_path / f"udhr-{edition}.pdf"
    build(project, out, options=BuildOptions(edition))
    assert "Table 2. States that abstained" in " ".join(pdftotext(out).split())
    for profile in (page.ValidationProfile.PDF_A_3A, page.ValidationProfile.PDF_UA_1):
        report = page.validate_pdf(out, profile=profile)  # the print edition's crop marks too
        assert [(f.rule_id, f.message) for f in report.failures] == []
    if edition == "archive":
        # the table's CSV is a source too: the extracted project rebuilds the same bytes
        assert {"data/abstentions.csv", "images/vote.svg"} <= set(PdfReader(out).attachments)
        assert main(["extract", str(out), str(tmp_path / "extracted")]) == 0
        again = tmp_path / "again.pdf"
        build(tmp_path / "extracted", again, options=BuildOptions(edition))
        assert again.read_bytes() == out.read_bytes()


def restyled(tmp_path: Path, style: str) -> Path:
    project = copy(tmp_path)
    report = project / "content" / "report.yaml"
    report.write_text(report.read_text().replace(
        "citation-style: chicago-notes-bibliography", f"citation-style: {style}").replace(
        "bibliography: grouped", "bibliography: null"))  # the list as the style's family has it
    return project


GLUED = re.compile(r"[\w.,;:”)\]](?:\(|\[\d)")  # "word(Doe" or "word[1": a citation glued on


@pytest.mark.slow
@pytest.mark.parametrize("style, first", [("apa", "(United Nations General Assembly, 1948)"),
                                          ("ieee", "[1]")])
def test_the_example_in_an_author_date_and_a_numeric_style(style: str, first: str,
                                                           tmp_path: Path) -> None:
    project = restyled(tmp_path, style)
    assert main(["check", str(project), "--strict"]) == 0
    out = tmp_path / f"{style}.pdf"
    build(project, out)
    text = " ".join(pdftotext(out).split())
    assert first in text
    body = text.split("1 Drafting", 2)[2].split("The dated events this briefing")[0]
    assert body.count("Table 1") >= 2 and not GLUED.findall(body), GLUED.findall(body)[:5]
    assert words_past_the_text_block(out, 24, 22, LETTER) == []
    if style == "ieee":  # the list's numbers are the text's, in order of first citation
        listing = text.split("Every source this report cites", 1)[1]
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", listing)]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 4
