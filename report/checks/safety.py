"""Content may not reach outside the report project: the URLs it names, checked with their place.

Content comes from people and from imports. Raw HTML and CSS in it are escaped by the Markdown
parser (markdown-it, html=False); what remains are the URLs of links and images, judged here
so that a refusal names the file, line and column:

- an image is a file inside the project, named by a relative path (no `file:`, `http:` or
  `data:`, no absolute path, no `..`), and it must exist there;
- a link may use https:, http: and mailto: only (or `#` within the report): never
  `javascript:`, `file:` or anything else. Nothing is fetched to draw a link.

Two more guards stand behind this one: report/layout/engine.py's fetcher refuses to read anything
outside the project, whatever asks, and report/layout/finishers.py's `safe_links` refuses a PDF
with any other kind of link.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from report.document.inline import SAFE_LINK, safe_image
from report.document.model import Collected, locate
from report.problems import Location, Problem, ReportError
from report.project.sources import DEFAULTS
from report.project.validate import Valid

LINK_HINT = "Links may use https:, http: and mailto: only, e.g. [text](https://example.org)."


def refuse_outside_links(root: Path) -> None:
    """ReportError if a file of the project (content, sources, styles, fonts) is a symbolic link
    leading out of it: the build would read a file outside the project. Checked first."""
    root = root.resolve()
    paths = [root / name for name in DEFAULTS]
    for folder in ("content", "styles", "fonts"):
        if (root / folder).is_dir():
            paths += sorted((root / folder).rglob("*"))
    problems = [Problem(Location(str(path.relative_to(root))), "This file is a link to a file "
                        "outside the report project; a build reads only the project's files.",
                        "Copy the file into the project instead of linking to it.",
                        code="outside-project", value=str(path.resolve()))
                for path in paths if path.exists() and not path.resolve().is_relative_to(root)]
    if problems:
        raise ReportError(problems)


def check(valid: Valid, collected: Collected) -> list[Problem]:
    """Every link and image of the content, and the links of content/report.yaml."""
    root = valid.project.root.resolve()
    problems = []
    for text in collected.texts.values():
        for kind, url in text.inline.urls:
            where = locate(text.file, text.where, url) if url else text.where
            problem = (_link(url, where) if kind == "link" else _image(root, url, where))
            if problem:
                problems.append(problem)
    credit = valid.settings.credit
    if credit:
        report = valid.project.report
        for key, url in (("url", credit.url), ("licence-url", credit.licence_url)):
            problem = _link(url, report.where(("credit", key)))
            if problem or url.startswith("#"):
                problems.append(problem or Problem(report.where(("credit", key)),
                                                   "The credit's address must be a web address.",
                                                   LINK_HINT, code="unsafe-link", value=url))
    return problems


def _link(url: str, where: Location) -> Problem | None:
    if SAFE_LINK.match(url.strip()):
        return None
    return Problem(where, f"The link `{url}` is refused.", LINK_HINT, code="unsafe-link",
                   value=url)


def _image(root: Path, src: str, where: Location) -> Problem | None:
    if not safe_image(src):
        return Problem(where, f"The image `{src}` is outside the report project; a build reads "
                       "only files inside the project folder.",
                       "Copy the image into the project (e.g. images/) and give its path "
                       "relative to the project folder: ![A map of the region](images/map.png).",
                       code="image-outside-project", value=src)
    path = (root / unquote(src.split("?")[0].split("#")[0])).resolve()
    if not path.is_relative_to(root):  # a symbolic link leading out of the project
        return Problem(where, f"The image `{src}` leads outside the report project.",
                       "Copy the image itself into the project.",
                       code="image-outside-project", value=src)
    if not path.is_file():
        return Problem(where, f"The image `{src}` does not exist.",
                       "Give the path relative to the project folder, e.g. images/map.png.",
                       code="image-missing", value=src)
    return None
