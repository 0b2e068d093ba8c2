"""The bibliography as people have it: CSL-YAML (a bare list, or Pandoc's `references:`
mapping), CSL-JSON (as Zotero and Better BibTeX export it) or BibTeX/BibLaTeX, one file or
several, each read into the same shape (a list of CSL items, with the place of each value).

BibTeX is converted by Pandoc's own reader (`pandoc --sandbox -f biblatex -t csljson`), the
converter whose result the citations must equal: accents in braces, `{{Corporate}}` names,
`@online` with `urldate`, `crossref`, date ranges and `langid` come out as Pandoc gives them.
`--sandbox` keeps Pandoc from reading any other file. A `.bib` is read as BibLaTeX and a
`.bibtex` as BibTeX, as Pandoc does.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from report.files import NotText, decode_text
from report.problems import Location, Problem, ReportError
from report.project.load import MAX_BYTES, YamlFile, read_yaml

DEFAULTS = ("sources.yaml", "sources.yml", "sources.json", "sources.bib")
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".bib": "biblatex",
           ".bibtex": "bibtex"}
ENTRY = re.compile(r"@([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,")
START = re.compile(r"@[A-Za-z]+\s*[{(]\s*([^,\s{}()]*)")  # an entry's start, its key if any
PANDOC_PLACE = re.compile(r"\(line (\d+), column (\d+)\):\s*(.*)", re.S)


def file_names(root: Path, listed: str | list[str] | None) -> list[str]:
    """The bibliography's files: those `sources:` lists, else those of DEFAULTS that exist
    (sources.yaml, which is then missing, when none does)."""
    if listed:
        return [listed] if isinstance(listed, str) else list(listed)
    return [name for name in DEFAULTS if (root / name).is_file()] or [DEFAULTS[0]]


def read(path: Path, name: str) -> YamlFile:
    """One bibliography file as a list of CSL items; ReportError naming the place of any
    problem. The file's kind is its suffix (FORMATS)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ReportError([Problem(Location(name), f"`{name}` is not a bibliography file report "
                                   "can read.", "Use CSL-YAML (.yaml), CSL-JSON (.json) or "
                                   "BibTeX/BibLaTeX (.bib).", code="sources-format")])
    if kind == "yaml":
        return _pandoc_yaml(read_yaml(path, name))
    text = _text(path, name)
    return _json(path, name, text) if kind == "json" else _bib(path, name, text, kind)


def _text(path: Path, name: str) -> str:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ReportError([Problem(Location(name), f"The file is too large ({len(raw):,} bytes).",
                                   f"A bibliography file is text of at most {MAX_BYTES:,} "
                                   "bytes.", code="file-too-large")])
    try:
        return decode_text(raw)
    except NotText as error:
        raise ReportError([Problem(Location(name, error.line, error.column),
                                   "This file is not UTF-8 text.", "Export it as UTF-8 "
                                   "(Zotero and Better BibTeX do by default).",
                                   code="not-text")]) from None


def _pandoc_yaml(file: YamlFile) -> YamlFile:
    """Pandoc's CSL-YAML shape, `references:` holding the list, as a bare list."""
    if isinstance(file.data, dict) and "references" in file.data:
        extra = sorted(set(file.data) - {"references"})
        if extra:
            raise ReportError([Problem(file.where((extra[0],), key=True),
                                       f"`{extra[0]}` is not part of a bibliography.",
                                       "A bibliography in Pandoc's shape holds only "
                                       "`references:`, the list of entries.",
                                       code="sources-shape", value=extra[0])])
        moved = YamlFile(file.path, file.name, file.data["references"])
        for table, into in ((file.values, moved.values), (file.keys, moved.keys)):
            into.update({at[1:]: place for at, place in table.items()
                         if at[:1] == ("references",)})
        return moved
    return file


def _json(path: Path, name: str, text: str) -> YamlFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError([Problem(Location(name, error.lineno, error.colno),
                                   f"JSON syntax: {error.msg}.", "Export the file again from "
                                   "the reference manager, or correct it here.",
                                   code="json-syntax")]) from None
    try:  # JSON is YAML: read again for the place of every value
        placed = read_yaml(path, name)
    except ReportError:  # (tabs, say, which YAML refuses): the entries without places
        placed = YamlFile(path, name, data)
    if isinstance(data, dict) and "items" in data:  # CSL-JSON wrapped, as some tools write it
        placed = _pandoc_yaml(YamlFile(path, name, {"references": data["items"]},
                                       {("references", *k[1:]) if k[:1] == ("items",) else k: v
                                        for k, v in placed.values.items()}))
    placed.data = placed.data if placed.data is not None else data
    return placed


def _bib(path: Path, name: str, text: str, kind: str) -> YamlFile:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise ReportError([Problem(Location(name), "Reading a BibTeX file needs Pandoc, which "
                                   "is not installed.", "Run `make setup` (it installs Pandoc "
                                   "from Debian), or export the bibliography as CSL-JSON.",
                                   code="no-pandoc")])
    entries = _entries(text)
    problems = _duplicates(entries, name)
    done = subprocess.run([pandoc, "--sandbox", "-f", kind, "-t", "csljson"], input=text,
                          capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        problems.append(_pandoc_problem(done.stderr, name, text))
    if problems:
        raise ReportError(problems)
    items: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    file = YamlFile(path, name, items)
    for i, item in enumerate(items):  # every value of an entry is placed at the entry
        place = entries.get(str(item.get("id")), [(1, 1)])[0]
        file.values[(i,)] = place
        for key in item:
            file.values[(i, key)] = file.keys[(i, key)] = place
    return file


def _entries(text: str) -> dict[str, list[tuple[int, int]]]:
    """Each entry's key and the places (line, column) where an entry with that key starts."""
    found: dict[str, list[tuple[int, int]]] = {}
    for match in ENTRY.finditer(text):
        if match.group(1).lower() in ("string", "preamble", "comment"):
            continue
        found.setdefault(match.group(2), []).append(_place(text, match.start()))
    return found


def _place(text: str, offset: int) -> tuple[int, int]:
    """(line, column), from 1, of an offset in the text."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _duplicates(entries: dict[str, list[tuple[int, int]]], name: str) -> list[Problem]:
    return [Problem(Location(name, *places[1]), f"The key `{key}` is used by two entries.",
                    f"The first is at line {places[0][0]}; give each entry its own key "
                    "(Pandoc would silently use one of them).", code="sources-duplicate-key",
                    value=key)
            for key, places in entries.items() if len(places) > 1]


def _pandoc_problem(stderr: str, name: str, text: str) -> Problem:
    """Pandoc's message on a .bib it cannot read, with its place, and the entry it is in."""
    found = PANDOC_PLACE.search(stderr)
    if not found:
        return Problem(Location(name), "Pandoc cannot read this BibTeX file: "
                       + " ".join(stderr.split())[:300], "Check the file's syntax.",
                       code="bib-syntax")
    line, column = int(found.group(1)), int(found.group(2))
    starts = [(_place(text, m.start()), m.group(1)) for m in START.finditer(text)]
    what = found.group(3).strip().splitlines()[0] if found.group(3).strip() else "error"
    before = [(place, key) for place, key in starts if place < (line, column)]
    hint = "Check the braces and commas of the entry: each field is `name = {value},`."
    if before:
        (start, _), key = max(before)
        if start != line and key:
            hint = (f"The entry `{key}` that starts at line {start} is not closed where it "
                    "should be: count its braces `{ }`, and check the commas between fields.")
    return Problem(Location(name, line, column), f"BibTeX syntax: {what}.", hint,
                   code="bib-syntax")
