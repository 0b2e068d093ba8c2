"""The structure tree (report/layout/tags.py) written into WeasyPrint's PDF as it is written:
pydyf objects for the elements (an MCID on the element's own page as a number, on another page
as a marked-content reference), the parent tree (each page's MCIDs, then each link
annotation, keyed as WeasyPrint numbers the pages' `StructParents`), the ID tree of the notes,
the list numbering of each list, each link annotation's Contents (the link's text) and the
catalog's StructTreeRoot and MarkInfo.
"""

from __future__ import annotations

import re
from typing import Any

import pydyf

from report.engines.weasyprint_tags import Mark
from report.layout.tags import Annot, Node, Tree

NUMBERING = [(re.compile(r"^\d"), "Decimal"), (re.compile(r"^[ivxlcdm]+\b"), "LowerRoman"),
             (re.compile(r"^[IVXLCDM]+\b"), "UpperRoman"), (re.compile(r"^[a-z]\b"), "LowerAlpha"),
             (re.compile(r"^[A-Z]\b"), "UpperAlpha")]


class Writer:
    """The tree as pydyf objects in WeasyPrint's PDF."""

    def __init__(self, pdf: pydyf.PDF, pages: list[Any], tree: Tree) -> None:
        self.pdf, self.pages, self.tree = pdf, pages, tree
        self.parent_tree: list[list[Any]] = [[None] * n for n in tree.numbers]
        self.annotations: list[Any] = []  # the structure element of each annotation
        self.ids: list[tuple[str, Any]] = []

    def write(self, node: Node, parent: Any) -> pydyf.Dictionary:
        made = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{node.role}", "P": parent})
        self.pdf.add_object(made)
        page = node.page if node.page is not None else _first_page(node)
        if page is not None:
            made["Pg"] = self.pages[page]
        kids = pydyf.Array()
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(self.write(kid, made.reference).reference)
            elif isinstance(kid, Annot):
                kid.annotation["StructParent"] = len(self.pages) + len(self.annotations)
                if node.role == "Link":
                    text = " ".join(self.tree.text_of(node).split())
                    if text:
                        kid.annotation["Contents"] = pydyf.String(text)
                self.annotations.append(made.reference)
                kids.append(pydyf.Dictionary({"Type": "/OBJR", "Obj": kid.annotation.reference,
                                              "Pg": self.pages[kid.page]}))
            else:
                on, mcid = kid
                self.parent_tree[on][mcid] = made.reference
                kids.append(mcid if on == page else pydyf.Dictionary(
                    {"Type": "/MCR", "Pg": self.pages[on], "MCID": mcid}))
        made["K"] = kids
        for key, value in node.attrs.items():
            made[key] = value
        if node.ident:
            self.ids.append((node.ident, made.reference))
        if node.role == "L":
            numbering = _numbering(self.tree, node)
            if numbering:
                made["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": f"/{numbering}"})
        return made

    def finish(self) -> None:
        root = pydyf.Dictionary({"Type": "/StructTreeRoot"})
        self.pdf.add_object(root)
        document = self.write(self.tree.document, root.reference)
        nums = pydyf.Array()
        for number, refs in enumerate(self.parent_tree):
            nums += [number, pydyf.Array(refs)]
        for number, ref in enumerate(self.annotations, start=len(self.pages)):
            nums += [number, ref]
        parent_tree = pydyf.Dictionary({"Nums": nums})
        self.pdf.add_object(parent_tree)
        root["K"] = pydyf.Array([document.reference])
        root["ParentTree"] = parent_tree.reference
        root["ParentTreeNextKey"] = len(self.pages) + len(self.annotations)
        if self.ids:
            names = pydyf.Array()
            for name, ref in sorted(self.ids, key=lambda item: item[0].encode("utf-8")):
                names += [pydyf.String(name), ref]
            root["IDTree"] = pydyf.Dictionary({"Names": names})
        self.pdf.catalog["StructTreeRoot"] = root.reference
        self.pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})


def _first_page(node: Node) -> int | None:
    for kid in node.kids:
        if isinstance(kid, Node):
            found = kid.page if kid.page is not None else _first_page(kid)
            if found is not None:
                return found
        elif isinstance(kid, Annot):
            return kid.page
    return None


def _numbering(tree: Tree, node: Node) -> str | None:
    """The list's numbering, from its first label: Decimal, LowerRoman... or Disc; None for a
    list without labels."""
    for item in node.kids:
        labels = [k for k in item.kids if isinstance(k, Node) and k.role == "Lbl"] \
            if isinstance(item, Node) else []
        if labels and labels[0].element is None:  # a marker, not a term (<dt>)
            text = tree.text_of(labels[0]).strip()
            return next((name for pattern, name in NUMBERING if pattern.match(text)), "Disc")
    return None


def build(pdf: pydyf.PDF, pages: list[Any], marks: list[list[Mark]], root: Any) -> None:
    """The structure tree of the pages' marks, written into `pdf` (report/engines/
    weasyprint_tags.py calls it as WeasyPrint writes a tagged PDF)."""
    tree = Tree(root)
    tree.numbers = [0] * len(pages)
    for page_marks in marks:
        for mark in page_marks:
            tree.place(mark)
    Writer(pdf, pages, tree).finish()
