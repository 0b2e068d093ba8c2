"""The report's fonts: pinned files, declared with @font-face so nothing depends on fontconfig.

The project's own files install them (`make setup` copies them from Debian's fonts-noto-core
into fonts/ and checks each against styles/fonts.sha256). The build looks in the project's
fonts/ folder first, then in Debian's Noto folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.files import NotInProject, not_in_project, project_file
from report.problems import Location, Problem, ReportError

SYSTEM_DIR = Path("/usr/share/fonts/truetype/noto")


@dataclass(frozen=True)
class Face:
    family: str
    file: str
    weight: int = 400
    style: str = "normal"


FACES = (
    Face("Report Serif", "NotoSerif-Regular.ttf"),
    Face("Report Serif", "NotoSerif-Bold.ttf", 700),
    Face("Report Serif", "NotoSerif-Italic.ttf", 400, "italic"),
    Face("Report Serif", "NotoSerif-BoldItalic.ttf", 700, "italic"),
    Face("Report Serif Armenian", "NotoSerifArmenian-Regular.ttf"),
    Face("Report Serif Armenian", "NotoSerifArmenian-Bold.ttf", 700),
    Face("Report Sans", "NotoSans-Regular.ttf"),
    Face("Report Sans", "NotoSans-Bold.ttf", 700),
    Face("Report Sans", "NotoSans-Italic.ttf", 400, "italic"),
    Face("Report Symbols", "NotoSansSymbols-Regular.ttf"),  # arrows, which Noto Serif lacks
)
NAMES = "Noto Serif, Noto Serif Armenian, Noto Sans and Noto Sans Symbols"


def font_dirs(root: Path) -> list[Path]:
    return [root / "fonts", SYSTEM_DIR]


def find(root: Path) -> dict[str, Path]:
    """The path of every font file; ReportError naming the missing ones, and the project's
    font files that are links leading out of it (whatever a link names, the fetcher would
    let the build read as a font: report/layout/engine.py)."""
    found, missing, problems = {}, [], []
    for face in FACES:
        name = f"fonts/{face.file}"
        try:
            found[face.file] = project_file(root, name)
            continue
        except NotInProject as error:
            if error.reason != "missing":
                message, hint = not_in_project(error.reason, name, "font file", name)
                problems.append(Problem(Location(name), message, hint, code="outside-project",
                                        value=name))
                continue
        if (SYSTEM_DIR / face.file).is_file():
            found[face.file] = SYSTEM_DIR / face.file
        else:
            missing.append(face.file)
    if missing:
        problems.append(Problem(Location("fonts/"), "Fonts are missing: " + ", ".join(missing),
                                "Run `make setup` (or `make pdf`), which installs them.",
                                code="fonts-missing"))
    if problems:
        raise ReportError(problems)
    return found


def font_face_css(root: Path) -> str:
    paths = find(root)
    rules = []
    for face in FACES:
        url = paths[face.file].resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "{face.family}"; src: url("{url}"); '
                     f"font-weight: {face.weight}; font-style: {face.style}; }}")
    return "\n".join(rules)
