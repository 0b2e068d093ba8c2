"""Stage 1, load: read the project's YAML files, keeping the line and column of every value.

PyYAML's composer gives us nodes with marks; we build plain Python data from them ourselves so
that we can (a) remember where each value came from, (b) refuse duplicate keys, which plain
loaders silently drop, and (c) refuse anchors and aliases, the door to "billion laughs".
Nesting is limited before any node is made (`_prescan`), and syntax errors are put in words,
naming where the cause opens and where reading failed (yaml_errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from report.files import NotText, decode_text
from report.problems import Location, Problem, ReportError
from report.project.yaml_errors import syntax_problem

MAX_BYTES = 5_000_000
MAX_DEPTH = 100  # lists and mappings inside one another; a report needs fewer than ten
MAX_ALIASES = 20  # refused, each listed, up to this many
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Path_ = tuple[str | int, ...]


@dataclass
class YamlFile:
    """One loaded file: its data and where each value (and each mapping key) starts."""

    path: Path
    name: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, at: Path_ = (), *, key: bool = False) -> Location:
        """The location of the value at `at`, or of its nearest ancestor that exists."""
        at = tuple(at)
        if key and at in self.keys:
            return Location(self.name, *self.keys[at])
        while at and at not in self.values:
            at = at[:-1]
        line, column = self.values.get(at, (1, 1))
        return Location(self.name, line, column)


class _Builder:
    def __init__(self, file: YamlFile):
        self.file = file
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, at: Path_) -> Any:
        self.file.values[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # aliases are refused before (_prescan); a node met twice is one all the same
            self.problems.append(Problem(self.file.where(at, key=True), *ALIAS,
                                         code="yaml-alias"))
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*at, i)) for i, child in enumerate(node.value)]
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ValueError:  # e.g. 2020-02-30 looks like a date but is none: keep the text
            value = node.value
        if isinstance(value, bytes):  # !!binary: not text a report can use
            self.problems.append(Problem(self.file.where(at), "Binary data is not allowed here.",
                                         "Write plain text.", code="yaml-binary"))
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, at: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            merge = key_node.tag == "tag:yaml.org,2002:merge"
            if not isinstance(key_node, yaml.ScalarNode) or merge:
                self.problems.append(Problem(
                    Location(self.file.name, *key_mark), "This key is not a plain name.",
                    "Keys are simple words such as `title:`; merge keys (<<) are not allowed.",
                    code="yaml-key"))
                continue
            key = str(key_node.value)
            if key in result:
                first = self.file.keys[(*at, key)]
                self.problems.append(Problem(
                    Location(self.file.name, *key_mark), f"The key `{key}` appears twice here.",
                    f"It was already given on line {first[0]}. Keep one of them: YAML would "
                    "silently use only the last.", code="yaml-duplicate-key", value=key))
                continue
            self.file.keys[(*at, key)] = key_mark
            result[key] = self.build(value_node, (*at, key))
        return result


ALIAS = ("YAML anchors and aliases (&name, *name) are not allowed.",
         "Write the text out in full where it is needed.")


def _prescan(text: str, name: str) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH, and aliases, found in the parser's events before any
    node is composed. PyYAML's composer (in C or in Python) recurses once per level: 1,000
    levels were a RecursionError and 30,000 crashed the interpreter; the parser does not
    recurse. Aliases are refused here, each at its `*name`, and only the first few are listed:
    a file of a million aliases would otherwise be a million problems."""
    problems: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        mark = event.start_mark
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return [Problem(
                    Location(name, mark.line + 1, mark.column + 1),
                    f"The lists and mappings here are nested more than {MAX_DEPTH} levels deep.",
                    "A report needs a few levels at most. If the brackets `[` `{` or the dashes "
                    "`- ` are part of the text, put the text in quotes or in a `>-` block; "
                    "otherwise remove the extra levels.", code="yaml-too-deep")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            if len(problems) == MAX_ALIASES:
                problems.append(Problem(Location(name, mark.line + 1, mark.column + 1),
                                        f"More than {MAX_ALIASES} aliases: only the first "
                                        f"{MAX_ALIASES} are listed. " + ALIAS[0], ALIAS[1],
                                        code="yaml-alias"))
                break
            problems.append(Problem(Location(name, mark.line + 1, mark.column + 1), *ALIAS,
                                    code="yaml-alias"))
    return problems


def read_yaml(path: Path, name: str) -> YamlFile:
    """Load one YAML file; raise ReportError naming the place of any problem."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ReportError([Problem(Location(name), f"The file is too large ({len(raw):,} bytes).",
                                   f"Content files are text of at most {MAX_BYTES:,} bytes.",
                                   code="file-too-large")])
    try:
        text = decode_text(raw)
    except NotText as error:
        raise ReportError([Problem(
            Location(name, error.line, error.column),
            "This file is not UTF-8 text.",
            "Save it as plain text in UTF-8 (it may be a binary file placed here by mistake).",
            code="not-text")]) from None
    file = YamlFile(path, name, None)
    try:
        problems = _prescan(text, name)
        if problems:
            raise ReportError(problems)
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        raise ReportError([syntax_problem(error, text, name, LOADER)]) from None
    except yaml.YAMLError as error:
        raise ReportError([Problem(Location(name), f"YAML cannot read this file: {error}.",
                                   "Check the file's syntax.", code="yaml-syntax")]) from None
    if node is None:
        file.data = None
        return file
    builder = _Builder(file)
    try:
        file.data = builder.build(node, ())
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise ReportError([Problem(where, f"YAML: {error.problem}.",
                                   "Remove the `!tag`; write plain text, numbers or lists.",
                                   code="yaml-tag")]) from None
    if builder.problems:
        raise ReportError(builder.problems)
    return file


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
    from report.files import NotInProject, not_in_project, project_file
    from report.project import sources

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
