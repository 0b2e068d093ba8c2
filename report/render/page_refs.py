"""Page references in the HTML: `data-page-of` names an anchor whose page the text prints,
`data-page` holds that page once a layout has told it (report/layout/backrefs.py). A module of
its own: the layout workers read it without importing the renderer (Jinja and the rest)."""

from __future__ import annotations

import re

PAGE_OF = re.compile(r'\bdata-page-of="#?([^"]+)"')


def fill_pages(html: str, anchors: dict[str, str]) -> str:
    """Print the page of each anchor the text refers to by page (`data-page-of`), when a layout
    has told it: `data-page` holds the number, which the CSS prints instead of counting."""
    def page(match: re.Match[str]) -> str:
        label = anchors.get(match.group(1))
        return match.group(0) if label is None else f'{match.group(0)} data-page="{label}"'
    return PAGE_OF.sub(page, html) if anchors else html
