"""Stage 1, load: read the project's YAML files, keeping the line and column of every value.

PyYAML's composer gives us nodes with marks; we build plain Python data from them ourselves so
that we can (a) remember where each value came from, (b) refuse duplicate keys, which plain
loaders silently drop, and (c) refuse anchors and aliases, the door to "billion laughs".
Nesting is limited before any node is made (`_prescan`), and syntax errors are put in words,
naming where the cause opens and where reading failed (yaml_errors.py).
"""

from __future__ import annotations

import pickle
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

# `report watch` keeps each file it read, parsed, for the next build (`keep_parsed`): a save
# changes one file, and parsing the others again took 0.54 s of a 500-page report's rebuild.
# Kept pickled, in this process only (never on disk), keyed on the file's bytes: each build
# gets objects of its own, which it may change, and a changed file is parsed again.
_parsed: dict[tuple[str, str, bytes], bytes] | None = None
KEEP_AT_MOST = 10_000  # files; past it, the kept ones are dropped and kept anew


def keep_parsed() -> None:
    """From now on, in this process, keep each file parsed for the next read of the same bytes."""
    global _parsed
    if _parsed is None:
        _parsed = {}
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
    key = (str(path), name, raw)
    if _parsed is not None and key in _parsed:
        loaded: YamlFile = pickle.loads(_parsed[key])
        return loaded
    file = _read_yaml(path, name, raw)
    if _parsed is not None:
        if len(_parsed) >= KEEP_AT_MOST:
            _parsed.clear()
        _parsed[key] = pickle.dumps(file, protocol=pickle.HIGHEST_PROTOCOL)
    return file


def _read_yaml(path: Path, name: str, raw: bytes) -> YamlFile:
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
