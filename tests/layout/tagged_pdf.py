"""Reading a tagged PDF back, for the structure tests (tests/layout/test_tags*.py): the structure
tree as plain nodes, and each page's content as runs of text, each with the marked-content
identifier (MCID) or the artifact it is drawn in. Text is decoded through the fonts' ToUnicode
maps (WeasyPrint writes two-byte Identity-H codes with `bfchar` entries).

Nothing here trusts the writer: a run drawn outside any marked content, an MCID that no
structure element claims and an element that claims an MCID no run carries are all reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from report.render import fonts


def _font(name: str) -> Path | None:
    """A pinned font file where report/render/fonts.py finds it for a folder without fonts/ (the
    layout's fetcher refuses any other file outside the project)."""
    return next((folder / name for folder in fonts.font_dirs(Path("/nonexistent"))
                 if (folder / name).is_file()), None)


FONT = _font("NotoSerif-Regular.ttf")
ARMENIAN = _font("NotoSerifArmenian-Regular.ttf")


@dataclass
class Run:
    """Text, an image or a painted path drawn on a page, and what it was drawn in."""

    page: int
    mcid: int | None  # the innermost MCID around it; None: none
    artifact: dict[str, str] | None  # the artifact's properties ({} untyped); None: not one
    text: str
    image: bool = False  # an image or a painted path, not text
    actual: str | None = None  # the ActualText of its marked content, if any


@dataclass
class Node:
    role: str  # /S without the slash
    attrs: dict[str, Any]  # Lang, Alt, ID, T, ActualText, and the /A attributes (O, Scope...)
    kids: list[Node | tuple[int, int] | Annotation] = field(default_factory=list)
    parent: Node | None = None

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def content(self) -> Iterator[tuple[int, int]]:
        """The (page, MCID) pairs of the node and its descendants, in tree order."""
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.content()
            elif isinstance(kid, tuple):
                yield kid

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


@dataclass(frozen=True)
class Annotation:
    page: int
    subtype: str
    target: str  # the link's URI or destination name
    contents: str
    struct_parent: int | None


@dataclass
class Tagged:
    root: Node  # the StructTreeRoot's kids under one node of role "StructTreeRoot"
    runs: list[Run]
    annotations: list[Annotation]
    text: dict[tuple[int, int], str]  # (page, MCID) -> its text
    parent_tree: dict[int, int | None]  # key -> a page's number of MCIDs; None: an annotation
    pages: int

    def text_of(self, node: Node) -> str:
        return "".join(self.text.get(item, "") for item in node.content())


PAINTING = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh"}  # path painting operators


def _unicode_map(font: Any) -> dict[int, str]:
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    data = cmap.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = int.from_bytes(bytes.fromhex(start).decode("utf-16-be").encode("utf-32-be"))
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = chr(first + i)
    return out


def _decode(data: bytes, cmap: dict[int, str], two_bytes: bool) -> str:
    if two_bytes:
        codes = [int.from_bytes(data[i:i + 2]) for i in range(0, len(data) - 1, 2)]
    else:
        codes = list(data)
    return "".join(cmap.get(code, "\ufffd") for code in codes)


class _Reader:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.maps: dict[tuple[int, int], dict[int, str]] = {}
        self.runs: list[Run] = []

    def _font(self, resources: Any, name: str) -> tuple[dict[int, str], bool]:
        font = resources.Font[name]
        key = font.objgen
        if key not in self.maps:
            self.maps[key] = _unicode_map(font)
        return self.maps[key], font.get("/Subtype") == "/Type0"

    def read(self, number: int, stream: Any, resources: Any,
             marks: list[tuple[str, Any]]) -> None:
        """Runs of one content stream; `marks` the marked content open around it."""
        fonts: list[tuple[dict[int, str], bool]] = [({}, False)]
        for instruction in pikepdf.parse_content_stream(stream):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self.runs.append(self._run(number, marks, "", image=True))
                continue
            operands, op = instruction.operands, str(instruction.operator)
            if op == "BDC":
                marks.append((str(operands[0]), operands[1]))
            elif op == "BMC":
                marks.append((str(operands[0]), None))
            elif op == "EMC":
                marks.pop()
            elif op == "q":
                fonts.append(fonts[-1])
            elif op == "Q":
                fonts.pop()
            elif op == "Tf":
                fonts[-1] = self._font(resources, str(operands[0]))
            elif op in ("Tj", "TJ", "'", '"'):
                cmap, two = fonts[-1]
                parts = operands[-1] if op == "TJ" else [operands[-1]]
                text = "".join(_decode(bytes(p), cmap, two) for p in parts
                               if isinstance(p, pikepdf.String))
                self.runs.append(self._run(number, marks, text))
            elif op in PAINTING:
                self.runs.append(self._run(number, marks, "", image=True))
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == "/Form":
                    self.read(number, xobject, xobject.get("/Resources", resources), marks)
                else:
                    self.runs.append(self._run(number, marks, "", image=True))

    @staticmethod
    def _run(number: int, marks: list[tuple[str, Any]], text: str, image: bool = False) -> Run:
        mcid, artifact, actual = None, None, None
        for tag, props in marks:
            if tag == "/Artifact":
                artifact = {str(k)[1:]: str(v) for k, v in props.items()} if props else {}
            elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                mcid = int(props.MCID)
                actual = str(props.ActualText) if "/ActualText" in props else None
        return Run(number, mcid, artifact, text, image, actual)


def _attrs(elem: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("/Lang", "/Alt", "/ID", "/T", "/ActualText", "/E"):
        if key in elem:
            out[key[1:]] = str(elem[key])
    attributes = elem.get("/A")
    for item in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
        if isinstance(item, pikepdf.Dictionary):
            for key, value in item.items():
                out[key[1:]] = str(value)[1:] if isinstance(value, pikepdf.Name) else value
    return out


def read(path: Path) -> Tagged:
    pdf = pikepdf.open(path)
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    reader = _Reader(pdf)
    annotations: list[Annotation] = []
    by_objgen: dict[tuple[int, int], Annotation] = {}
    for number, page in enumerate(pdf.pages):
        reader.read(number, page, page.obj.get("/Resources", pikepdf.Dictionary()), [])
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            target = str(action.URI) if action is not None and "/URI" in action else str(
                annot.get("/Dest", ""))
            parent = annot.get("/StructParent")
            made = Annotation(number, str(annot.Subtype), target,
                              str(annot.get("/Contents", "")),
                              int(parent) if parent is not None else None)
            annotations.append(made)
            by_objgen[annot.objgen] = made

    def node(elem: Any, parent: Node | None, default_page: int | None) -> Node:
        made = Node(str(elem.get("/S", "/?"))[1:], _attrs(elem), parent=parent)
        page_ref = elem.get("/Pg")
        page = pages.get(page_ref.objgen) if page_ref is not None else default_page
        kids = elem.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
            if isinstance(kid, int):
                assert page is not None, "an MCID without a page"
                made.kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                ref = kid.get("/Pg")
                on = pages[ref.objgen] if ref is not None else page
                assert on is not None, "an MCID without a page"
                made.kids.append((on, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                made.kids.append(by_objgen[kid.Obj.objgen])
            else:
                made.kids.append(node(kid, made, page))
        return made

    struct = pdf.Root.get("/StructTreeRoot")
    root = Node("StructTreeRoot", {})
    parent_tree: dict[int, int | None] = {}
    if struct is not None:
        kids = struct.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            root.kids.append(node(kid, root, None))
        nums: Any = struct.ParentTree.get("/Nums", [])
        parent_tree = {int(nums[i]): len(nums[i + 1]) if isinstance(nums[i + 1], pikepdf.Array)
                       else None for i in range(0, len(nums), 2)}
    text: dict[tuple[int, int], str] = {}
    for run in reader.runs:  # what a reader hears: the ActualText, where there is one
        if run.mcid is not None and run.artifact is None:
            key = (run.page, run.mcid)
            text[key] = run.actual if run.actual is not None else text.get(key, "") + run.text
    count = len(pdf.pages)
    pdf.close()
    return Tagged(root, reader.runs, annotations, text, parent_tree, count)


# --- what the tests compare ------------------------------------------------------------------

MARKER = re.compile(r"^[\s•◦▪‣\-–—,.()\divxlcdm]*$", re.I)  # a list marker or a note call
HYPHENS = "-\u2010\u2011\u00ad"


def normalise(text: str) -> str:
    """Text as the reading-order comparison sees it: NFKC, case-folded (text-transform), with
    no white space (a line's last space is not drawn), no hyphens (hyphenation adds them) and
    no format characters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in HYPHENS
                   and unicodedata.category(ch) != "Cf")


def generated(node: Node, tagged: Tagged) -> bool:
    """Text the HTML does not hold: a Span without Lang (::before, ::after), a label that is a
    list marker or a note call, and what a Figure's Alt stands for."""
    if node.role == "Span" and "Lang" not in node.attrs:
        return True
    if node.role == "Lbl" and MARKER.match(tagged.text_of(node)):
        return True
    return node.role == "Figure" and "Alt" in node.attrs


BOUNDARY = "\0"  # where one structure element ends or begins, in `reading_text(..., marked=True)`


def reading_text(tagged: Tagged, node: Node | None = None, marked: bool = False) -> str:
    """The document's text (or `node`'s) as a reader hears it: the structure tree walked in
    order, generated text left out; `marked`: each element's edges marked with BOUNDARY."""
    out: list[str] = []

    def walk(node: Node) -> None:
        if generated(node, tagged):
            return
        for kid in node.kids:
            if isinstance(kid, Node):
                out.append(BOUNDARY if marked else "")
                walk(kid)
                out.append(BOUNDARY if marked else "")
            elif isinstance(kid, tuple):
                out.append(tagged.text.get(kid, ""))

    walk(node or tagged.root)
    return "".join(out)


def word_starts(text: str) -> list[bool]:
    """For each character `normalise` keeps, whether white space (or a BOUNDARY) comes before
    it: where a reader hears a new word begin."""
    out: list[bool] = []
    space = True
    for ch in text:
        if ch.isspace() or ch == BOUNDARY:
            space = True
            continue
        kept = normalise(ch)
        out += [space] + [False] * (len(kept) - 1) if kept else []
        space = space and not kept
    return out


def shape(tagged: Tagged) -> list[tuple[int, str, tuple[tuple[str, str], ...], str]]:
    """Each element in tree order: its depth, role, attributes and the text it holds itself."""
    out = []

    def walk(node: Node, depth: int) -> None:
        own = "".join(tagged.text.get(k, "") for k in node.kids if isinstance(k, tuple))
        out.append((depth, node.role, tuple(sorted((k, str(v)) for k, v in node.attrs.items()
                                                   if k != "BBox")), own))
        for kid in node.kids:
            if isinstance(kid, Node):
                walk(kid, depth + 1)

    walk(tagged.root, 0)
    return out


def html_text(html: str) -> str:
    """The text of the HTML's body, in document order."""
    from lxml import html as lxml_html

    body = lxml_html.document_fromstring(html).find("body")
    return "".join(body.itertext()) if body is not None else ""


def first_difference(a: str, b: str, context: int = 60) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
              min(len(a), len(b)))
    return f"at {at}:\n  tree: …{a[max(0, at - context):at + context]}…\n  html: …" \
           f"{b[max(0, at - context):at + context]}…"


def problems(tagged: Tagged) -> list[str]:
    """What is wrong with the tree, for the project's own rules (validators check less): no
    untagged content, no content tagged inside an artifact, no orphan or doubly claimed MCID,
    every Link holding an annotation and none inside another, every link annotation in one
    Link, headings without skipped levels, lists and contents made of their items."""
    out: list[str] = []
    claimed = Counter(tagged.root.content())
    drawn = {(r.page, r.mcid) for r in tagged.runs if r.mcid is not None}
    for run in tagged.runs:
        where = f"page {run.page + 1}: {run.text[:40]!r}"
        if run.mcid is None and run.artifact is None and (run.text.strip() or run.image):
            out.append(f"{where} is neither tagged nor an artifact")
        if run.mcid is not None and run.artifact is not None:
            out.append(f"{where} is tagged inside an artifact")
    out += [f"page {p + 1}: MCID {m} is drawn but in no element" for p, m in sorted(drawn)
            if (p, m) not in claimed]
    out += [f"page {p + 1}: MCID {m} is claimed {n} times" for (p, m), n in claimed.items()
            if n > 1]
    out += [f"page {p + 1}: MCID {m} is claimed but never drawn" for p, m in claimed
            if (p, m) not in drawn]
    in_links: Counter[int] = Counter()
    level = 0
    for node in tagged.root.walk():
        kids = [kid for kid in node.kids if isinstance(kid, Node)]
        if node.role == "Link":
            annotations = [kid for kid in node.kids if isinstance(kid, Annotation)]
            in_links.update(id(a) for a in annotations)
            if not annotations:
                out.append(f"a Link without its annotation: {tagged.text_of(node)[:40]!r}")
            if any(a.role == "Link" for a in node.ancestors()):
                out.append(f"a Link inside a Link: {tagged.text_of(node)[:40]!r}")
        if re.fullmatch(r"H[1-6]", node.role):
            if int(node.role[1]) > level + 1:
                out.append(f"{node.role} after H{level}: {tagged.text_of(node)[:40]!r}")
            level = int(node.role[1])
        allowed = {"L": {"LI", "L", "Caption"}, "LI": {"Lbl", "LBody"},
                   "TOC": {"TOCI", "TOC", "Caption"}}.get(node.role)
        if allowed and ({kid.role for kid in kids} - allowed
                        or any(isinstance(kid, tuple) for kid in node.kids)):
            out.append(f"{node.role} holds {[kid.role for kid in kids]}")
        if node.role == "Note" and "ID" not in node.attrs:
            out.append(f"a Note without ID: {tagged.text_of(node)[:40]!r}")
    for annotation in tagged.annotations:
        if annotation.subtype == "/Link" and in_links[id(annotation)] != 1:
            out.append(f"page {annotation.page + 1}: the link to {annotation.target} is in "
                       f"{in_links[id(annotation)]} Link elements")
        if annotation.subtype == "/Link" and not annotation.contents:
            out.append(f"page {annotation.page + 1}: the link to {annotation.target} has no "
                       "Contents")
    return out


def outline(tagged: Tagged, page: int) -> str:
    """The tree as far as it holds content of `page` (from 0), one element a line with its
    attributes and the text it holds there; then the page's pagination artifacts."""
    lines: list[str] = []

    def walk(node: Node, depth: int) -> None:
        if node.role != "StructTreeRoot" and not any(p == page for p, _ in node.content()):
            return
        own = "".join(tagged.text.get(k, "") for k in node.kids
                      if isinstance(k, tuple) and k[0] == page)
        attrs = " ".join(f"{k}={v}" for k, v in node.attrs.items()
                         if k in ("Lang", "ID", "Alt", "Scope"))
        text = f" “{' '.join(own.split())[:60]}”" if own.strip() else ""
        lines.append(f"{'  ' * depth}{node.role}{' ' + attrs if attrs else ''}{text}")
        for kid in node.kids:
            if isinstance(kid, Node):
                walk(kid, depth + 1)

    for kid in tagged.root.kids:
        if isinstance(kid, Node):
            walk(kid, 0)
    lines += [f"Artifact {run.artifact.get('Subtype', run.artifact.get('Type', ''))[1:]} "
              f"“{run.text}”" for run in tagged.runs
              if run.page == page and run.artifact and run.artifact.get("Type") == "/Pagination"]
    return "\n".join(lines)
