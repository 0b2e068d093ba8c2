"""The structure trees of a report laid out in parts (report/layout/workers.py), joined into one.

Each part is a tagged PDF of its own (report/layout/tags.py): a `Document` element holding the
part's elements, a parent tree keyed from 0 (its pages' `StructParents`, then its annotations'
`StructParent`), and an ID tree of its notes. The parts split the report where a page break is
forced between two top-level elements (report/layout/parts.py), so no element spans two parts
and the joined `Document` simply holds each part's elements in turn. The parent tree's keys of
each part are moved past the previous parts' (pages and annotations renumbered to match), and
the ID trees are merged. The pages themselves were copied already (report/layout/merge.py);
qpdf maps the copied structure's page and annotation references onto those copies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String


class Unjoinable(Exception):
    """A part has no structure tree, or content outside its elements: lay it out whole."""


def _entries(tree: Any, key: str) -> Iterator[tuple[Any, Any]]:
    """The (key, value) pairs of a number tree (`/Nums`) or name tree (`/Names`)."""
    flat = tree.get(key)
    if flat is not None:
        for i in range(0, len(flat) - 1, 2):
            yield flat[i], flat[i + 1]
    for kid in tree.get("/Kids", []):
        yield from _entries(kid, key)


def _copy(out: pikepdf.Pdf, value: Any) -> Any:
    """`value` of another PDF in `out`: qpdf copies indirect objects only, so a direct array
    (a page's entry in the parent tree) is copied item by item."""
    if isinstance(value, Array) and not value.is_indirect:
        return Array([_copy(out, item) for item in value])
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    return value


def join(out: pikepdf.Pdf, parts: list[tuple[pikepdf.Pdf, int]]) -> None:
    """Give `out` one structure tree from its parts': each part's PDF with the index in `out`
    of its first page. Unjoinable if a part has none, or marked content directly in its
    Document."""
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = root
    nums: list[tuple[int, Any]] = []
    ids: list[tuple[str, Any]] = []
    offset = 0
    for src, base in parts:
        tree = src.Root.get("/StructTreeRoot")
        if tree is None:
            raise Unjoinable
        tops = [kid for top in tree.K for kid in top.K] if isinstance(tree.K, Array) else []
        if not all(isinstance(kid, Dictionary) and kid.get("/Type") == Name.StructElem
                   for kid in tops):
            raise Unjoinable
        for kid in tops:  # cut from the part's Document: only the elements are copied
            del kid["/P"]
        for kid in tops:
            copied = out.copy_foreign(kid)
            copied.P = document
            document.K.append(copied)
        pairs = list(_entries(tree.ParentTree, "/Nums"))
        for key, value in pairs:
            nums.append((int(key) + offset, _copy(out, value)))
        ids += [(str(name), _copy(out, value))
                for name, value in _entries(tree.get("/IDTree", Dictionary()), "/Names")]
        for page in out.pages[base:base + len(src.pages)]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        offset += int(tree.get("/ParentTreeNextKey", max((int(k) for k, _ in pairs),
                                                         default=-1) + 1))
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array(
        [item for key, value in sorted(nums, key=lambda pair: pair[0])
         for item in (key, value)])))
    root.ParentTreeNextKey = offset
    if ids:
        root.IDTree = Dictionary(Names=Array(
            [item for name, value in sorted(ids, key=lambda pair: pair[0].encode("utf-8"))
             for item in (String(name), value)]))
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = Dictionary(Marked=True)
