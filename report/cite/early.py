"""Which citeproc-js to start early (report/cite/warm.py), for a project about to be built.

Started only when the project has no formatted citations cached (build/.cache/cite-*.json): a
rebuild most often finds its citations in the cache, and would only lose a core to it.
Nothing here reports a problem: a project that cannot be read this early is read, and its
problems reported, by the build itself. Nothing outside the project is read: report.yaml
goes through the guard every file a build reads goes through (report/files.py:
`project_file`), as does a local style (`find_style`).
"""

from __future__ import annotations

from pathlib import Path

from report.cite import warm


def start_for(root: Path) -> None:
    """Start citeproc-js for the project at `root`, if its citations are not cached; never
    raises (see the module's docstring)."""
    cache = root / "build" / ".cache"
    try:
        if any(p.is_symlink() for p in (root / "build", cache)) or any(cache.glob("cite-*.json")):
            return  # cached; or a folder that may lead out of the project: the build says so
    except OSError:
        return
    warm.spawn()  # Node.js loads citeproc-js while the style is found (and the schema's
    # pydantic is not imported for its two defaults: the style is sent 0.14 s sooner)
    try:
        head = _head(root)
    except Exception:  # noqa: BLE001  the build reads the project again and says what is wrong
        head = None
    try:
        if head is not None:
            warm.start(head)
            return
    except OSError:  # Node.js ended before it read the style
        pass
    warm.discard()


def _head(root: Path) -> bytes | None:
    """What citeproc-js compiles the project's style with; None when report.yaml does not
    say it plainly."""
    from report.cite.engine import find_style, payload_head
    from report.files import project_file
    from report.problems import Location
    from report.project import defaults
    from report.project.load import read_yaml

    name = "content/report.yaml"  # through the same guard as every file a build reads:
    data = read_yaml(project_file(root, name), name).data  # a link out is not followed
    if not isinstance(data, dict):
        return None
    name = data.get("citation-style", defaults.CITATION_STYLE)
    language = data.get("language", defaults.LANGUAGE)
    if not isinstance(name, str) or not isinstance(language, str):
        return None
    style = find_style(name, root, Location("content/report.yaml"))
    return warm.head(payload_head(style, language))
