"""WeasyPrint's marked content, read as plain data, for a structure tree built by the pipeline.

With `pdf_tags=True`, WeasyPrint 70 marks every text box and image as it draws it (an MCID per
box, `Stream.marked`) and then builds its structure tree page by page (`pdf.tags.add_tags`):
an element split by a page break becomes several, footnotes are anonymous elements at the end
of each page, margin boxes are left outside the tree, `lang` is dropped, and an `a::after` is a
second link. This module keeps the marking and replaces the tree builder:

- `Stream.marked` is patched to remember where each mark was written (the stream, the position
  of its tag, its property list), so that a mark can later become an artifact or be numbered;
- the `add_tags` that `weasyprint.pdf.generate_pdf` calls is replaced by `_add_tags`, which
  reads each page's boxes, in the order WeasyPrint's own builder reads them (the page's root,
  then its footnote area, then its margin boxes), into `Mark`s and hands them to the builder
  given to `install` (report/layout/tags_write.py's `build`; report/layout/tags.py decides
  the tree).

Written against WeasyPrint 70.0 (`VERSION`, checked by report/engines/__init__.py: `install`).
It relies on `pdf.stream.Stream.marked` and `_tags` (box -> mark, shared by a page's stream and
its clones), on `generate_pdf` calling the module-level name `weasyprint.pdf.add_tags(pdf,
document, pdf_version, page_streams)` after the pages are drawn, `pdf.page_references`, and on
the boxes' `element`, `element_tag` ("a::after" for a pseudo-element), `children`, `text`
(a hyphenated line's ends with the `hyphenate_character` of its style), `LineBox`,
`link_annotation` (set by `pdf.anchors.add_links`), `is_leader`, `is_header`/`is_footer`
(table row groups), `MarginBox.at_keyword`, `FootnoteAreaBox` and `AbsolutePlaceholder._box`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf
import weasyprint.pdf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf.stream import Stream

from report.engines.versions import PINNED

PACKAGE = "weasyprint"
VERSION = PINNED[PACKAGE]  # the version this module was written against

ORIGINAL_MARKED = Stream.marked
ORIGINAL_ADD_TAGS = weasyprint.pdf.add_tags
SCALE = 0.75  # PDF points per CSS pixel (write_pdf's zoom is always 1 here)


@dataclass
class _Slot:
    """Where a mark was written: its stream, the index of its tag there, its property list."""

    stream: Any
    index: int
    properties: pydyf.Dictionary


@dataclass
class Mark:
    """One marked piece of a page (a text box or an image), or a link annotation on it.

    `element` is the HTML element the box belongs to (None: a margin box's text), `pseudo` the
    pseudo-element it was generated for ("after", "marker", "footnote-call"...; "" for none),
    `region` where it is on the page: "flow", "footnote" (in the footnote area; `note` is then
    the footnote's element), "margin" (`margin` is the box's at-keyword, "top-left"...),
    "repeated" (a table's header or footer row repeated on a later page) or "leader" (the
    dots of `leader()`)."""

    page: int
    kind: str  # "text", "image" or "link"
    element: Any
    pseudo: str
    region: str
    text: str = ""
    note: Any = None
    margin: str = ""
    annotation: pydyf.Dictionary | None = None
    bbox: tuple[float, float, float, float] | None = None  # an image's, in PDF points
    hyphen: str = ""  # the hyphen that hyphenation added at the end of `text`, if any
    line_end: bool = False  # the last text of a line that the next line goes on from
    ends_block: Any = None  # the block (element) whose last line on the page this text ends
    _slot: _Slot | None = field(default=None, repr=False)

    def number(self, mcid: int, actual_text: str | None = None) -> None:
        """Keep the mark as content, with this MCID (the page's marks are numbered anew) and,
        if given, the text it stands for (ISO 32000-1, 14.9.4)."""
        assert self._slot is not None
        self._slot.properties["MCID"] = mcid
        if actual_text is not None:
            self._slot.properties["ActualText"] = pydyf.String(actual_text)

    def _end(self) -> int:
        """The index of the mark's EMC in its stream."""
        assert self._slot is not None
        items, depth = self._slot.stream.stream, 0
        for index in range(self._slot.index + 3, len(items)):
            if items[index] in (b"BDC", b"BMC"):
                depth += 1
            elif items[index] == b"EMC":
                if depth == 0:
                    return index
                depth -= 1
        raise ValueError("a marked-content sequence without its end")

    def empty(self) -> bool:
        """Whether no glyph was shown in the mark (a text box of white space at a line's end,
        or invisible): it would be marked content that holds nothing."""
        assert self._slot is not None
        shown = self._slot.stream.stream[self._slot.index + 3:self._end()]
        return self.kind == "text" and not any(
            isinstance(item, bytes) and item.endswith((b" TJ", b" Tj")) and len(item) > 5
            for item in shown)

    def drop(self) -> None:
        """Remove the mark (its BDC and EMC), leaving what it held."""
        assert self._slot is not None
        items, start = self._slot.stream.stream, self._slot.index
        items[self._end()] = b""
        items[start:start + 3] = [b"", b"", b""]

    def artifact(self, properties: dict[str, str] | None = None) -> None:
        """Turn the mark into an artifact (`/Artifact <<...>> BDC`, or BMC with none)."""
        slot = self._slot
        assert slot is not None
        slot.stream.stream[slot.index] = "/Artifact"
        slot.properties.clear()
        if properties:
            slot.properties.update({key: f"/{value}" for key, value in properties.items()})
        else:
            slot.stream.stream[slot.index + 1] = b""
            slot.stream.stream[slot.index + 2] = b"BMC"


# (pdf, the pages' references, each page's marks, the html element)
Builder = Callable[[pydyf.PDF, list[Any], list[list[Mark]], Any], None]
_builder: Builder | None = None


@contextmanager
def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
    """WeasyPrint's `Stream.marked`, remembering where the mark was written."""
    tags = self._tags
    if tags is not None:
        assert box not in tags
        properties = pydyf.Dictionary({"MCID": len(tags)})
        tags[box] = _Slot(self, len(self.stream), properties)
        pydyf.Stream.begin_marked_content(self, tag, properties)
    try:
        yield
    finally:
        if tags is not None:
            pydyf.Stream.end_marked_content(self)


def _hyphen(box: Any, text: str) -> str:
    """The hyphenate-character that ends a hyphenated line's text box, or ""."""
    style = box.style
    hyphen = style["hyphenate_character"] if style["hyphens"] != "none" else ""
    return hyphen if hyphen and text.endswith(hyphen) else ""


def _pseudo(box: Any) -> str:
    tag = getattr(box, "element_tag", None) or ""
    return tag.partition("::")[2]


class _Reader:
    """A page's boxes read into marks, in WeasyPrint's own reading order."""

    def __init__(self, number: int, tags: dict[Any, _Slot], height: float,
                 seen_tables: set[Any]) -> None:
        self.number, self.tags, self.height = number, tags, height
        self.seen_tables = seen_tables  # tables whose header (footer) rows were read already
        self.marks: list[Mark] = []

    def read(self, box: Any, region: str, note: Any = None, margin: str = "") -> None:
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if getattr(box, "is_leader", False):
            region = "leader"
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:
            self.marks.append(Mark(self.number, "link", box.element, _pseudo(box), region,
                                   note=note, margin=margin, annotation=annotation))
        slot = self.tags.pop(box, None)
        if slot is not None:
            kind = "text" if isinstance(box, boxes.TextBox) else "image"
            text = getattr(box, "text", "")
            self.marks.append(Mark(
                self.number, kind, box.element if region != "margin" else None, _pseudo(box),
                region, text, note, margin, bbox=self._bbox(box) if kind == "image" else None,
                hyphen=_hyphen(box, text), _slot=slot))
        if isinstance(box, boxes.TableBox):
            self._table(box, region, note, margin)
            return
        children = list(getattr(box, "children", ()))
        lines = [child for child in children if isinstance(child, boxes.LineBox)]
        for child in children:
            first = len(self.marks)
            self.read(child, region, note, margin)
            if lines and child in lines:
                last = next((m for m in reversed(self.marks[first:]) if m.kind == "text"), None)
                if last is None:
                    continue
                if child is not lines[-1]:  # where the line break took a space, drawn nowhere
                    last.line_end = True
                else:  # the block's last line here: a line end if the block goes on overleaf
                    last.ends_block = box.element

    def _table(self, table: Any, region: str, note: Any, margin: str) -> None:
        """A table's rows; header and footer rows already read on an earlier page (repeated
        by WeasyPrint on every page the table spans) are read as "repeated"."""
        first = table.element not in self.seen_tables
        for group in table.children:
            repeated = (group.is_header or group.is_footer) and not first
            self.read(group, "repeated" if repeated else region, note, margin)
        self.seen_tables.add(table.element)

    def _bbox(self, box: Any) -> tuple[float, float, float, float]:
        x, y = box.content_box_x(), box.content_box_y()
        return (x * SCALE, (self.height - y - box.height) * SCALE, (x + box.width) * SCALE,
                (self.height - y) * SCALE)

    def page(self, page_box: Any) -> None:
        for child in page_box.children:
            if isinstance(child, boxes.FootnoteAreaBox):
                for note in child.children:
                    self.read(note, "footnote", note=note.element)
            elif isinstance(child, boxes.MarginBox):
                self.read(child, "margin", margin=child.at_keyword)
            else:
                self.read(child, "flow")
        for box, slot in list(self.tags.items()):  # drawn but not in the page's box tree
            self.marks.append(Mark(self.number, "text", None, "", "unread", _slot=slot))
            del self.tags[box]


def _add_tags(pdf: pydyf.PDF, document: Any, pdf_version: Any, page_streams: list[Any]) -> None:
    """In place of WeasyPrint's `add_tags`: the pages' marks, to the builder."""
    assert _builder is not None
    pages: list[list[Mark]] = []
    seen_tables: set[Any] = set()
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        reader = _Reader(number, stream._tags, page.height, seen_tables)
        reader.page(page._page_box)
        pages.append(reader.marks)
    root = document.pages[0]._page_box.children[0].element if document.pages else None
    if root is not None:
        _blocks_going_on(pages, root)
    _builder(pdf, list(pdf.page_references), pages, root)


def _blocks_going_on(pages: list[list[Mark]], root: Any) -> None:
    """A block's last line on a page ends a line, not the block, when the block goes on on the
    next page. (WeasyPrint marks a box split at its end in `remove_decoration_sides`, but
    drawing copies the boxes and clears it on the originals, which are what is read here.)"""
    parents = {child: parent for parent in root.iter() for child in parent}
    for marks, after in zip(pages, pages[1:], strict=False):
        overleaf = set()
        for mark in after:
            if mark.region not in ("flow", "footnote"):  # not a header row repeated overleaf
                continue
            element = mark.element
            while element is not None and id(element) not in overleaf:
                overleaf.add(id(element))
                element = parents.get(element)
        for mark in marks:
            if mark.ends_block is not None and id(mark.ends_block) in overleaf:
                mark.line_end = True


def install(builder: Builder) -> None:
    """Mark as WeasyPrint does, and build the tree with `builder` (report/engines/__init__.py
    checks the version first); idempotent."""
    global _builder
    _builder = builder
    Stream.marked = marked
    weasyprint.pdf.add_tags = _add_tags


def uninstall() -> None:
    global _builder
    _builder = None
    Stream.marked = ORIGINAL_MARKED
    weasyprint.pdf.add_tags = ORIGINAL_ADD_TAGS
