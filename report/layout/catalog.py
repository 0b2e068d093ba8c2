"""The catalog entries every PDF of this pipeline gets: its language, how a viewer opens it,
and its page labels. One function decides them (`entries`), as plain Python data; one small
writer per PDF library puts them in a catalog:

- `write_pydyf`: WeasyPrint's PDF as it is written (report/layout/finishers.py);
- `write_pikepdf`: a report joined from its parts (report/layout/merge.py);
- `write_pypdf`: a briefing packet (report/tools/packet.py).

The data: a `str` is a text string, a `Name` a PDF name (without its slash), and bool, int,
list and dict the PDF's boolean, integer, array and dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import pydyf

if TYPE_CHECKING:
    import pikepdf
    from pypdf import PdfWriter


class Name(str):
    """A PDF name, without its slash: Name("UseOutlines") is /UseOutlines."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Name({str.__repr__(self)})"


Value: TypeAlias = str | bool | int | list["Value"] | dict[str, "Value"]  # Name: a str
# A page label range: the index of its first page (from 0), its numbering style (D decimal,
# r/R roman, a/A letters; None: no number), its prefix, and the number of its first page.
LabelRange = tuple[int, str | None, str, int]
STYLES = ("D", "r", "R", "a", "A")


def body_ranges(start: int) -> list[LabelRange]:
    """A report's page labels, so that a viewer's "page 7" is the page printed 7: the front
    matter in lower-case roman numerals before page index `start` (the first section's page),
    the body in arabic numerals from 1 there, the appendices continuing."""
    return [(0, "r", "", 1), (start, "D", "", 1)] if start else [(0, "D", "", 1)]


def page_labels(ranges: Iterable[LabelRange]) -> dict[str, Value]:
    """The /PageLabels number tree of `ranges` (ISO 32000-1, 12.4.2): one flat /Nums array,
    the defaults left out (/St when it is 1, /P when it is empty)."""
    nums: list[Value] = []
    previous = -1
    for start, style, prefix, first in ranges:
        if start <= previous or (previous < 0 and start != 0):
            raise ValueError(f"page label ranges must start at 0 and increase: {start}")
        if style is not None and style not in STYLES:
            raise ValueError(f"unknown page label style {style!r}")
        if first < 1:
            raise ValueError(f"a page label range starts at 1 or more, not {first}")
        label: dict[str, Value] = {}
        if style is not None:
            label["S"] = Name(style)
        if prefix:
            label["P"] = prefix
        if first != 1:
            label["St"] = first
        nums += [start, label]
        previous = start
    if not nums:
        raise ValueError("no page label range")
    return {"Nums": nums}


def entries(language: str, label_ranges: Iterable[LabelRange], *,
            duplex: bool = False) -> dict[str, Value]:
    """The catalog's entries, in the order they are written: the language (a BCP 47 tag),
    the outline open, the title (not the file name) in the window's title bar, and the page
    labels. `duplex`: also ask the print dialog for two-sided printing flipped on the long
    edge, at 100% (a packet made for binders)."""
    viewer: dict[str, Value] = {"DisplayDocTitle": True}
    if duplex:
        viewer |= {"Duplex": Name("DuplexFlipLongEdge"), "PrintScaling": Name("None")}
    return {"Lang": language, "PageMode": Name("UseOutlines"), "ViewerPreferences": viewer,
            "PageLabels": page_labels(label_ranges)}


# --- one writer per PDF library ---------------------------------------------------------

def _pydyf(value: Value) -> Any:
    if isinstance(value, Name):
        return "/" + value
    if isinstance(value, str):
        return pydyf.String(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return pydyf.Array([_pydyf(item) for item in value])
    return pydyf.Dictionary({key: _pydyf(item) for key, item in value.items()})


def write_pydyf(catalog: pydyf.Dictionary, values: Mapping[str, Value]) -> None:
    """Into WeasyPrint's catalog (a pydyf dictionary), as it writes the PDF."""
    for key, value in values.items():
        catalog[key] = _pydyf(value)


def _pikepdf(value: Value) -> Any:
    import pikepdf

    if isinstance(value, Name):
        return pikepdf.Name("/" + value)
    if isinstance(value, str):
        return pikepdf.String(value)
    if isinstance(value, bool | int):
        return value
    if isinstance(value, list):
        return pikepdf.Array([_pikepdf(item) for item in value])
    return pikepdf.Dictionary({"/" + key: _pikepdf(item) for key, item in value.items()})


def write_pikepdf(root: pikepdf.Object, values: Mapping[str, Value]) -> None:
    """Into a pikepdf document's catalog (`pdf.Root`)."""
    for key, value in values.items():
        root["/" + key] = _pikepdf(value)


def _pypdf(value: Value) -> Any:
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    if isinstance(value, Name):
        return NameObject("/" + value)
    if isinstance(value, str):
        return TextStringObject(value)
    if isinstance(value, bool):
        return BooleanObject(value)
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, list):
        return ArrayObject([_pypdf(item) for item in value])
    return DictionaryObject({NameObject("/" + key): _pypdf(item)
                             for key, item in value.items()})


def write_pypdf(writer: PdfWriter, values: Mapping[str, Value]) -> None:
    """Into a pypdf writer's catalog, through pypdf's public API (`root_object`; the viewer
    preferences in the object `create_viewer_preferences` makes)."""
    from pypdf.generic import NameObject

    root = writer.root_object
    for key, value in values.items():
        if key == "ViewerPreferences" and isinstance(value, dict):
            prefs = writer.create_viewer_preferences()
            prefs.update(_pypdf(value))
        else:
            root[NameObject("/" + key)] = _pypdf(value)
