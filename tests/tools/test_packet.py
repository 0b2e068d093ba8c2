"""Briefing packets: the cover's contents, duplex-ready starts, separator sheets, bookmarks
nested per member, page labels per member, links kept inside their own member."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.cli import main
from report.problems import ReportError
from report.tools.packet import assemble, tab
from tests.conftest import numbered_pdf

PACKET = """\
title: South Caucasus, 1988–1990
subtitle: Papers for the hearing
date: 2026-11-30
prepared-for: the Committee on Foreign Affairs
separators: {separators}
members:
  - pdf: report.pdf
  - pdf: annex.pdf
    title: Annex of numbered pages
  - pdf: report.pdf
    title: The same report again
"""


def make_packet(folder: Path, report: Path, separators: bool) -> Path:
    folder.mkdir(exist_ok=True)
    shutil.copy(report, folder / "report.pdf")
    numbered_pdf(folder / "annex.pdf", 5)
    path = folder / "packet.yaml"
    path.write_text(PACKET.format(separators=str(separators).lower()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def packet(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("packet")
    out = folder / "packet.pdf"
    members = assemble(make_packet(folder, built["pdf"], True), out)
    return {"pdf": out, "members": members, "report_pages": len(PdfReader(built["pdf"]).pages)}


def text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout


def test_every_member_starts_on_a_right_hand_page(packet: dict) -> None:
    reader = PdfReader(packet["pdf"])
    members = packet["members"]
    assert [m.tab for m in members] == ["A", "B", "C"]
    assert all(m.start % 2 == 1 for m in members)
    assert len(reader.pages) % 2 == 0
    n = packet["report_pages"]
    # cover + its blank back, then per member a separator sheet (two sides) and the member
    assert members[0].start == 5 and members[0].end == 4 + n
    assert members[1].start == 4 + n + n % 2 + 3 and members[1].pages == 5
    # the member's own first page is where the packet says
    assert "PAGE 1" in text(packet["pdf"], members[1].start)
    assert "PAGE 5" in text(packet["pdf"], members[1].end)
    assert text(packet["pdf"], members[1].end + 1).strip() == ""  # padding to an even length


def test_the_cover_lists_members_with_their_packet_pages(packet: dict) -> None:
    cover = text(packet["pdf"], 1)
    assert "South Caucasus, 1988–1990" in cover and "30 November 2026" in cover
    assert "Prepared for the Committee on Foreign Affairs" in cover
    for m in packet["members"]:
        row = next(line for line in cover.splitlines() if line.startswith(m.tab + "   "))
        assert m.title[:20] in row
        assert row.split()[-1] == str(m.start) and row.split()[-2] == str(m.pages)
    assert text(packet["pdf"], 2).strip() == ""  # the cover's back


def test_separator_sheets_have_a_blank_back(packet: dict) -> None:
    for m in packet["members"]:
        separator = text(packet["pdf"], m.start - 2)
        assert separator.split()[0] == m.tab
        assert f"packet pages {m.start}–{m.end}" in separator
        assert text(packet["pdf"], m.start - 1).strip() == ""


def test_page_labels_per_member(packet: dict, built: dict[str, Path]) -> None:
    """Each member keeps its own labels (a report's roman front matter), after its tab."""
    labels = PdfReader(packet["pdf"]).page_labels
    own = PdfReader(built["pdf"]).page_labels
    a, b, c = packet["members"]
    assert labels[:4] == ["i", "ii", "A", "A"]
    assert labels[a.start - 1: a.end] == [f"A-{label}" for label in own]
    assert labels[c.start - 1: c.end] == [f"C-{label}" for label in own]
    assert labels[b.start - 3: b.start + 5] == ["B", "B", "B-1", "B-2", "B-3", "B-4", "B-5",
                                                "B-6"]  # B-6: the blank page that pads it


def test_bookmarks_nest_each_members_own_under_its_title(packet: dict) -> None:
    reader = PdfReader(packet["pdf"])
    outline = reader.outline
    tops = [(item.title, reader.get_destination_page_number(item) + 1)
            for item in outline if not isinstance(item, list)]
    a, b, c = packet["members"]
    assert tops == [("Contents", 1), (a.title, a.start), (b.title, b.start),
                    (c.title, c.start)]
    nested = [item for item in outline if isinstance(item, list)]
    assert len(nested) == 2  # the two reports; the plain annex has no bookmarks
    for children, member in zip(nested, (a, c), strict=True):
        titles = [i.title for i in children if not isinstance(i, list)]
        assert titles[0] == "Contents" and "Chronology" in titles and "Colophon" in titles
        pages = [reader.get_destination_page_number(i) + 1 for i in children
                 if not isinstance(i, list)]
        assert all(member.start <= p <= member.end for p in pages)


def test_links_stay_inside_their_own_report(packet: dict) -> None:
    """Both copies of the report have the same anchor names; each copy's links go to its own
    pages."""
    reader = PdfReader(packet["pdf"])
    for member in (packet["members"][0], packet["members"][2]):
        targets = []
        for index in range(member.start - 1, member.end):
            for ref in reader.pages[index].get("/Annots", []) or []:
                dest = ref.get_object().get("/Dest")
                if dest is not None and not isinstance(dest, str):
                    targets.append(reader.get_page_number(dest[0].get_object()) + 1)
        assert len(targets) > 10
        assert all(member.start <= t <= member.end for t in targets), member.tab


def test_packet_metadata_and_viewer_settings(packet: dict) -> None:
    reader = PdfReader(packet["pdf"])
    assert reader.metadata is not None and reader.metadata.title == "South Caucasus, 1988–1990"
    root = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines"
    assert root["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_without_separators(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    members = assemble(make_packet(tmp_path / "p", built["pdf"], False), out)
    assert members[0].start == 3
    assert all(m.start % 2 == 1 for m in members)
    assert PdfReader(out).page_labels[2] == "A-" + PdfReader(built["pdf"]).page_labels[0]


def test_mistakes_are_reported_with_their_place(tmp_path: Path) -> None:
    path = tmp_path / "packet.yaml"
    path.write_text("title: P\ndate: 2026-01-01\ncolour: red\nmembers:\n  - pdf: none.pdf\n")
    with pytest.raises(ReportError) as error:
        assemble(path, tmp_path / "out.pdf")
    assert str(error.value.problems[0]).startswith(
        "packet.yaml:3:1: error: The field `colour` is unknown")
    path.write_text("title: P\ndate: 2026-01-01\nmembers:\n  - pdf: none.pdf\n")
    with pytest.raises(ReportError) as error:
        assemble(path, tmp_path / "out.pdf")
    assert str(error.value.problems[0]).startswith("packet.yaml:4:10: error: none.pdf cannot")


def test_packet_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    numbered_pdf(tmp_path / "one.pdf", 3)
    (tmp_path / "packet.yaml").write_text(
        "title: P\ndate: 2026-01-01\nmembers:\n  - pdf: one.pdf\n  - pdf: one.pdf\n")
    assert main(["packet", str(tmp_path / "packet.yaml")]) == 0
    assert "A from p. 3, B from p. 7" in capsys.readouterr().out
    assert len(PdfReader(tmp_path / "packet.pdf").pages) == 10
    assert main(["packet", str(tmp_path / "missing.yaml")]) == 2


def test_tab_letters() -> None:
    assert [tab(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA"]
