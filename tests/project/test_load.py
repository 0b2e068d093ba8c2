"""Stage 1: YAML is read with locations; what plain loaders let through is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.problems import ReportError
from report.project.load import read_yaml
from report.project.read import load_project


def load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_yaml(path, "x.yaml")


def problems(tmp_path: Path, text: str | bytes) -> list[str]:
    with pytest.raises(ReportError) as caught:
        load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_values_keep_their_line_and_column(tmp_path: Path) -> None:
    f = load(tmp_path, "title: T\nblocks:\n  - paragraph: >-\n      Some text\n"
                       "  - quote:\n      text: q\n")
    assert f.data["blocks"][1]["quote"]["text"] == "q"
    assert str(f.where(("blocks", 1, "quote", "text"))) == "x.yaml:6:13"
    assert str(f.where(("blocks", 1, "quote", "text"), key=True)) == "x.yaml:6:7"
    # a path that does not exist falls back to its nearest existing parent
    assert str(f.where(("blocks", 1, "quote", "cite"))) == "x.yaml:6:7"


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: A\ndate: 2020-01-01\ntitle: B\n")
    assert message.startswith("x.yaml:3:1: error: The key `title` appears twice here.")
    assert "already given on line 1" in message


def test_aliases_are_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\nd: [*c,*c,*c]\n'
    found = problems(tmp_path, bomb)
    assert found and all("anchors and aliases" in m for m in found)


def test_tab_indentation_gets_a_hint(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: A\nkey-facts:\n\t- label: x\n")
    assert message == ("x.yaml:3:1: error: This line is indented with a tab character.\n"
                       "    YAML does not allow tab characters for indentation: use spaces.")


def test_unclosed_quote_gets_a_hint(tmp_path: Path) -> None:
    [message] = problems(tmp_path, 'title: "Baku\ndate: 2020-01-01\n')
    assert message.startswith("x.yaml:3:1: error: The quoted text that starts at line 1, "
                              "column 8 is not closed")


def test_colon_in_text_gets_a_hint(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: A\nsubtitle: Baku: January\n")
    assert message.startswith("x.yaml:2:")
    assert "put the whole text in quotes" in message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    [message] = problems(tmp_path, b"title: A\n\x00\x01\x02\xff")
    assert "not UTF-8 text" in message and message.startswith("x.yaml:2:")


def test_python_tags_are_refused(tmp_path: Path) -> None:
    [message] = problems(tmp_path, "title: !!python/object:os.system ls\n")
    assert message.startswith("x.yaml:1:8")


def test_missing_project_files_are_listed_together(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        load_project(tmp_path)
    names = sorted(str(p.location) for p in caught.value.problems)
    assert names == ["content/report.yaml", "content/sections", "sources.yaml"]
