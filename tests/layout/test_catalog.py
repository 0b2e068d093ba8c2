"""The catalog's language, viewer settings and page labels: decided once
(report/layout/catalog.py), and the same whichever library writes them: pydyf (a report
written whole, report/layout/finishers.py), pikepdf (a report joined from its parts,
report/layout/merge.py) and pypdf (a briefing packet, report/tools/packet.py)."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pikepdf
import pydyf
import pytest
from pypdf import PdfReader, PdfWriter

from report.layout import catalog, finishers, merge
from report.layout.catalog import Name
from report.tools.packet import assemble
from tests.conftest import numbered_pdf

KEYS = ("Lang", "PageMode", "ViewerPreferences", "PageLabels")


# ------------------------------------------------------------------------- the decision

def test_a_report_numbers_its_front_matter_in_roman_and_its_body_from_1() -> None:
    assert catalog.body_ranges(0) == [(0, "D", "", 1)]
    assert catalog.body_ranges(3) == [(0, "r", "", 1), (3, "D", "", 1)]


def test_the_entries_of_a_report() -> None:
    values = catalog.entries("hy", catalog.body_ranges(2))
    assert list(values) == list(KEYS)  # the order they are written in
    assert values == {"Lang": "hy", "PageMode": "UseOutlines",
                      "ViewerPreferences": {"DisplayDocTitle": True},
                      "PageLabels": {"Nums": [0, {"S": "r"}, 2, {"S": "D"}]}}
    assert isinstance(values["PageMode"], Name) and not isinstance(values["Lang"], Name)


def test_the_entries_of_a_packet_ready_for_duplex() -> None:
    values = catalog.entries("en", [(0, "r", "", 1), (2, None, "A", 1), (4, "D", "A-", 1),
                                    (9, "D", "B-", 3)], duplex=True)
    assert values["ViewerPreferences"] == {"DisplayDocTitle": True,
                                           "Duplex": "DuplexFlipLongEdge",
                                           "PrintScaling": "None"}
    assert values["PageLabels"] == {"Nums": [0, {"S": "r"}, 2, {"P": "A"},
                                             4, {"S": "D", "P": "A-"},
                                             9, {"S": "D", "P": "B-", "St": 3}]}


@pytest.mark.parametrize("ranges", [[], [(1, "D", "", 1)], [(0, "D", "", 1), (0, "r", "", 1)],
                                    [(0, "D", "", 1), (3, "r", "", 1), (2, "D", "", 1)],
                                    [(0, "x", "", 1)], [(0, "D", "", 0)]])
def test_ranges_that_are_no_number_tree_are_refused(ranges: list[Any]) -> None:
    with pytest.raises(ValueError):
        catalog.entries("en", ranges)


# ------------------------------------------------------ the same, whichever library writes

def _typed(value: Any) -> Any:
    """Entries, or a catalog read back with pikepdf, as comparable data that keeps a name
    apart from a string."""
    if isinstance(value, pikepdf.Dictionary | dict):
        return {str(k).lstrip("/"): _typed(v) for k, v in value.items()}
    if isinstance(value, pikepdf.Array | list):
        return [_typed(v) for v in value]
    if isinstance(value, pikepdf.Name):
        return ("name", str(value)[1:])
    if isinstance(value, Name):
        return ("name", str(value))
    if isinstance(value, pikepdf.String | str):
        return ("string", str(value))
    return (type(value).__name__, value)


def _catalog(pdf: Path | bytes) -> dict[str, Any]:
    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as doc:
        return {key: _typed(doc.Root[f"/{key}"]) for key in KEYS}


def _labels(pdf: Path | bytes) -> list[str]:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).page_labels


def _pydyf(pages: int, values: dict[str, Any]) -> bytes:
    pdf = pydyf.PDF()
    for _ in range(pages):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference,
                                       "MediaBox": pydyf.Array([0, 0, 200, 200])}))
    catalog.write_pydyf(pdf.catalog, values)
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


def _pikepdf(pages: int, values: dict[str, Any]) -> bytes:
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page(page_size=(200, 200))
        catalog.write_pikepdf(pdf.Root, values)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _pypdf(pages: int, values: dict[str, Any]) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    catalog.write_pypdf(writer, values)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_writer_writes_the_same_catalog() -> None:
    values = catalog.entries("de-CH", [(0, "r", "", 1), (2, "R", "", 4), (3, None, "Cover", 1),
                                       (4, "a", "x-", 1), (6, "A", "", 27), (7, "D", "§ ", 10)],
                             duplex=True)
    written = {name: write(9, values) for name, write in
               (("pydyf", _pydyf), ("pikepdf", _pikepdf), ("pypdf", _pypdf))}
    for name, pdf in written.items():
        assert _catalog(pdf) == _typed(values), name
        assert _labels(pdf) == ["i", "ii", "IV", "Cover", "x-a", "x-b", "AA", "§ 10", "§ 11"], name


def test_a_report_written_whole_joined_from_parts_or_bound_in_a_packet(tmp_path: Path) -> None:
    """The three places that write these entries, each on a small PDF: the finisher of a
    report written whole (its body from page index 2), the join of a report's parts, and a
    packet binding members (a cover, then the members after their tab letters)."""
    document = SimpleNamespace(pages=[SimpleNamespace(anchors={}) for _ in range(5)])
    document.pages[2].anchors = {"overview": (0, 0)}
    whole = pydyf.PDF()
    for _ in range(5):
        whole.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": whole.pages.reference,
                                         "MediaBox": pydyf.Array([0, 0, 200, 200])}))
    finishers.catalog("en", "overview")(document, whole)
    out = io.BytesIO()
    whole.write(out)

    pieces = []
    for name, count in (("one", 3), ("two", 2)):
        with pikepdf.new() as part:
            for _ in range(count):
                part.add_blank_page(page_size=(200, 200))
            part.save(tmp_path / f"{name}.pdf")
        pieces.append(merge.Piece(tmp_path / f"{name}.pdf", frozenset()))
    merge.merge(pieces, tmp_path / "joined.pdf", overlay=None, body_start=2, language="en",
                tagged=False)  # blank parts, without structure trees to join

    numbered_pdf(tmp_path / "a.pdf", 3)
    numbered_pdf(tmp_path / "b.pdf", 2)
    (tmp_path / "packet.yaml").write_text("title: P\ndate: 2026-01-02\nlanguage: en\n"
                                          "members:\n  - pdf: joined.pdf\n  - pdf: a.pdf\n"
                                          "  - pdf: b.pdf\n", encoding="utf-8")
    assemble(tmp_path / "packet.yaml", tmp_path / "packet.pdf")

    report = catalog.entries("en", catalog.body_ranges(2))
    assert _catalog(out.getvalue()) == _catalog(tmp_path / "joined.pdf") == _typed(report)
    assert _labels(out.getvalue()) == _labels(tmp_path / "joined.pdf") \
        == ["i", "ii", "1", "2", "3"]
    packet = _catalog(tmp_path / "packet.pdf")
    duplex = catalog.entries("en", [(0, "D", "", 1)], duplex=True)
    assert {key: packet[key] for key in KEYS[:2]} == {key: _typed(report[key])
                                                      for key in KEYS[:2]}
    assert packet["ViewerPreferences"] == _typed(duplex["ViewerPreferences"])
    # the cover (one page and its blank), then each member padded to an even length
    assert _labels(tmp_path / "packet.pdf") == [
        "i", "ii", "A-i", "A-ii", "A-1", "A-2", "A-3", "A-4",
        "B-1", "B-2", "B-3", "B-4", "C-1", "C-2"]
