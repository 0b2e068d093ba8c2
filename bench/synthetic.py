"""Synthetic reports for `make bench`: the real report repeated until it is N pages long.

A benchmark on invented text would measure invented text. These projects are the real report's
own sections, copied as many times as needed, so footnotes, quotations, testimonies, lists,
events and citations per page stay what they are in the real report. Each copy gets its own
section, block and event ids and its own copies of the sources it cites (the bibliography and
the citation processor's work grow with the report, as they would in a longer real report;
the first copy keeps the original ids, so the key facts still cite what they cite). Copies
after the first start at a different section, so pages do not break identically every time.

The projects are generated into build/ and never committed: `generate(...)` writes one.
"""

from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Calibrated on the real report set as a dossier (sections: new-page; one copy, 18 pages):
# every further copy adds about this many pages (body, chronology entries, notes and
# publications-list entries, contents lines). `make bench` prints the pages it got.
FIRST_COPY_PAGES = 18
PAGES_PER_COPY = 13.85

CITE_KEY = re.compile(r"(?<![\w.@])@([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?![\w:-])")
XREF = re.compile(r"@(sec|ref):([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


@dataclass(frozen=True)
class Synthetic:
    root: Path
    copies: int
    sections: int
    sources: int


class _Dumper(yaml.SafeDumper):
    """Never anchors: the loader refuses aliases (report/project/load.py)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def copies_for(pages: int) -> int:
    """How many copies of the real report make about `pages` pages."""
    return max(1, round((pages - FIRST_COPY_PAGES) / PAGES_PER_COPY) + 1)


def generate(source: Path, dest: Path, copies: int) -> Synthetic:
    """Write a project of `copies` copies of the project at `source` into `dest` (replaced)."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content" / "sections").mkdir(parents=True)
    for folder in ("styles", "fonts"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, dest / folder)
    settings = _read(source / "content" / "report.yaml")
    settings["title"] = f"{settings['title']} (synthetic, {copies} copies)"
    # A dossier of this length is set as a book is: each chapter starts a page. It is also
    # what lets the build lay it out in parts (report/layout/parts.py).
    settings["sections"] = "new-page"
    _write(dest / "content" / "report.yaml", settings)
    files = sorted((source / "content" / "sections").glob("*.yaml"))
    sections = [_read(f) for f in files]
    sources: list[dict[str, Any]] = _read(source / "sources.yaml")
    keys = _referenced_keys(sections) & {s["id"] for s in sources}
    targets = _targets(sections)
    clones: list[dict[str, Any]] = []
    for n in range(1, copies + 1):
        shift = (n - 1) % len(files)
        order = list(range(shift, len(files))) + list(range(shift))
        for position, i in enumerate(order):
            section = _variant(sections[i], n, keys, targets)
            name = f"{n:03d}-{position:02d}-{files[i].stem.split('-', 1)[-1]}.yaml"
            _write(dest / "content" / "sections" / name, section)
        if n > 1:
            clones += [_source_variant(s, n) for s in sources if s["id"] in keys]
    _write(dest / "sources.yaml", sources + clones)
    return Synthetic(dest, copies, copies * len(files), len(sources) + len(clones))


def generate_pages(source: Path, dest: Path, pages: int) -> Synthetic:
    return generate(source, dest, copies_for(pages))


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=100), encoding="utf-8")


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def _referenced_keys(sections: list[Any]) -> set[str]:
    """Citation keys in the sections' text, and the list items' `source` keys."""
    keys = {m.group(1) for s in sections for text in _strings(s) for m in CITE_KEY.finditer(text)}
    for section in sections:
        for block in section.get("blocks", []):
            for item in (block.get("list") or {}).get("items", []):
                if item.get("source"):
                    keys.add(item["source"])
    return keys


def _targets(sections: list[Any]) -> set[str]:
    """Cross-reference targets: `sec:ID` for sections, `ref:ID` for blocks and events."""
    out = {f"sec:{s['id']}" for s in sections}
    for section in sections:
        for block in section.get("blocks", []):
            out |= {f"ref:{b['id']}" for b in [block, *block.get("events", [])] if "id" in b}
    return out


def _variant(section: Any, n: int, keys: set[str], targets: set[str]) -> Any:
    """Copy `n` of a section: ids, citation keys and cross-references suffixed `-xN`."""
    section = copy.deepcopy(section)
    if n == 1:
        return section
    suffix = f"-x{n}"
    section["id"] += suffix
    section["title"] = f"{section['title']} ({n})"

    def text(value: str) -> str:
        value = CITE_KEY.sub(lambda m: f"@{m.group(1)}{suffix}" if m.group(1) in keys
                             else m.group(0), value)
        return XREF.sub(lambda m: f"{m.group(0)}{suffix}" if f"{m.group(1)}:{m.group(2)}"
                        in targets else m.group(0), value)

    def walk(data: Any, key: str = "") -> Any:
        if isinstance(data, dict):
            return {k: walk(v, k) for k, v in data.items()}
        if isinstance(data, list):
            return [walk(v, key) for v in data]
        if isinstance(data, str):
            if key == "id" or (key == "source" and data in keys):
                return data + suffix
            return text(data)
        return data

    section["blocks"] = walk(section["blocks"])
    return section


def _source_variant(source: dict[str, Any], n: int) -> dict[str, Any]:
    clone = copy.deepcopy(source)
    clone["id"] = f"{source['id']}-x{n}"
    if isinstance(clone.get("title"), str):
        clone["title"] = f"{clone['title']} ({n})"
    return clone


def copy_project(source: Path, dest: Path) -> None:
    """The real report as it is (content, sources, styles, fonts), into `dest` (replaced)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for folder in ("content", "styles", "fonts"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, dest / folder)
    shutil.copyfile(source / "sources.yaml", dest / "sources.yaml")


WORDS = (re.compile(r"(?<=\s)the(?=\s)"), re.compile(r"(?<=\s)this(?=\s)"))


def edit_paragraph(project: Path, number: int) -> Path:
    """Change one word of one paragraph, as an author would: `the` to `this` in the first
    paragraph of the middle section file that has either word; odd runs change a `this` back,
    so every run edits the same paragraph and the text stays English. Returns the file."""
    files = sorted((project / "content" / "sections").glob("*.yaml"))
    middle = len(files) // 2
    for path in files[middle:] + files[:middle]:
        text = path.read_text(encoding="utf-8")
        for start in re.finditer(r"^( *)- paragraph:", text, re.M):
            end = re.compile(rf"\n{start.group(1)}(?:- |  [a-z-]+:)").search(text, start.end())
            stop = end.start() if end else len(text)
            for turn in (number % 2, 1 - number % 2):  # the same paragraph every run
                found = WORDS[turn].search(text, start.end(), stop)
                if found:
                    path.write_text(text[:found.start()] + ("this", "the")[turn]
                                    + text[found.end():], encoding="utf-8")
                    return path
    raise ValueError(f"no paragraph with the word `the` in {project}")
