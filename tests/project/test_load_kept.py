"""report/project/load.py: files kept parsed between builds by `report watch` (`keep_parsed`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from report.problems import ReportError
from report.project import load


@pytest.fixture(autouse=True)
def _kept() -> Iterator[None]:
    load.keep_parsed()
    yield
    load._parsed = None


def test_a_file_read_again_is_the_same_data_and_a_copy_of_its_own(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("title: A\nblocks:\n  - text: one\n")
    first = load.read_yaml(path, "a.yaml")
    first.data["blocks"].append("changed by a build")  # a build may change what it read
    monkeypatch.setattr(load, "_read_yaml", lambda *args: pytest.fail("parsed again"))
    second = load.read_yaml(path, "a.yaml")
    assert second.data == {"title": "A", "blocks": [{"text": "one"}]}
    assert second.where(("blocks", 0, "text")).line == 3  # the places kept too


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("title: A\n")
    assert load.read_yaml(path, "a.yaml").data == {"title": "A"}
    path.write_text("title: B\n")
    assert load.read_yaml(path, "a.yaml").data == {"title": "B"}


def test_a_mistake_is_said_each_time(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("title: [A\n")
    for _ in range(2):
        with pytest.raises(ReportError):
            load.read_yaml(path, "a.yaml")
    assert load._parsed == {}
