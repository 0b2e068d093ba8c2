"""The real report, built and read back as a reader, an archive and a tool would read it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from report.document.inline import make_parser, parse
from tests.conftest import (
    ARTICLE,
    ROOT,
    found_in_order,
    pdftotext,
    words,
    words_past_the_text_block,
)

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)


def content_texts() -> list[str]:
    """Every text field of the shipped content, citations and markup removed."""
    texts = []
    report = yaml.safe_load((ROOT / "content" / "report.yaml").read_text())
    for fact in report["key-facts"]:
        texts += [fact["text"]] if "text" in fact else [
            f"{f['value']} ({f['attribution']})" for f in fact["figures"]]
    for path in sorted((ROOT / "content" / "sections").glob("*.yaml")):
        for block in yaml.safe_load(path.read_text())["blocks"]:
            if "paragraph" in block:
                texts.append(block["paragraph"])
            for kind in ("quote", "testimony"):
                if kind in block:
                    texts.append(block[kind]["text"])
            if "list" in block:
                texts += [item["text"] for item in block["list"]["items"]]
    clean = []
    for text in texts:
        text = re.sub(r"\s*\[[^\]]*@[^\]]*\]", "", text)       # citations
        text = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text)    # language spans
        clean.append(text)
    return clean


def test_every_sentence_of_the_content_is_in_the_pdf(built: dict[str, Path]) -> None:
    hay = " " + " ".join(words(pdftotext(built["pdf"]))) + " "
    missing = []
    for text in content_texts():
        for sentence in re.split(r"(?<=[.!?])[\"”»]?\s+(?=[A-Z\"“«'(\[])", text):
            if not found_in_order(words(sentence), hay):
                missing.append(sentence)
    assert missing == []


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the shared article is not beside the repo")
def test_the_source_article_is_all_there(built: dict[str, Path]) -> None:
    """Every sentence, list item and figure of the source article, by the project's own tool."""
    tool = ARTICLE.parent.parent / "tools" / "fidelity.py"
    hay = " " + " ".join(words(pdftotext(built["pdf"]))) + " "
    for line in ARTICLE.read_text().splitlines():
        line = line.strip().removeprefix("- ")
        if not line or line.startswith("=") or line == "Infobox":
            continue
        line = re.sub(r"^(Title|Partof|Location|Target|Date|Fatalities|Injuries): ", "", line)
        assert found_in_order(words(line.replace("З0", "30")), hay, max_gap=400), line
    if tool.is_file():
        import sys
        done = subprocess.run([sys.executable, str(tool), str(ARTICLE), str(built["pdf"]),
                               "--min", "1.0"], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout
        assert "(100.0%)" in done.stdout


def test_fonts_are_our_pinned_fonts_all_embedded(built: dict[str, Path]) -> None:
    lines = subprocess.run(["pdffonts", str(built["pdf"])], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        name, *_ = line.split()
        columns = line.split()
        emb, sub, uni = columns[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
        assert re.match(r"^[A-Z]{6}\+Report-", name), f"a font not ours: {line}"


def test_qpdf_finds_no_fault(built: dict[str, Path]) -> None:
    done = subprocess.run(["qpdf", "--check", str(built["pdf"])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


def test_armenian_and_russian_come_out_intact(built: dict[str, Path]) -> None:
    text = pdftotext(built["pdf"])
    assert "Բաքվի ջարդեր" in text
    assert "Огонёк" in text
    html = built["html"].read_text()
    assert '<span lang="hy">Բաքվի ջարդեր</span>' in html
    assert re.search(r'lang="ru"[^>]*>[^<]*Головков', html)


def test_metadata(built: dict[str, Path]) -> None:
    reader = PdfReader(built["pdf"])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Baku pogrom: Anti-Armenian violence in Baku, January 1990"
    assert meta.author == "Wikipedia contributors"
    assert meta.subject and meta.subject.startswith("The Baku pogrom was a pogrom")
    assert "Black January" in (meta.get("/Keywords") or "")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert meta.get("/CreationDate") == "D:20261123000000Z"  # the report's date, not the clock


def test_a_bookmark_for_every_section_and_appendix(built: dict[str, Path]) -> None:
    reader = PdfReader(built["pdf"])
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    sections = [yaml.safe_load(p.read_text())["title"]
                for p in sorted((ROOT / "content" / "sections").glob("*.yaml"))]
    assert top == ["Contents", "Key facts",
                   *[f"{n} {t}" for n, t in enumerate(sections, start=1)],
                   "Chronology", "Publications list", "Colophon"]


def test_page_numbers_running_heads_and_a4(built: dict[str, Path]) -> None:
    reader = PdfReader(built["pdf"])
    count = len(reader.pages)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    labels = reader.page_labels  # front matter i, ii; the body from 1 (report/layout/finishers.py)
    assert labels[:3] == ["i", "ii", "1"]
    last = labels[-1]
    assert last == str(count - 2)
    for number in range(2, count + 1):
        text = pdftotext(built["pdf"], number, number)
        label = labels[number - 1]
        folio = f"Page {label}" if not label.isdigit() else f"Page {label} of {last}"
        assert re.search(rf"^{folio}$", text, re.M), f"folio ≠ page label {label}"
        assert "Briefing · Baku pogrom" in text
    assert "The pogrom" in pdftotext(built["pdf"], 4, 4).splitlines()[0]


def test_html_contract(built: dict[str, Path]) -> None:
    html = built["html"].read_text()
    for name in ("contents", "chronology", "publications"):
        assert f'id="{name}"' in html
    md = make_parser()
    clusters = sum(len(parse(md, text).clusters) for text in _raw_texts())
    assert html.count('class="footnote"') == clusters > 40


def _raw_texts() -> list[str]:
    out = []
    report = yaml.safe_load((ROOT / "content" / "report.yaml").read_text())
    for fact in report["key-facts"]:
        out += [f.get("cite") or "" for f in fact.get("figures", [])] + [fact.get("text", "")]
    for path in sorted((ROOT / "content" / "sections").glob("*.yaml")):
        for block in yaml.safe_load(path.read_text())["blocks"]:
            out.append(block.get("paragraph", ""))
            for kind in ("quote", "testimony"):
                if kind in block:
                    out += [block[kind]["text"], block[kind].get("cite") or ""]
            out += [i["text"] for i in block.get("list", {}).get("items", [])]
            for event in block.get("events", []):
                out += [event["text"], event.get("cite") or ""]
    return out


def test_chronology_is_ordered_cited_and_points_at_its_pages(built: dict[str, Path]) -> None:
    html = built["html"].read_text()
    chronology = html[html.index('id="chronology"'):html.index('id="publications"')]
    events = re.findall(r'<div class="event" id="[^"]+" data-edtf="([^"]+)">(.*?)</div>',
                        chronology, re.S)
    assert len(events) >= 25
    from report.document.chronology import parse as parse_date
    starts = [parse_date(edtf).start for edtf, _ in events]
    assert starts == sorted(starts)
    assert all('class="footnote"' in body for _, body in events), "an event without a source"
    anchors = re.findall(r'<a class="page-ref" href="#([^"]+)"', chronology)
    assert len(anchors) == len(events)

    reader = PdfReader(built["pdf"])
    destinations = reader.named_destinations
    first = next(i for i, p in enumerate(reader.pages) if "Dated events stated" in
                 (p.extract_text() or ""))
    last = next(i for i, p in enumerate(reader.pages) if "Publications list" in
                (p.extract_text() or "").split("\n")[0:3].__str__() and i > first)
    text = pdftotext(built["pdf"], first + 1, last)
    printed = re.findall(r"→\s*p\.\s*(\d+)", text)
    assert printed == [reader.page_labels[reader.get_destination_page_number(destinations[a])]
                       for a in anchors]


def test_colophon_credits_the_source_and_licence(built: dict[str, Path]) -> None:
    text = " ".join(pdftotext(built["pdf"]).split())
    assert "adapted from the Wikipedia article “Baku pogrom”" in text
    assert "CC BY-SA 4.0" in text
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in text.replace("// ", "//")
    assert "“З0” → “30”" in text  # the one correction of the source, recorded


def test_publications_list_cites_back_the_right_pages(built: dict[str, Path]) -> None:
    reader = PdfReader(built["pdf"])
    destinations = reader.named_destinations
    start = next(i for i, p in enumerate(reader.pages)
                 if (p.extract_text() or "").lstrip().startswith("Publications list"))
    printed: list[str] = []
    linked: list[str] = []
    for index in range(start, len(reader.pages)):
        text = " ".join(pdftotext(built["pdf"], index + 1, index + 1).split())
        for group in re.findall(r"Cited on pp?\. ([\divx, ]+)\.", text):
            printed += [n.strip() for n in group.split(",")]
        annots = [a.get_object() for a in reader.pages[index].get("/Annots", [])]
        links = [a for a in annots if str(a.get("/Dest", "")).startswith("note-")]
        links.sort(key=lambda a: (-float(a["/Rect"][1]), float(a["/Rect"][0])))
        linked += [reader.page_labels[reader.get_destination_page_number(
                   destinations[str(a["/Dest"])])] for a in links]
    assert len(printed) > 40
    assert printed == linked
    # every source cited in the body says where; further reading says so
    html = built["html"].read_text()
    assert html.count("Further reading.") == 8


def test_notes_are_numbered_and_formatted_in_printed_order(built: dict[str, Path]) -> None:
    """The CSL processor chooses full, short and "ibid." forms by note order, so its order
    must be the printed one, chronology (sorted by date) included."""
    html = built["html"].read_text()
    numbers = [int(n) for n in re.findall(r'<span class="footnote" id="note-[cn](\d+)"', html)]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers))
    plain = re.sub(r'<span class="url">(.*?)</span>', r"\1", html.replace("<wbr>", ""))
    notes = re.findall(r'<span class="footnote" id="note-c\d+">(.*?)</span>', plain)
    wikipedia = [n for n in notes if "Baku pogrom" in n and "Wikipedia" in n]
    assert "https://en.wikipedia.org/wiki/Baku_pogrom" in wikipedia[0]  # the first: full
    assert all("https://" not in n for n in wikipedia[1:])  # then short


def test_no_word_reaches_into_the_margins(built: dict[str, Path]) -> None:
    """Every word of every page, notes, web addresses and the publications list included,
    stays within the text block (the theme's margins: 24 mm left, 22 mm right, A4)."""
    assert words_past_the_text_block(built["pdf"], 24, 22, 595.28) == []
