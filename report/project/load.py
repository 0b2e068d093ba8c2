"""Stage 1, load: read the project's YAML files, keeping the line and column of every value.

PyYAML's composer gives us nodes with marks; we build plain Python data from them ourselves so
that we can (a) remember where each value came from, (b) refuse duplicate keys, which plain
loaders silently drop, and (c) refuse anchors and aliases, the door to "billion laughs".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from report.files import NotText, decode_text
from report.problems import Location, Problem, ReportError

MAX_BYTES = 5_000_000
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
            self.problems.append(Problem(
                self.file.where(at, key=True),
                "YAML anchors and aliases (&name, *name) are not allowed.",
                "Write the text out in full where it is needed.", code="yaml-alias"))
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


def _hint(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = (error.problem or "") + " " + (error.context or "")
    mark = error.problem_mark
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "\t" in line or "'\\t'" in problem:
        return "YAML does not allow tab characters for indentation: use spaces."
    if "quoted scalar" in problem:
        return "A quotation mark is opened but never closed: close it, or use a `>-` block."
    if "mapping values are not allowed" in problem:
        return ("A colon followed by a space starts a new key. If the colon is part of the text, "
                "put the whole text in quotes or in a `>-` block; otherwise check the indentation.")
    if "expected <block end>" in problem or "indentation" in problem:
        return "Check the indentation: items of one list or mapping must line up exactly."
    if "could not find expected ':'" in problem:
        return "A line looks like a key without its colon, or the text above is not indented."
    return "Check the YAML syntax around this place."


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
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise ReportError([Problem(where, f"YAML syntax: {error.problem or error.context}.",
                                   _hint(error, text), code="yaml-syntax")]) from None
    except yaml.YAMLError as error:
        raise ReportError([Problem(Location(name), f"YAML syntax: {error}.",
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
class Project:
    """The raw files of a report project, loaded but not yet validated."""

    root: Path
    report: YamlFile
    sections: list[YamlFile]
    sources: YamlFile


def load_project(root: Path) -> Project:
    """Read content/report.yaml, content/sections/*.yaml (in name order) and sources.yaml."""
    root = root.resolve()
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    wanted = [root / "content" / "report.yaml", root / "sources.yaml"]
    section_paths = sorted((root / "content" / "sections").glob("*.yaml"))
    for path in [*wanted, *section_paths]:
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
    if problems:
        raise ReportError(problems)
    return Project(root, files["content/report.yaml"],
                   [files[str(p.relative_to(root))] for p in section_paths],
                   files["sources.yaml"])
