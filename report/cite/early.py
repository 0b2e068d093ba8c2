"""Which citeproc-js to start early (report/cite/warm.py), for a project about to be built.

Started only when the project has no formatted citations cached (build/.cache/cite-*.json): a
rebuild most often finds its citations in the cache, and would only lose a core to it.
Nothing here reports a problem: a project that cannot be read this early is read, and its
problems reported, by the build itself.
"""

from __future__ import annotations

from pathlib import Path

from report.cite import warm
from report.cite.engine import find_style, payload_head
from report.problems import Location
from report.project.load import read_yaml
from report.project.schema import Settings


def start_for(root: Path) -> None:
    """Start citeproc-js for the project at `root`, if its citations are not cached; never
    raises (see the module's docstring)."""
    try:
        if any((root / "build" / ".cache").glob("cite-*.json")):
            return
        data = read_yaml(root / "content" / "report.yaml", "content/report.yaml").data
        if not isinstance(data, dict):
            return
        fields = Settings.model_fields
        name = data.get("citation-style", fields["citation_style"].default)
        language = data.get("language", fields["language"].default)
        if not isinstance(name, str) or not isinstance(language, str):
            return
        style = find_style(name, root, Location("content/report.yaml"))
        warm.start(warm.head(payload_head(style, language)))
    except Exception:  # noqa: BLE001  the build reads the project again and says what is wrong
        warm.discard()
