"""Stage 2: schema errors come back as people-readable messages at the right place."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.problems import ReportError
from report.project.load import load_project
from report.project.validate import validate

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
