"""report/layout/estimate.py: page facts guessed from the HTML for a first build's first round."""

from __future__ import annotations

from pathlib import Path

from report.layout import backrefs
from report.layout.estimate import estimate
from report.pipeline import build, prepare
from tests.conftest import copy_project


def test_the_guess_names_every_fact_the_layout_gives(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    output = project / "build" / "report.pdf"
    build(project, output)
    known = backrefs.load(backrefs.cache_file(project, output))
    assert known is not None and not known.estimated
    prepared = prepare(project, output=output)  # written as a first build is: no page facts
    body = prepared.doc.sections[0].id
    guess = estimate(prepared.html, prepared.checked.collected, body)
    assert guess.estimated and guess != known  # never taken for facts a layout gave
    assert guess.anchors.keys() == known.anchors.keys()
    assert guess.cited.keys() == known.cited.keys()
    # numbered as the layout numbers: roman before the body, from 1 at its first page
    assert guess.anchors[body] == known.anchors[body] == "1"
    assert guess.anchors["key-facts"] in {"i", "ii", "iii", "iv", "v"}
    for key, pages in guess.cited.items():  # a page listed once, in order, with its first note
        numbers = [int(page) for page, _ in pages if page.isdigit()]
        assert numbers == sorted(set(numbers)), key
    # of about the right length: the last page within a factor of two of the real one
    assert int(known.last_page) / 2 <= int(guess.last_page) <= int(known.last_page) * 2


def test_a_document_without_a_body_guesses_nothing() -> None:
    guess = estimate("<html><head></head></html>", None, None)  # type: ignore[arg-type]
    assert guess.estimated and not guess.anchors and not guess.cited
