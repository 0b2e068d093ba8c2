"""Hostile inline text: emphasis nested hundreds deep.

Before: 600 `*` around a word were 300 nested <strong>; `report check` found nothing and
`report build` ended in an internal error (RecursionError in the layout engine).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from report.cli import main
from report.document.inline import MAX_DEPTH, Renderers, make_parser, nesting_problem, parse, render
from report.problems import Location
from tests.conftest import check_json, make

MESSAGE = ("This text nests emphasis, links or spans 300 levels deep; at most 20 can be printed.")
HINT = ("Remove the extra `*` or `_`: `*word*` is emphasis and `**word**` strong emphasis, and "
        "more marks add nothing.")


def html(text: str) -> str:
    md = make_parser()
    return render(md, parse(md, text), Renderers())


def test_emphasis_deeper_than_the_limit_is_measured_and_printed_as_marks() -> None:
    md = make_parser()
    parsed = parse(md, "*" * 600 + "word" + "*" * 600)
    assert parsed.depth == 300
    # the outer 20 levels are kept; deeper marks are printed as they were written
    assert render(md, parsed, Renderers()) == (
        "<strong>" * 20 + "**" * 280 + "word" + "**" * 280 + "</strong>" * 20)


def test_words_between_the_marks_nest_as_deep() -> None:
    md = make_parser()
    text = " ".join(["*a"] * 30) + " x " + " ".join(["a*"] * 30)
    parsed = parse(md, text)
    assert parsed.depth == 30
    out = render(md, parsed, Renderers())
    assert out.count("<em>") == out.count("</em>") == MAX_DEPTH


def test_the_limit_itself_is_kept_whole() -> None:
    md = make_parser()
    parsed = parse(md, "*" * 40 + "word" + "*" * 40)
    assert parsed.depth == MAX_DEPTH
    assert nesting_problem(parsed, Location("x.yaml", 4, 16)) is None
    assert render(md, parsed, Renderers()) == "<strong>" * 20 + "word" + "</strong>" * 20


def test_a_notes_text_counts_from_its_call() -> None:
    md = make_parser(note_style=False)
    assert parse(md, "*a ^[**b** and *c*] d*").depth == 2
    assert parse(md, "*a* and **b**, _c_").depth == 1
    assert parse(md, "Plain text.").depth == 0


def test_the_problem_names_the_text() -> None:
    md = make_parser()
    problem = nesting_problem(parse(md, "*" * 600 + "w" + "*" * 600), Location("x.yaml", 4, 16))
    assert problem is not None
    assert str(problem) == f"x.yaml:4:16: error: {MESSAGE}\n    {HINT}"
    assert problem.code == "inline-too-deep"


DEEP = "id: one\ntitle: One\nblocks:\n  - paragraph: >-\n      " + "*" * 600 + "w" + \
       "*" * 600 + " [@doe-2001].\n"


def test_check_and_build_report_it_alike(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, {"content/sections/01-one.yaml": DEEP})
    code, problems = check_json(project, capsys)
    assert code == 1
    assert [(p["file"], p["line"], p["column"], p["code"], p["message"], p["hint"])
            for p in problems] == [("content/sections/01-one.yaml", 4, 16, "inline-too-deep",
                                    MESSAGE, HINT)]
    assert main(["check", str(project)]) == 1
    checked = capsys.readouterr()
    assert main(["build", str(project), "-o", str(tmp_path / "x.pdf")]) == 1
    built = capsys.readouterr()
    assert MESSAGE in checked.out + checked.err
    assert (checked.out + checked.err).strip() == (built.out + built.err).strip()
    assert not (tmp_path / "x.pdf").exists()
