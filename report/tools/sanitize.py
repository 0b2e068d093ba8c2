"""Everything in a PDF from elsewhere that could act on the reader's machine, removed: actions
run on opening or by a link (JavaScript, Launch, file: and other non-web links, form
submission), attachments, media and XFA forms. Links to the web (http, https, mailto) and
inside the document (GoTo, Named) stay. Used by `report packet` on each member.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pikepdf

from report.editions.extract import name_tree

WEB = ("http", "https", "mailto")  # the only link targets kept, with GoTo and Named actions
MEDIA = {"/FileAttachment": "attachment", "/RichMedia": "RichMedia annotation",
         "/Movie": "Movie annotation", "/Sound": "Sound annotation",
         "/Screen": "Screen annotation", "/3D": "3D annotation"}


def strip_active(pdf: pikepdf.Pdf) -> Counter[str]:
    """Remove every action, attachment and media that could act on the reader's machine;
    what was removed, by kind. Links to the web and inside the document stay."""
    removed: Counter[str] = Counter()
    root = pdf.Root
    if not isinstance(root, pikepdf.Dictionary):  # qpdf opens no PDF without one
        return removed
    if isinstance(root.get("/OpenAction"), pikepdf.Dictionary) \
            and not _keep(root.OpenAction, removed):
        del root["/OpenAction"]
    names = root.get("/Names")
    for key, kind in (("/JavaScript", "JavaScript action"), ("/EmbeddedFiles", "attachment")):
        if isinstance(names, pikepdf.Dictionary) and key in names:
            try:
                removed[kind] += sum(1 for _ in name_tree(names[key], set()))
            except ValueError:  # damaged: it goes all the same
                removed[kind] += 1
            del names[key]
    if "/AF" in root:  # mostly the files of /EmbeddedFiles, counted there
        removed["attachment"] = removed["attachment"] or _count(root.AF)
        del root["/AF"]
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        if "/XFA" in form:
            removed["XFA form"] += 1
            del form["/XFA"]
        for node in _nodes([form.get("/Fields")], ("/Kids",)):
            _drop_automatic(node, removed)
    _drop_automatic(root, removed)
    for page in pdf.pages:
        _strip_page(page.obj, removed)
    for item in _nodes([root.get("/Outlines")], ("/First", "/Next")):
        if "/A" in item and not _keep(item.A, removed):
            del item["/A"]
    return removed


def _strip_page(page: pikepdf.Dictionary, removed: Counter[str]) -> None:
    _drop_automatic(page, removed)
    if "/AF" in page:
        removed["attachment"] += _count(page.AF)
        del page["/AF"]
    annots = page.get("/Annots")
    if annots is None:
        return
    kept = []
    for annot in annots if isinstance(annots, pikepdf.Array) else []:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        kind = MEDIA.get(str(annot.get("/Subtype", "")))
        if kind:
            removed[kind] += 1
            continue
        _drop_automatic(annot, removed)
        if "/A" in annot and not _keep(annot.A, removed):
            del annot["/A"]
            if annot.get("/Subtype") == pikepdf.Name.Link:
                continue  # a link to nowhere
        kept.append(annot)
    page.Annots = pikepdf.Array(kept)


def _count(files: object) -> int:
    return len(files) if isinstance(files, pikepdf.Array) else 1


def _unsafe(action: pikepdf.Dictionary) -> str | None:
    """What kind of action this is, for the log, when it may not stay; else None."""
    kind = str(action.get("/S", "/unknown"))[1:]
    if kind != "URI":
        return None if kind in ("GoTo", "Named") else f"{kind} action"
    uri = str(action.get("/URI", ""))
    scheme = uri.split(":", 1)[0].strip().lower() if ":" in uri else ""
    if scheme in WEB:
        return None
    return f"{scheme}: link" if scheme.isalnum() else "link to a relative or odd address"


def _keep(action: object, removed: Counter[str], depth: int = 0) -> bool:
    """Whether an action may stay; those it chains (/Next) are checked the same way."""
    if depth > 16 or not isinstance(action, pikepdf.Dictionary):
        removed["damaged action"] += 1
        return False
    chained = action.get("/Next")
    if chained is not None:
        chain = list(chained) if isinstance(chained, pikepdf.Array) else [chained]
        kept = [a for a in chain if _keep(a, removed, depth + 1)]
        if not kept:
            del action["/Next"]
        elif len(kept) < len(chain):
            action.Next = pikepdf.Array(kept)
    why = _unsafe(action)
    if why:
        removed[why] += 1
    return why is None


def _drop_automatic(holder: pikepdf.Dictionary, removed: Counter[str]) -> None:
    """/AA: actions run on opening, closing, printing, a page shown, a field left..."""
    automatic = holder.get("/AA")
    if automatic is None:
        return
    actions = automatic.values() if isinstance(automatic, pikepdf.Dictionary) else [automatic]
    for action in actions:
        why = _unsafe(action) if isinstance(action, pikepdf.Dictionary) else "damaged action"
        removed[why or "automatic action"] += 1
    del holder["/AA"]


def _nodes(start: Iterable[object], links: tuple[str, ...]) -> Iterator[pikepdf.Dictionary]:
    """The dictionaries reached from `start` through `links` (and arrays), each once."""
    stack, seen = list(start), set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
            if node.is_indirect:
                seen.add(node.objgen)
            yield node
            stack.extend(node[key] for key in links if key in node)
