"""Each family of CSL styles (note, author-date, numeric, superscript numeric) as citeproc-js
itself gives it: the citations in our HTML and the publications list's entries equal what
tests/cite/citeproc_reference.js (citeproc-js driven the Zotero way) gives for the same items
and citations, and a numbered list carries the numbers of the text, in the style's order."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from report.cite.engine import LOCALES, find_style
from report.document.model import BibEntry
from report.pipeline import Prepared, prepare
from report.problems import Location
from tests.conftest import ROOT, copy_project

# every citation of the whole real report, against citeproc-js's own run (`-m 'not slow'` skips)
pytestmark = pytest.mark.slow

REFERENCE = Path(__file__).with_name("citeproc_reference.js")


@pytest.mark.parametrize(("name", "style_class", "family", "superscript"), [
    ("chicago-notes-bibliography", "note", "note", False),
    ("apa", "in-text", "author-date", False),
    ("chicago-author-date", "in-text", "author-date", False),
    ("harvard-cite-them-right", "in-text", "author-date", False),
    ("modern-language-association", "in-text", "author", False),
    ("ieee", "in-text", "numeric", False),
    ("the-lancet", "in-text", "numeric", True),
    ("american-medical-association", "in-text", "numeric", True),
    ("nature", "in-text", "numeric", True),
])
def test_style_family_from_its_csl(name: str, style_class: str, family: str,
                                   superscript: bool) -> None:
    style = find_style(name, ROOT, Location("test"))
    assert (style.style_class, style.family, style.superscript) == (
        style_class, family, superscript)
    assert style.note is (family == "note")


def test_a_style_without_a_category_is_author_date(tmp_path: Path) -> None:
    xml = find_style("apa", ROOT, Location("test")).xml
    (tmp_path / "plain.csl").write_text(re.sub(r"<category citation-format=\"[^\"]+\"/>", "",
                                               xml), encoding="utf-8")
    style = find_style("plain.csl", tmp_path, Location("test"))
    assert style.citation_format == "" and style.family == "author-date"


# --- our output against citeproc-js's own -------------------------------------------------

def built(tmp_path: Path, style: str) -> Prepared:
    """The repository's report in another style, up to its HTML."""
    project = copy_project(tmp_path / style)
    report = project / "content" / "report.yaml"
    report.write_text(re.sub(r"(?m)^citation-style: .*$", f"citation-style: {style}",
                             report.read_text()))
    return prepare(project)


def reference(prepared: Prepared) -> dict[str, Any]:
    """citeproc-js, the Zotero way, on the raw sources.yaml entries, given the same citations
    (items, locators, note numbers) in the same order and the same uncited items."""
    items = []
    for entry in yaml.safe_load((ROOT / "sources.yaml").read_text()):
        item = {k: v for k, v in entry.items() if k != "further-reading"}
        items.append({k: str(v) if isinstance(v, int) else v for k, v in item.items()})
    clusters = [c for c, _ in prepared.checked.collected.clusters]
    cited = {i.key for c in clusters for i in c.items}
    uncited = [s.id for s in prepared.valid.sources if s.further_reading and s.id not in cited]
    style = find_style(prepared.valid.settings.citation_style, ROOT, Location("test"))
    payload = {"style": style.xml, "lang": "en-US",
               "locales": {"en-US": (LOCALES / "locales-en-US.xml").read_text()},
               "items": items, "uncited": uncited, "bibliography": True,
               "citations": [{"id": c.id, "noteIndex": c.note, "items": [i.csl() for i in c.items]}
                             for c in clusters]}
    done = subprocess.run(["node", str(REFERENCE)], input=json.dumps(payload),
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def span_body(html: str, start: str) -> str:
    """The inner HTML of the span that opens with `start` (spans may nest)."""
    at = html.index(start) + len(start)
    depth, pos = 1, at
    for tag in re.finditer(r"<(/?)span\b[^>]*>", html[at:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            pos = at + tag.start()
            break
    return html[at:pos]


def web_addresses_as_given(html: str) -> str:
    """Our HTML with web addresses as the processor gave them (the theme marks where they may
    break: report/render/html.py)."""
    return re.sub(r'<span class="url">(.*?)</span>', r"\1", html.replace("<wbr>", ""))


def unwrap_language(html: str) -> str:
    match = re.fullmatch(r'<span lang="[\w-]+">(.*)</span>', html, re.S)
    return match.group(1) if match else html


def entry_inner(html: str) -> str:
    return re.sub(r'^\s*<div class="csl-entry">(.*)</div>\s*$', r"\1", html, flags=re.S)


def number(html: str) -> str:
    """The first number printed: "[29, para. 1]" is number 29."""
    found = re.search(r"\d+", re.sub(r"<[^>]+>", "", html))
    return found.group() if found else ""


def entries(prepared: Prepared) -> list[BibEntry]:
    return [e for group in prepared.doc.bibliography for e in group.entries]


FAMILIES = [("chicago-notes-bibliography", "note"), ("apa", "author-date"),
            ("ieee", "numeric"), ("american-medical-association", "numeric")]


@pytest.mark.parametrize(("style", "family"), FAMILIES)
def test_citations_and_list_equal_citeproc_js(style: str, family: str, tmp_path: Path) -> None:
    prepared = built(tmp_path, style)
    theirs = reference(prepared)
    html, doc = web_addresses_as_given(prepared.html), prepared.doc
    assert doc.citation_family == family
    clusters = [c for c, _ in prepared.checked.collected.clusters]
    assert len(clusters) > 40
    for cluster in clusters:
        expected = theirs["citations"][cluster.id]
        if cluster.in_note:  # part of the note's sentence: without its final full stop, in
            # parentheses in a note style (as Pandoc prints a citation inside a note)
            inner = re.sub(r"\.([”’\"]?)$", r"\1", expected)
            assert (f"({inner})" if family == "note" else inner) in html, cluster.source
            continue
        kind = "footnote" if family == "note" else "citation"
        prefix = "note" if family == "note" else "cite"
        ours = span_body(html, f'<span class="{kind}" id="{prefix}-{cluster.id}">')
        assert unwrap_language(ours) == expected, cluster.source

    # the list: the style's own entries, equal to citeproc-js's (compared as HTML: citeproc-js's
    # entry_ids are positional, and shift when a style leaves an entry out)
    listed = [e for e in entries(prepared) if not e.note_form]
    reference_entries = [entry_inner(entry) for _, entry in theirs["bibliography"]]
    assert sorted(str(e.html) for e in listed) == sorted(reference_entries)
    assert all(str(e.html) in html for e in listed)
    if family == "note":  # grouped by kind, as before
        assert [g.title for g in doc.bibliography] == [
            "Books and reports", "Newspaper and magazine articles",
            "Official documents and resolutions", "Testimonies and other sources"]
        return
    # one list, in citeproc-js's order, without a heading
    assert [g.title for g in doc.bibliography] == [""]
    assert [str(e.html) for e in listed] == reference_entries
    assert "<h3>" not in html[html.index('id="publications"'):]
    if family == "numeric":  # numbered 1..N, with the numbers the text gives
        numbers = {e.id: number(re.search(r'csl-left-margin">(.*?)</div>', str(e.html)).group(1))
                   for e in listed}
        assert list(numbers.values()) == [str(n) for n in range(1, len(listed) + 1)]
        single = [c for c in clusters if len(c.items) == 1 and not c.in_note]
        assert single
        for cluster in single:
            cited = span_body(html, f'<span class="citation" id="cite-{cluster.id}">')
            assert number(cited) == numbers[cluster.items[0].key], cluster.source
        assert doc.bibliography[0].numbered
        assert '<div class="csl-bib-body numbered">' in html


def test_a_source_both_cited_and_further_reading_is_numbered_where_first_cited(
        tmp_path: Path) -> None:
    prepared = built(tmp_path, "ieee")
    first = prepared.checked.collected.clusters[0][0]  # the key facts' first figure
    source = next(s for s in prepared.valid.sources if s.id == first.items[0].key)
    assert source.further_reading  # kushen-1991: cited, and further reading
    assert span_body(prepared.html, f'<span class="citation" id="cite-{first.id}">') == "[1]"
    assert entries(prepared)[0].id == source.id
