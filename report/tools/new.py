"""`report new DIR`: a small working project to start from, which builds and checks clean.

The starter (report/tools/starter/) has two sections with one of each thing a report holds (a
citation, a quotation, a dated event, a table, a figure), its bibliography, a commented CSS
override, a Makefile calling the installed `report`, the schema modelines and the editor
settings that use them. Its example text is real and cited, as every report's must be.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from string import Template

from report.problems import Location, Problem, ReportError

STARTER = Path(__file__).parent / "starter"
RENAMED = {"gitignore": ".gitignore", "vscode-settings.json": ".vscode/settings.json"}
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")  # as `language:` in the schema


def _refuse(folder: Path, message: str, hint: str) -> ReportError:
    return ReportError([Problem(Location(str(folder)), message, hint, code="new-folder")])


def create(folder: Path, title: str = "A new report", language: str = "en",
           style: str = "chicago-notes-bibliography", paper: str = "a4",
           today: dt.date | None = None) -> list[Path]:
    """Write the starter into `folder` (new, or empty); the files written."""
    from report.cite.engine import find_style
    from report.project import jsonschema

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise _refuse(folder, f"`{folder}` is not an empty folder.",
                      "Give a new folder's name: `report new` never writes over files.")
    if not LANGUAGE.match(language):
        raise ReportError([Problem(Location("--language"), f"`{language}` is not a language "
                                   "tag.", "Give a BCP 47 tag: en, fr, de, es, ru, en-GB...",
                                   code="new-language")])
    find_style(style, folder, Location("--style"))  # an unknown style: the usual message
    values = {"title": _yaml_text(title), "language": language, "style": style,
              "paper": paper, "date": (today or dt.date.today()).isoformat()}
    written: list[Path] = []
    staging = folder.with_name(f".{folder.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for source in sorted(STARTER.rglob("*")):
            if source.is_dir():
                continue
            relative = source.relative_to(STARTER).as_posix()
            target = staging / RENAMED.get(relative, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            if relative == "content/report.yaml":  # the choices made on the command line
                text = Template(source.read_text(encoding="utf-8")).safe_substitute(values)
                target.write_text(text, encoding="utf-8")
            else:
                shutil.copyfile(source, target)
            written.append(folder / target.relative_to(staging))
        written += [folder / p.relative_to(staging) for p in jsonschema.write(staging / "schemas")]
        if folder.exists():
            folder.rmdir()
        staging.replace(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(written)


def _yaml_text(text: str) -> str:
    """A title as a YAML scalar: quoted (JSON's quoting is YAML's) when plain text would not
    read back as the same string."""
    import json

    import yaml

    try:
        if yaml.safe_load(f"title: {text}") == {"title": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)
