"""The media type of a project's file, by its suffix: what WeasyPrint is told a file is, and
what the archive records of each file it embeds."""

from __future__ import annotations

from pathlib import PurePosixPath

# MIME types by suffix, fixed here rather than read from the machine's /etc/mime.types, which
# differs between machines (the archive records them; builds must not depend on the machine).
MIME_TYPES = {
    ".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json",
    ".css": "text/css", ".j2": "text/plain", ".html": "text/html", ".txt": "text/plain",
    ".md": "text/markdown", ".sha256": "text/plain", ".csv": "text/csv",
    ".csl": "application/vnd.citationstyles.style+xml", ".xml": "application/xml",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".ttf": "font/ttf", ".otf": "font/otf",
    ".woff": "font/woff", ".woff2": "font/woff2",
}


def mime_type(name: str) -> str:
    return MIME_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
