"""Stage 2: schema errors come back as people-readable messages at the right place."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.cli import main
from report.problems import ReportError
from report.project.read import load_project
from report.project.validate import validate
from tests.conftest import check_json, make

REPORT = "title: T\ndate: 2020-01-02\n"
SECTION = "id: one\ntitle: One\nblocks:\n  - paragraph: Text [@a].\n"
SOURCES = "- id: a\n  type: book\n  title: A book\n  author: [{family: Doe, given: Jane}]\n"


def project(tmp_path: Path, report: str = REPORT, section: str = SECTION,
            sources: str = SOURCES) -> Path:
    (tmp_path / "content" / "sections").mkdir(parents=True)
    (tmp_path / "content" / "report.yaml").write_text(report)
    (tmp_path / "content" / "sections" / "01-one.yaml").write_text(section)
    (tmp_path / "sources.yaml").write_text(sources)
    return tmp_path


def messages(tmp_path: Path, **files: str) -> list[str]:
    with pytest.raises(ReportError) as caught:
        validate(load_project(project(tmp_path, **files)))
    return [str(p) for p in caught.value.problems]


def test_a_valid_project_validates(tmp_path: Path) -> None:
    valid = validate(load_project(project(tmp_path)))
    assert valid.settings.title == "T" and valid.settings.paper == "a4"
    assert valid.sections[0][1].blocks[0].paragraph == "Text [@a]."
    assert valid.sources[0].author[0].given == "Jane"


def test_misspelt_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    [m] = messages(tmp_path, report=REPORT + "subtitel: S\n")
    assert m.startswith("content/report.yaml:3:1: error: The field `subtitel` is unknown here.")
    assert "Did you mean `subtitle`?" in m


def test_missing_field(tmp_path: Path) -> None:
    [m] = messages(tmp_path, report="title: T\n")
    assert m.startswith("content/report.yaml:1:1: error: The field `date` is missing.")


def test_unknown_block_kind(tmp_path: Path) -> None:
    [m] = messages(tmp_path, section="id: one\ntitle: One\nblocks:\n  - paragarph: x\n")
    assert m.startswith("content/sections/01-one.yaml:4:5: error: This block has no kind")
    assert "`paragraph:`" in m


def test_error_inside_a_quote_points_at_the_key(tmp_path: Path) -> None:
    section = "id: one\ntitle: One\nblocks:\n  - quote:\n      text: q\n      cyte: x\n"
    [m] = messages(tmp_path, section=section)
    assert m.startswith("content/sections/01-one.yaml:6:7: error: The field `cyte` is unknown")
    assert "Did you mean `cite`?" in m


def test_empty_blocks_and_empty_text(tmp_path: Path) -> None:
    found = messages(tmp_path, section="id: one\ntitle: ''\nblocks: []\n")
    assert any(m.startswith("content/sections/01-one.yaml:2:8: error: This is empty.")
               for m in found)
    assert any(m.startswith("content/sections/01-one.yaml:3:9: error: This list is empty.")
               for m in found)


def test_bad_paper_and_date(tmp_path: Path) -> None:
    found = messages(tmp_path, report="title: T\ndate: 2020-02-30\npaper: a5\n")
    assert any(m.startswith("content/report.yaml:2:7: error: This is not a valid date.")
               for m in found)
    assert any("content/report.yaml:3:8: error: This value is not one of those allowed." in m
               and "`a4`, `letter`" in m for m in found)


def test_unknown_csl_variable_and_type(tmp_path: Path) -> None:
    found = messages(tmp_path, sources=SOURCES + "  publsher: X\n- id: b\n  type: newspaper\n")
    assert any(m.startswith("sources.yaml:5:3: error: The field `publsher` is unknown here.")
               and "`publisher`" in m for m in found)
    assert any(m.startswith("sources.yaml:7:9: error: This value is not one of those allowed.")
               and "Did you mean `article-newspaper`?" in m for m in found)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    found = messages(tmp_path, sources=SOURCES.replace("id: a", "id: one"),
                     section=SECTION.replace("[@a]", "[@one]"))
    assert any(m.startswith("sources.yaml:1:7: error: The id `one` is used twice.") for m in found)


def test_all_problems_at_once(tmp_path: Path) -> None:
    found = messages(tmp_path, report="title: T\n", section="id: One\ntitle: x\nblocks: []\n",
                     sources="- id: a\n  type: book\n  titel: x\n")
    files = {m.split(":")[0] for m in found}
    assert files == {"content/report.yaml", "content/sections/01-one.yaml", "sources.yaml"}


# --- the shape of CSL names and dates: the message shows the YAML expected ---------------------

NAMES = ("`{0}` is a list of names, e.g.\n  {0}: [{{family: Doe, given: Jane}}]\n"
         "  {0}: [{{literal: United Nations}}]")
DATE = "`{0}` is a date in CSL form, e.g. {0}: {{date-parts: [[1990, 1, 15]]}}"
DATE_HINT = ("A year alone is [[1990]]; a range has two dates, [[1990, 1], [1990, 3]]; a date "
             "that is text goes in `literal:`.")


def source_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    lines: str) -> list[tuple[int, int, str, str, str]]:
    project = make(tmp_path, {"sources.yaml": "- id: doe-2001\n  type: book\n  title: A\n"
                                              + lines})
    code, found = check_json(project, capsys)
    assert code == 1
    return [(p["line"], p["column"], p["message"], p["hint"], p["value"]) for p in found]


@pytest.mark.parametrize(("lines", "expected"), [
    ("  author: Jane Doe\n", (4, 11, NAMES.format("author"), "", "")),
    ("  editor: [Jane Doe]\n", (4, 12, NAMES.format("editor"), "", "")),
    ("  translator: {family: Doe}\n", (4, 15, NAMES.format("translator"), "", "")),
    ("  author: [{given: Jane}]\n", (4, 12, (
        "A name needs `family` (with `given`) or `literal` (for an organisation), e.g.\n"
        "  author: [{family: Doe, given: Jane}]\n  author: [{literal: United Nations}]"),
        "", "")),
    ("  issued: 1990\n", (4, 11, DATE.format("issued"), DATE_HINT, "1990")),
    ("  issued: 1990-01-15\n", (4, 11, DATE.format("issued"), DATE_HINT, "1990-01-15")),
    ("  issued: {date-parts: [1990, 1, 15]}\n", (4, 24, DATE.format("issued"), DATE_HINT, "")),
    ("  accessed: {date-parts: [[2020, 1, 2, 3]]}\n", (4, 27, DATE.format("accessed"),
                                                        DATE_HINT, "")),
    ("  accessed: {year: 2020}\n", (4, 14, "The field `year` is unknown here.",
                                    "Remove it or correct it. " + DATE.format("accessed") + ".",
                                    "2020")),
])
def test_a_wrong_name_or_date_shows_the_yaml_expected(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: str,
        expected: tuple[int, int, str, str, str]) -> None:
    assert source_problems(tmp_path, capsys, lines) == [expected]


def test_a_name_list_message_prints_its_yaml_on_lines_of_its_own(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, {"sources.yaml": "- id: doe-2001\n  type: book\n  title: A\n"
                                              "  author: Jane Doe\n"})
    assert main(["check", str(project)]) == 1
    assert capsys.readouterr().out == (
        "sources.yaml:4:11  error    `author` is a list of names, e.g.\n"
        "  author: [{family: Doe, given: Jane}]\n"
        "  author: [{literal: United Nations}]\n"
        "1 error(s), 0 warning(s)\n")


def test_a_csl_text_field_is_text_or_a_whole_number_said_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert source_problems(tmp_path, capsys, "  volume: 1.5\n") == [
        (4, 11, "This should be text or a whole number.", "Put a number with a point in quotes.",
         "1.5")]


def test_the_python_name_of_a_key_is_refused(tmp_path: Path) -> None:
    [m] = messages(tmp_path, report=REPORT + "citation_style: apa\n")
    assert m == ("content/report.yaml:3:1: error: The field `citation_style` is unknown here. "
                 "(found: apa)\n    Remove it or correct it. Did you mean `citation-style`?")


def test_a_quoted_number_and_a_date_time(tmp_path: Path) -> None:
    found = messages(tmp_path, report="title: T\ndate: 2020-01-02 10:00:00\n", section=(
        "id: one\ntitle: One\nblocks:\n  - table: {caption: C, header-rows: '1', rows: [[a]]}\n"))
    assert found == [
        "content/report.yaml:2:7: error: This is not a valid date. (found: 2020-01-02 10:00:00)"
        "\n    Write a date as YYYY-MM-DD, for example 1990-01-13.",
        "content/sections/01-one.yaml:4:38: error: This should be a whole number. (found: 1)"
        "\n    Write it without quotes."]


def test_an_error_in_a_paragraphs_event_points_at_the_event(tmp_path: Path) -> None:
    [m] = messages(tmp_path, section=SECTION + "    events: [{date: true, text: x}]\n")
    assert m.startswith("content/sections/01-one.yaml:5:21: error: This should be text.")
