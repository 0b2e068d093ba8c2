"""Build options resolved once: the paper, the output's kind, and the build date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from report.project.options import BuildOptions, build_time, resolve
from report.project.schema import Settings

SETTINGS = Settings.model_validate({"title": "T", "date": "1990-01-20", "paper": "letter"})


def test_the_build_date_is_the_reports_own_unless_source_date_epoch_says(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_time(SETTINGS) == dt.datetime(1990, 1, 20, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert build_time(SETTINGS) == dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # ignored, never the clock
    assert build_time(SETTINGS) == dt.datetime(1990, 1, 20, tzinfo=dt.UTC)


def test_the_command_line_over_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    ctx = resolve(Path("p"), Path("p/build/report.pdf"), SETTINGS)
    assert (ctx.paper, ctx.html, ctx.date, ctx.style) == (
        "letter", False, dt.date(1990, 1, 20), "chicago-notes-bibliography")
    ctx = resolve(Path("p"), Path("x.HTML"), SETTINGS, BuildOptions(paper="a4"))
    assert (ctx.paper, ctx.html, ctx.options.edition) == ("a4", True, "standard")
    with pytest.raises(AttributeError):  # frozen: resolved once, passed down unchanged
        ctx.options.paper = "letter"  # type: ignore[misc]
