"""The project's files read: content/report.yaml, the sections in name order, and the
bibliography (report/project/sources.py), each with the place of every value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.files import NotInProject, not_in_project, project_file
from report.problems import Location, Problem, ReportError
from report.project import sources
from report.project.load import Path_, YamlFile, read_yaml


@dataclass
class Bibliography:
    """The bibliography's files (report/project/sources.py) as one list of entries; each
    entry is placed in its own file."""

    files: list[YamlFile]

    @property
    def data(self) -> list[Any]:
        return [entry for file in self.files for entry in file.data or []]

    @property
    def names(self) -> list[str]:
        return [file.name for file in self.files]

    def where(self, at: Path_ = (), *, key: bool = False) -> Location:
        """The place of the value at `at` (its first step: the index in `data`)."""
        if not at or not isinstance(at[0], int):
            return self.files[0].where(at, key=key) if self.files else Location("sources.yaml")
        index = at[0]
        for file in self.files:
            count = len(file.data or [])
            if index < count:
                return file.where((index, *at[1:]), key=key)
            index -= count
        return self.files[-1].where((), key=key)


@dataclass
class Project:
    """The raw files of a report project, loaded but not yet validated."""

    root: Path
    report: YamlFile
    sections: list[YamlFile]
    sources: Bibliography


def load_project(root: Path) -> Project:
    """Read content/report.yaml, content/sections/*.yaml (in name order) and the bibliography
    (`sources:` in report.yaml, or sources.yaml, .json or .bib)."""
    root = root.resolve()
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    section_paths = sorted((root / "content" / "sections").glob("*.yaml"))
    for path in [root / "content" / "report.yaml", *section_paths]:
        name = str(path.relative_to(root))
        if not path.is_file():
            problems.append(Problem(Location(name), "This file is missing.",
                                    f"Create {name}; see the README for its shape.",
                                    code="missing-file"))
            continue
        try:
            files[name] = read_yaml(path, name)
        except ReportError as error:
            problems.extend(error.problems)
    if not section_paths:
        problems.append(Problem(Location("content/sections"), "The report has no sections.",
                                "Add at least one file content/sections/01-name.yaml.",
                                code="no-sections"))
    report = files.get("content/report.yaml")
    bibliography = _bibliography(root, report, problems)
    if problems:
        raise ReportError(problems)
    assert report is not None
    return Project(root, report, [files[str(p.relative_to(root))] for p in section_paths],
                   bibliography)


def _bibliography(root: Path, report: YamlFile | None, problems: list[Problem]) -> Bibliography:
    """The files `sources:` names in report.yaml, or those of DEFAULTS that exist."""
    listed = report.data.get("sources") if report and isinstance(report.data, dict) else None
    if listed is None:
        names = sources.file_names(root, None)
        where = {n: Location(n) for n in names}
    elif isinstance(listed, str | list) and all(isinstance(n, str) and n for n in (
            [listed] if isinstance(listed, str) else listed)) and listed:
        names = sources.file_names(root, listed)
        assert report is not None
        where = {n: report.where(("sources",) if isinstance(listed, str) else ("sources", i))
                 for i, n in enumerate(names)}
    else:
        return Bibliography([])  # the setting's shape is reported by validation
    read: list[YamlFile] = []
    for name in names:
        try:
            path = project_file(root, name)
        except NotInProject as refused:
            if refused.reason == "missing" and listed is None:
                problems.append(Problem(Location(name), "This file is missing.",
                                        "Create sources.yaml (CSL-YAML), or give the "
                                        "bibliography as sources.json (CSL-JSON) or sources.bib "
                                        "(BibTeX), or list its files in `sources:` in "
                                        "content/report.yaml.", code="missing-file"))
            else:
                message, hint = not_in_project(refused.reason, name, "bibliography file",
                                               "sources: [library.bib]")
                problems.append(Problem(where[name], message, hint, code="sources-path",
                                        value=name))
            continue
        try:
            file = sources.read(path, name)
        except ReportError as error:
            problems.extend(error.problems)
            continue
        if not isinstance(file.data, list):
            problems.append(Problem(file.where(()), "A bibliography is a list of entries.",
                                    "Start each entry with `- id: ...` (CSL-YAML), or give "
                                    "Pandoc's shape, `references:` holding the list.",
                                    code="sources-shape"))
            continue
        read.append(file)
    return Bibliography(read)
