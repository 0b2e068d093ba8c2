"""Build options: what the command line asks for, resolved once with content/report.yaml into
one frozen `BuildContext` that every later stage is given (no string-keyed dictionaries).

The build date is decided here and nowhere else: SOURCE_DATE_EPOCH when set (reproducible
builds), otherwise midnight (UTC) of the report's own date; never the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from report.project.schema import Settings

Paper = Literal["a4", "letter", "a5"]
Layout = Literal["parts", "whole"]


@dataclass(frozen=True)
class BuildOptions:
    """The command line's choices; None leaves the report's own setting in force."""

    edition: str = "standard"
    paper: Paper | None = None  # a5: the print edition only (a pocket booklet)
    bleed: str | None = None  # print edition: e.g. 3mm
    watermark: str | None = None  # print edition
    creep: str | None = None  # booklet
    layout: Layout | None = None  # None: in parts where the edition allows it


@dataclass(frozen=True)
class BuildContext:
    """One build, resolved: the project, where the output goes, the settings, the options and
    the build date."""

    root: Path
    output: Path
    settings: Settings
    options: BuildOptions
    time: dt.datetime  # the build's date and time (see build_time)
    # project files the content's blocks read besides the YAML (a table's CSV), relative
    # POSIX paths: the archive embeds them with the other sources
    data_files: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date:
        return self.time.date()

    @property
    def paper(self) -> Paper:
        return self.options.paper or self.settings.paper

    @property
    def style(self) -> str:
        return self.settings.citation_style

    @property
    def html(self) -> bool:
        """The output is the HTML, not a PDF (`-o report.html`)."""
        return self.output.suffix.lower() in (".html", ".htm")


def build_time(settings: Settings) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else midnight (UTC) of the report's date: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    date = settings.date
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def resolve(root: Path, output: Path, settings: Settings, options: BuildOptions | None = None,
            data_files: tuple[str, ...] = ()) -> BuildContext:
    return BuildContext(root, output, settings, options or BuildOptions(), build_time(settings),
                        data_files)
