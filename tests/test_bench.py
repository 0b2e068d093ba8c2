"""`make bench`'s parts, fast: the synthetic reports are valid projects with the real report's
mix per copy, the edit changes one word, and the runner writes every figure on a tiny project.
The benchmark itself is never run here (it takes minutes and its figures are not tests)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bench import synthetic
from bench.__main__ import main as bench_main
from report.cli import main as report_main
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)

TINY_SECTION = """\
id: tiny
title: Tiny
blocks:
  - paragraph: >-
      On the first day the city was quiet, as the paper reported [@paper, p. 2].
    events:
      - date: 1990-01-12
        text: The city is quiet.
        cite: "[@paper]"
  - quote:
      text: The streets were empty in the morning.
      cite: "[@paper, p. 3]"
"""
TINY_SOURCES = """\
- id: paper
  type: article-newspaper
  title: A quiet day
  container-title: The Paper
  issued: {date-parts: [[1990, 1, 13]]}
"""


def tiny_project(dest: Path) -> Path:
    (dest / "content" / "sections").mkdir(parents=True)
    (dest / "content" / "report.yaml").write_text(
        "title: Tiny\nlanguage: en\ndate: 2026-11-23\n", encoding="utf-8")
    (dest / "content" / "sections" / "00-tiny.yaml").write_text(TINY_SECTION, encoding="utf-8")
    (dest / "sources.yaml").write_text(TINY_SOURCES, encoding="utf-8")
    if (ROOT / "fonts").is_dir():
        shutil.copytree(ROOT / "fonts", dest / "fonts")
    return dest


def _sections(project: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in
            sorted((project / "content" / "sections").glob("*.yaml"))]


def _count(sections: list[dict], kind: str) -> int:
    return sum(kind in block for s in sections for block in s["blocks"])


def test_synthetic_report_is_valid_with_the_real_mix_per_copy(tmp_path: Path) -> None:
    made = synthetic.generate(ROOT, tmp_path / "p", copies=2)
    assert report_main(["check", str(made.root)]) == 0
    real, copies = _sections(ROOT), _sections(made.root)
    assert len(copies) == 2 * len(real) == made.sections
    ids = [s["id"] for s in copies]
    assert len(set(ids)) == len(ids)
    for kind in ("paragraph", "quote", "testimony", "list"):
        assert _count(copies, kind) == 2 * _count(real, kind)
    events = sum(len(b.get("events", [])) for s in copies for b in s["blocks"])
    assert events == 2 * sum(len(b.get("events", [])) for s in real for b in s["blocks"])
    text = "".join(p.read_text() for p in (made.root / "content" / "sections").glob("*.yaml"))
    real_text = "".join(p.read_text() for p in (ROOT / "content" / "sections").glob("*.yaml"))
    assert text.count("[@") == 2 * real_text.count("[@")
    sources = yaml.safe_load((made.root / "sources.yaml").read_text())
    assert len({s["id"] for s in sources}) == len(sources) == made.sources


def test_page_targets_ask_for_more_copies() -> None:
    assert synthetic.copies_for(1) == 1
    assert synthetic.copies_for(50) < synthetic.copies_for(200) < synthetic.copies_for(500)


def test_edit_changes_one_word_of_one_paragraph_each_run(tmp_path: Path) -> None:
    project = tmp_path / "real"
    synthetic.copy_project(ROOT, project)
    files = sorted((project / "content" / "sections").glob("*.yaml"))
    before = {p: p.read_text() for p in files}
    for number in range(3):
        path = synthetic.edit_paragraph(project, number)
        after = path.read_text()
        old, new = before[path].split(), after.split()
        assert len(old) == len(new)
        assert sum(a != b for a, b in zip(old, new, strict=True)) == 1
        assert yaml.safe_load(after)  # still YAML
        before[path] = after
    assert report_main(["check", str(project)]) == 0


def test_runner_writes_every_figure_on_a_tiny_project(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tiny_project(tmp_path / "tiny")
    out = tmp_path / "bench.json"
    code = bench_main(["--project", str(project), "--sizes", "2", "--runs", "2",
                       "--budget", "0", "--no-make", "--out", str(tmp_path / "runs"),
                       "--json", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    assert set(data) == {"machine", "settings", "elapsed_s", "sizes", "make_pdf_nothing_changed",
                         "time_per_page_growth", "targets"}
    assert {"date", "nproc", "cpu", "python", "weasyprint", "load_average"} <= set(
        data["machine"])
    assert [row["name"] for row in data["sizes"]] == ["p2"]
    for row in data["sizes"]:
        assert row["pages"] >= 1 and row["footnotes"] >= 2
        assert row["lost_footnotes"] == 0 and row["check"]["errors"] == 0
        for scenario in ("cold", "full", "warm", "baseline", "edit"):
            figure = row[scenario]
            assert figure["runs"] == 1 and figure["wall_s"] > 0 and figure["peak_mb"] > 10
        watch = row["watch"]  # ten edits under a running `report watch`, each rebuilt
        assert watch["runs"] == 10 and 0 < watch["wall_s"] < 60 and watch["failed_runs"] == 0
        assert {"load and validate", "citations", "HTML", "layout", "PDF writing",
                "start-up and rest"} <= set(row["full"]["stages_s"])
        assert row["ratio_full_to_baseline"] > 0
        assert row["parts"] >= 3  # a dossier: front matter, its chapters, the appendices
        assert row["skipped"]  # --budget 0: the second runs are left out, and said so
    assert {t["target"] for t in data["targets"]} and all(
        set(t) == {"target", "measured", "limit", "unit", "met"} for t in data["targets"])
    lost = next(t for t in data["targets"] if t["target"].startswith("footnote bodies lost"))
    assert lost["met"] is True
    printed = capsys.readouterr().out
    assert re.search(r"^p2\s+\d+\s+\d+", printed, re.M) and "Targets" in printed
