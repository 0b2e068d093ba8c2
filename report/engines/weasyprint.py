"""What report/layout/ reads of a laid-out WeasyPrint page beyond its public API.

Written against WeasyPrint 70.0 (`VERSION`, checked by report/engines/__init__.py:
`install`). Its `Page` (weasyprint.document) keeps the laid-out page box, the root of the
page's box tree, in the private `Page._page_box`; the box tree itself is WeasyPrint's
(weasyprint.formatting_structure.boxes). What the functions here rely on:

- `PageBox.children` after layout (weasyprint.layout.layout_document): the root box (the
  html element's) first, then the footnote area and the @note-area if they have content,
  then the margin boxes;
- `PageBox.page_type`, a `weasyprint.layout.page.PageType` namedtuple: `name` (the @page
  name, "" if none), `blank`, and `groups`, the page groups the page is in, outermost first,
  as (name, index of the page in the group) pairs.

The footnote-area patch is in weasyprint_notes.py. Nothing here imports WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from report.engines.versions import PINNED

if TYPE_CHECKING:
    from weasyprint.document import Page

PACKAGE = "weasyprint"
VERSION = PINNED[PACKAGE]  # the version this module was written against


def page_box(page: Page) -> Any:
    """The page's laid-out page box (`Page._page_box`)."""
    return page._page_box


def root_and_areas(page: Page) -> tuple[Any, list[Any]]:
    """The page's root box, and the boxes after it: the footnote area and the @note-area
    (when not empty) and the margin boxes (`PageBox.children`)."""
    root, *areas = page_box(page).children
    return root, areas


@dataclass(frozen=True)
class PageType:
    name: str  # the @page name; "" for none
    group: int  # index of the page in its innermost page group; -1: in none
    blank: bool  # a page left blank to start the next on the right side
    # the page groups it is in, outermost first: (page name, index of the page in the group)
    groups: tuple[tuple[str, int], ...] = ()


def page_type(page: Page) -> PageType:
    """The page's type, as WeasyPrint chose its @page rules (`PageBox.page_type`)."""
    found = page_box(page).page_type
    group = found.groups[-1][1] if found.groups else -1
    groups = tuple((str(name), int(index)) for name, index in found.groups)
    return PageType(found.name, group, found.blank, groups)


def page_type_name(page: Page) -> str:
    """The @page name of the page; "" for none (`PageBox.page_type.name`)."""
    name: str = page_box(page).page_type.name
    return name
