"""A report laid out in parts, in parallel and cached (report/layout/parts.py), against the
same report laid out as one document: the same pages, page numbers, contents, back-references,
links, bookmarks and footnote numbers. Pages are compared as pixels, so a difference anywhere
on a page (a folio, a running head, a note number, a line break) fails."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from bench import synthetic
from report.layout import folios, parts
from report.layout import workers as partlayout
from report.pipeline import Timings, build
from report.project.options import BuildOptions
from tests.conftest import ROOT, copy_project, pdftotext

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)

# ---------------------------------------------------------------- splitting, unit by unit

HEAD = "<html><head><style>p {}</style></head><body data-running-title=\"T\">"
TOY = (HEAD + '<section class="cover">c</section><!--report:part-->'
       '<main class="notes-continuous sections-new-page"><section class="chapter">one'
       '<span class="footnote">n1</span></section><!--report:part main-->'
       '<section class="chapter">two<span class="footnote">n2</span></section></main>'
       '<!--report:part--><section class="appendix">back</section></body></html>')


def test_split_at_the_markers_reopening_main_inside_it() -> None:
    split = parts.split(TOY)
    assert split is not None
    head, tail, found = split
    assert head.endswith('<body data-running-title="T">') and tail == "</body></html>"
    assert [p.kind for p in found] == ["front", "body", "body", "back"]
    assert found[1].html.endswith("</main>") and not found[1].continues
    assert found[2].html.startswith('<main class="notes-continuous sections-new-page">')
    assert found[2].continues and found[2].html.endswith("</main>")
    assert parts.split("<html><body><p>no markers</p></body></html>") is None


def test_chunks_are_whole_documents_told_what_counts_across() -> None:
    made = parts.chunks(TOY, "/*x*/", limit=1)
    assert made is not None
    assert [c.lead for c in made] == [0, 1, 1, 1]
    assert [c.first_note for c in made] == [0, 0, 1, 2]
    assert "counter-reset: footnote 2" in made[3].html
    assert all(c.html.count("<style>") == 2 and "/*x*/" in c.html for c in made)
    assert made[2].html.count("<main") == 1 and made[2].continues
    # a generous limit joins the two body parts, and the <main> closed between them
    joined = parts.chunks(TOY, "")
    assert joined is not None and len(joined) == 3
    assert joined[1].html.count("<main") == 1 and "two" in joined[1].html
    assert made[1].key != parts.chunks(TOY.replace("one", "ONE"), "/*x*/", limit=1)[1].key


def test_folio_boxes_are_those_that_count_pages() -> None:
    html = (ROOT / "report" / "render" / "theme" / "report.css").read_text()
    found = folios.analyse(f"<html><head><style>{html}</style></head><body></body></html>")
    assert found is not None and found.boxes == {"bottom-center"}
    assert "@bottom-center { content: none !important; }" in found.part_css()
    assert "@top-left { content: none !important; }" in found.overlay_css()
    mixed = "@page { @top-right { content: string(chapter) ' ' counter(page); } }"
    assert folios.analyse(f"<html><head><style>{mixed}</style></head><body>") is None
    sides = "@page :left { margin-left: 3cm; }"
    assert folios.analyse(f"<html><head><style>{sides}</style></head><body>") is None


def test_the_folio_pass_keeps_page_names_and_groups() -> None:
    html = folios.overlay_html(HEAD, "</body></html>", [
        ("cover", [("cover", True)]), ("front", [("front", True)]),
        ("front", [("front", False)]), ("body", [("body", True)]),
        ("body", [("body", False)]), ("", [])], folios.Folios(frozenset({"bottom-center"})))
    body = html[html.index("<body"):]
    assert body.count("page: body") == 1 and body.count("page: front") == 1
    assert body.count("break-before: page") == 5


def test_the_folio_pass_nests_page_groups_as_the_report_does() -> None:
    """A landscape table's pages inside the body: the body's group goes on after them, so
    `@page :nth(1 of body)` (where the theme starts counting) matches its first page only."""
    from weasyprint import HTML

    from report.engines.weasyprint import page_type

    sequence: list[tuple[str, folios.Levels]] = [
        ("front", [("front", True)]),
        ("front", []),  # named, in no group WeasyPrint kept: it goes on in the one open
        ("body", [("body", True)]),
        ("wide", [("body", False), ("wide", True)]),
        ("wide", [("body", False), ("wide", False)]),
        ("body", [("body", False)]),
        ("wide", [("body", False), ("wide", True)]),
        ("body", [("body", False)]),
        ("back", [("back", True)]),
    ]
    head = ("<html><head><style>@page wide { size: A4 landscape } "
            "@page :nth(1 of body) { counter-set: page 1 } "
            "@page { @bottom-center { content: counter(page) } }</style></head><body>")
    html = folios.overlay_html(head, "</body></html>", sequence,
                               folios.Folios(frozenset({"bottom-center"})))
    pages = HTML(string=html).render().pages
    types = [page_type(page) for page in pages]
    assert [t.name for t in types] == [name for name, _ in sequence]
    assert [[name for name, _ in t.groups] for t in types] == [
        [name for name, _ in levels] or [name] for name, levels in sequence]
    # a group begins exactly where the sequence says
    assert [[index == 0 for _, index in t.groups] for t in types] == [
        [starts for _, starts in levels] or [False] for _, levels in sequence]
    assert [p.width > p.height for p in pages] == [n == "wide" for n, _ in sequence]

# ---------------------------------------------------------------- the same PDF, in parts


def render(pdf: Path, out: Path) -> list[bytes]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(out / "p")], check=True)
    return [path.read_bytes() for path in sorted(out.glob("p-*.png"))]


def structure(pdf: Path) -> dict[str, Any]:
    """What a reader navigates by: labels, bookmarks, destinations and links, by page index."""
    with pikepdf.open(pdf) as doc:
        index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
        flat = list(doc.Root.Names.Dests.Names)
        dests = {str(k): index[v[0].objgen] for k, v in zip(flat[::2], flat[1::2], strict=True)}
        marks: list[tuple[int, str, int]] = []

        def walk(items: Any, level: int) -> None:
            for item in items:
                marks.append((level, item.title, index[item.destination[0].objgen]))
                walk(item.children, level + 1)

        with doc.open_outline() as outline:
            walk(outline.root, 1)
        links = []
        for number, page in enumerate(doc.pages):
            for annot in page.get("/Annots", []):
                target = (dests[str(annot.Dest)] if "/Dest" in annot
                          else str(annot.A.URI))
                links.append((number, [round(float(x)) for x in annot.Rect], target))
    return {"labels": PdfReader(pdf).page_labels, "outline": marks, "dests": dests,
            "links": links, "text": pdftotext(pdf)}


def assert_same(parted: Path, whole: Path, tmp: Path) -> None:
    a, b = structure(parted), structure(whole)
    for key in ("labels", "outline", "dests", "links", "text"):
        assert a[key] == b[key], key
    pixels_a, pixels_b = render(parted, tmp / "a"), render(whole, tmp / "b")
    assert len(pixels_a) == len(pixels_b)
    assert [n for n, (x, y) in enumerate(zip(pixels_a, pixels_b, strict=True)) if x != y] == []


def both(project: Path) -> tuple[Path, Path, Timings]:
    timings = Timings()
    build(project, project / "build" / "parts.pdf", timings)
    build(project, project / "build" / "whole.pdf", options=BuildOptions(layout="whole"))
    return project / "build" / "parts.pdf", project / "build" / "whole.pdf", timings


def test_the_real_report_in_parts_is_the_whole_document(tmp_path: Path) -> None:
    parted, whole, timings = both(copy_project(tmp_path / "p"))
    assert timings.parts["chunks"] == 3  # front matter, body, appendices
    # a first build: the body prints no page number, so only the contents and the appendices
    # (pages of chronology entries, "cited on pp.") are laid out again once the pages are known
    assert timings.parts["laid"] == 5
    assert_same(parted, whole, tmp_path)


def dossier(dest: Path, copies: int, **settings: str) -> Path:
    made = synthetic.generate(ROOT, dest, copies)
    path = made.root / "content" / "report.yaml"
    data = yaml.safe_load(path.read_text())
    data.update({"sections": "new-page", **settings})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return made.root


@pytest.mark.parametrize("settings", [
    {"footnotes": "per-section"},
    {"citation-style": "apa"},  # author-date: the publications list points at citations
])
def test_a_dossier_in_many_parts_is_the_whole_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str]) -> None:
    monkeypatch.setattr(parts, "CHUNK_BYTES", 20_000)  # many small parts, several per kind
    parted, whole, timings = both(dossier(tmp_path / "p", 3, **settings))
    assert timings.parts["chunks"] >= 6
    assert_same(parted, whole, tmp_path)


def test_an_edit_lays_out_again_only_the_part_it_touched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "CHUNK_BYTES", 20_000)
    project = dossier(tmp_path / "p", 3)
    output = project / "build" / "report.pdf"
    build(project, output)
    again = Timings()
    build(project, output, again)
    assert again.parts["laid"] == 0  # nothing changed: every part from the cache
    synthetic.edit_paragraph(project, 1)
    edited = Timings()
    build(project, output, edited)
    assert edited.parts["laid"] == 1 < edited.parts["chunks"]
    # every part laid out again, the folio pass started early on the last build's pages
    shutil.rmtree(partlayout.cache_dir(project))
    build(project, output)
    build(project, project / "build" / "whole.pdf", options=BuildOptions(layout="whole"))
    assert_same(output, project / "build" / "whole.pdf", tmp_path)


def test_styles_the_parts_cannot_follow_lay_the_report_out_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapters that no longer start a page, though the template marks them: the probes find
    it, and those chapters are laid out with the ones before them, as in the whole report."""
    monkeypatch.setattr(parts, "CHUNK_BYTES", 10_000)
    project = dossier(tmp_path / "p", 1)
    (project / "styles" / "zz-run-on.css").write_text(
        "main.sections-new-page > .chapter:not(:first-child) { break-before: auto; }")
    parted, whole, timings = both(project)
    assert timings.parts["joined"] >= 1  # chapters laid out with the ones before them
    assert_same(parted, whole, tmp_path)


@pytest.mark.slow
def test_a_front_matter_of_several_pages_is_still_laid_out_in_parts(tmp_path: Path) -> None:
    """Regression: the key facts pushed to a page of their own after a long contents sit in
    no page group WeasyPrint keeps; the folio pass gave other pages back, and every such
    report was silently laid out whole (a 500-page one took three times as long)."""
    from bench import synthetic
    from report.pipeline import build
    from report.timings import Timings

    project = tmp_path / "p50"
    synthetic.generate_pages(ROOT, project, 50)
    timings = Timings()
    out = project / "build" / "report.pdf"
    build(project, out, timings)
    assert "whole" not in timings.parts and timings.parts["chunks"] >= 3, timings.parts
    contents, facts = (pdftotext(out, n, n) for n in (2, 3))
    assert "Contents" in contents and "Page ii" in contents
    assert "Key facts" in facts and "Page iii" in facts


@pytest.mark.slow
def test_a_first_build_takes_two_rounds(tmp_path: Path) -> None:
    """The first round is laid out with page numbers guessed from the HTML
    (report/layout/estimate.py): laid out with none, a dossier of this length had a chronology
    two pages short, and its publications list and contents were laid out a third time."""
    project = synthetic.generate(ROOT, tmp_path / "p", 8).root
    timings = Timings()
    build(project, project / "build" / "report.pdf", timings)
    assert timings.parts["rounds"] == 2, timings.parts
    # the body's chunks print no page number: laid out once
    assert timings.parts["laid"] < 2 * timings.parts["chunks"] - 2, timings.parts


def test_a_first_build_draws_its_folios_while_its_last_round_is_laid_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folio pass starts on the first round's pages, and is the one joined: a first
    build's last round seldom moves a page."""
    project = copy_project(tmp_path / "p")
    events: list[str] = []
    run, job = partlayout.run, partlayout.folio_job
    monkeypatch.setattr(partlayout, "run", lambda *a, **k: events.append("round") or run(*a, **k))
    monkeypatch.setattr(partlayout, "folio_job",
                        lambda *a, **k: events.append("folios") or job(*a, **k))
    build(project, project / "build" / "report.pdf")
    assert events == ["round", "folios", "round"]


@pytest.mark.parametrize("keep_below", [partlayout.KEEP_BELOW_MB, 0])
def test_a_worker_lays_out_chunk_after_chunk_until_it_has_grown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_below: int) -> None:
    """Warm workers: a fresh one pays for WeasyPrint's first use (fonts, hyphenation, C
    declarations) again. One that has grown past KEEP_BELOW_MB is given nothing more; all do,
    at a limit of 0."""
    monkeypatch.setattr(parts, "CHUNK_BYTES", 20_000)
    monkeypatch.setattr(partlayout, "KEEP_BELOW_MB", keep_below)
    started = []
    start = partlayout._start_worker
    monkeypatch.setattr(partlayout, "_start_worker", lambda: started.append(1) or start())
    project = dossier(tmp_path / "p", 3)
    timings = Timings()
    build(project, project / "build" / "report.pdf", timings)
    if keep_below:
        assert len(started) <= 2 < timings.parts["laid"]  # two cores: two workers in all
    else:
        assert len(started) == timings.parts["laid"]
