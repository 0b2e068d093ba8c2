"""Joining the PDFs of a report laid out in parts (report/layout/workers.py) into one, with pikepdf.

What WeasyPrint writes for one document is rebuilt for the whole: the pages in order, one
name tree of destinations (so links between parts work), one outline from the parts'
outlines, one structure tree from the parts' (report/layout/tags_merge.py), the document
information, the catalog's language, viewer settings and page labels
(report/layout/catalog.py, as for a document written whole), and the folios laid over the
pages (report/layout/folios.py), as pagination artifacts.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, PageLocation, String

from report.files import write_atomically
from report.layout import catalog, tags_merge, unambiguous


class NoFolios(Exception):
    """The parts cannot be joined as they are: the folio pass did not give the pages back, or
    a part has no structure tree to join (`UntaggedPart`). The report is laid out whole."""


class UntaggedPart(NoFolios):
    """A part was written untagged (by an older build, from the cache) or cannot be joined."""


@dataclass(frozen=True)
class Piece:
    pdf: Path
    stubs: frozenset[str]  # destinations the part only stood in for (links to other parts)


def _outline(item: Any, index: dict[tuple[int, int], int], base: int) -> OutlineItem | None:
    dest = item.get("/Dest")
    if dest is None or len(dest) < 4:
        return None
    page = index.get(dest[0].objgen)
    if page is None:
        return None
    out = OutlineItem(str(item.Title), base + page, PageLocation.XYZ, left=float(dest[2]),
                      top=float(dest[3]), zoom=0)
    out.is_closed = int(item.get("/Count", 0)) < 0
    for child in _children(item):
        made = _outline(child, index, base)
        if made is not None:
            out.children.append(made)
    return out


def _children(item: Any) -> Iterator[Any]:
    child = item.get("/First")
    while child is not None:
        yield child
        child = child.get("/Next")


def _stamp(out: pikepdf.Pdf, page: pikepdf.Page, folio: pikepdf.Page, name: str) -> None:
    """Draw `folio` (a page of the same size) over `page`, as a form XObject named `name`:
    pikepdf's add_overlay names it at random, and a build must be the same every time. The
    name is the page's own: a part's pages share one resource dictionary. The folios are
    pagination artifacts: not text a reader reads with the page's."""
    form = out.copy_foreign(folio.as_form_xobject())
    page.add_resource(form, Name.XObject, Name(name))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ /Artifact <</Type /Pagination>> BDC q " + name.encode()
                      + b" Do Q EMC\n", prepend=False)


def _copy(out: pikepdf.Pdf, obj: Any) -> Any:
    """`obj` of another PDF in `out`: copy_foreign takes only indirect objects."""
    if obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Dictionary):
        return Dictionary({key: _copy(out, value) for key, value in obj.items()})
    if isinstance(obj, Array):
        return Array([_copy(out, value) for value in obj])
    return obj


def merge(pieces: list[Piece], output: Path, *, overlay: Any, body_start: int,
          language: str, tagged: bool = True,
          finish: Callable[[pikepdf.Pdf], None] | None = None) -> None:
    """Write `output` atomically from the parts' PDFs, in order. `overlay`: the folios' PDF,
    or a job with `result()` giving it once the pages are joined (None: no folios), or None.
    `tagged`: with one structure tree joined from the parts' (UntaggedPart if one has none).
    `finish`: what the edition does to the joined file before it is saved (its claims)."""
    out = pikepdf.new()
    sources = [pikepdf.open(piece.pdf) for piece in pieces]  # open until saved: read lazily
    try:
        if tagged and any("/StructTreeRoot" not in src.Root for src in sources):
            if overlay is not None and not isinstance(overlay, Path):
                overlay.cancel()  # the folio pass of a join that will not happen
            raise UntaggedPart
        dests: dict[str, tuple[int, list[Any]]] = {}
        outlines: list[OutlineItem] = []
        bases: list[int] = []
        for piece, src in zip(pieces, sources, strict=True):
            base = len(out.pages)
            bases.append(base)
            with warnings.catch_warnings():  # named destinations are rebuilt below
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                out.pages.extend(src.pages)
            index = {page.obj.objgen: i for i, page in enumerate(src.pages)}
            names = src.Root.get("/Names")
            tree = names.get("/Dests") if names is not None else None
            flat = list(tree.get("/Names", [])) if tree is not None else []
            for name, dest in zip(flat[::2], flat[1::2], strict=True):
                key = str(name)
                page = index.get(dest[0].objgen)
                if key in piece.stubs or page is None or key in dests:
                    continue
                dests[key] = (base + page, [dest[i] for i in range(1, len(dest))])
            root = src.Root.get("/Outlines")
            if root is not None:
                for item in _children(root):
                    made = _outline(item, index, base)
                    if made is not None:
                        outlines.append(made)
        if tagged:
            try:
                tags_merge.join(out, list(zip(sources, bases, strict=True)))
            except tags_merge.Unjoinable as error:
                raise UntaggedPart from error
        if overlay is not None and not isinstance(overlay, Path):
            overlay = overlay.result()
            if overlay is None:
                raise NoFolios
        if overlay is not None:
            folios = pikepdf.open(overlay)
            sources.append(folios)
            if len(folios.pages) != len(out.pages):
                raise ValueError("the folio pass has a different number of pages")
            for number, (target, folio) in enumerate(zip(out.pages, folios.pages,
                                                          strict=True)):
                _stamp(out, target, folio, f"/ReportFolio{number + 1}")
        tree_names = Array()
        for key in sorted(dests, key=lambda k: k.encode("utf-8")):
            page, rest = dests[key]
            tree_names.append(String(key))
            tree_names.append(Array([out.pages[page].obj, *rest]))
        if len(tree_names):
            out.Root.Names = Dictionary(Dests=Dictionary(Names=tree_names))
        with out.open_outline() as outline:
            outline.root.extend(outlines)
        catalog.write_pikepdf(out.Root, catalog.entries(language,
                                                        catalog.body_ranges(body_start)))
        for key, value in sources[0].docinfo.items():
            out.docinfo[key] = value
        intents = sources[0].Root.get("/OutputIntents")
        if intents is not None:  # the parts' colour profile, which their pages use
            out.Root.OutputIntents = Array([_copy(out, intent) for intent in intents])
        if finish is not None:
            finish(out)
        data = unambiguous.save(out, deterministic_id=True, compress_streams=True,
                                object_stream_mode=pikepdf.ObjectStreamMode.generate)
        write_atomically(output, lambda stream: stream.write(data))
    finally:
        for src in sources:
            src.close()
        out.close()
