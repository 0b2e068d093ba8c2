"""Packets of members made to attack their readers: whatever could act on a reader's machine
(JavaScript, launch and form actions, file: links, attachments, media) is removed and logged,
links to the web and inside the member stay; an encrypted member opens when it has no user
password and is refused by name when it has one, as are members that are not PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from report.cli import main
from report.problems import ReportError
from report.tools.packet import Planned, assemble
from tests.conftest import numbered_pdf, pdftotext

FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm",
                     "/ImportData", "/Rendition", "/Movie", "/Sound", "/RichMediaExecute"}
FORBIDDEN_ANNOTS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}
REMOVED = ("members/hostile.pdf: removed 7 JavaScript actions, 2 attachments, 1 Launch action, "
           "2 file: links, 1 javascript: link, 1 link to a relative or odd address, 1 GoToR "
           "action, 1 GoToE action, 1 SubmitForm action, 1 ImportData action, 1 RichMedia "
           "annotation, 1 Movie annotation, 1 Sound annotation")
WEB_LINKS = ["https://example.org/", "mailto:desk@example.org", "http://example.com/ok"]


def js(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def hostile(path: Path) -> Path:
    """Three numbered pages carrying every kind of active content, and links that may stay."""
    numbered_pdf(path, 3)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root, first = pdf.Root, pdf.pages[0].obj
        root.OpenAction = pdf.make_indirect(js("app.alert('opened')"))
        root.AA = Dictionary(WC=js("app.alert('closing')"))
        root.Names = Dictionary(JavaScript=Dictionary(Names=Array([
            String("init"), pdf.make_indirect(js("app.alert('init')"))])))
        pdf.attachments["secret.txt"] = pikepdf.AttachedFileSpec(pdf, b"attached")
        first.AA = Dictionary(O=js("app.alert('page shown')"))

        def link(action: Dictionary, y: int) -> pikepdf.Object:
            return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link,
                                                Rect=[50, y, 200, y + 20], A=action))

        def annot(subtype: Name, y: int, **more: object) -> pikepdf.Object:
            return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=subtype,
                                                Rect=[300, y, 320, y + 20], **more))

        uri = [Dictionary(S=Name.URI, URI=String(address)) for address in (
            "file:///etc/passwd", "FILE:///etc/shadow", "https://example.org/",
            "javascript:alert(1)", "../secrets.txt", "mailto:desk@example.org")]
        first.Annots = Array([
            link(Dictionary(S=Name.Launch, F=String("/bin/sh")), 700), *(
                link(action, 670 - 30 * i) for i, action in enumerate(uri)),
            link(Dictionary(S=Name.GoTo, D=Array([pdf.pages[2].obj, Name.Fit])), 460),
            link(Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0, Name.Fit])), 430),
            link(Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("x"))), 400),
            link(Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String(
                "https://collect.example/"))), 370),
            link(Dictionary(S=Name.ImportData, F=String("data.fdf")), 340),
            link(js("app.alert('clicked')"), 310),
            link(Dictionary(S=Name.URI, URI=String("http://example.com/ok"),
                            Next=js("app.alert('next')")), 280),
            annot(Name.FileAttachment, 700, FS=pikepdf.AttachedFileSpec(
                pdf, b"payload", filename="payload.exe").obj),
            annot(Name.RichMedia, 600), annot(Name.Movie, 500), annot(Name.Sound, 400)])
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Run me", 0))
            outline.root.append(pikepdf.OutlineItem("Page 2", 1))
        item = pdf.Root.Outlines.First
        del item["/Dest"]
        item.A = js("app.alert('bookmark')")
        pdf.save(path)
    return path


def encrypted(path: Path, user: str) -> Path:
    numbered_pdf(path, 3)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=user, owner="owner", R=6))  # AES-256
    return path


def packet(folder: Path, members: list[str]) -> Path:
    path = folder / "packet.yaml"
    path.write_text("title: Hostile members\ndate: 2026-11-30\nmembers:\n" + "".join(
        f"  - pdf: {m}\n" for m in members), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bound(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Planned]]:
    folder = tmp_path_factory.mktemp("hostile-packet")
    (folder / "members").mkdir()
    numbered_pdf(folder / "members" / "plain.pdf", 2)
    hostile(folder / "members" / "hostile.pdf")
    encrypted(folder / "members" / "open.pdf", user="")
    path = packet(folder, ["members/plain.pdf", "members/hostile.pdf", "members/open.pdf"])
    members = assemble(path, folder / "packet.pdf")
    return folder / "packet.pdf", members


def test_nothing_active_is_left_in_the_packet(bound: tuple[Path, list[Planned]]) -> None:
    with pikepdf.open(bound[0]) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert not set(pdf.Root.get("/Names", {}).keys()) & {"/JavaScript", "/EmbeddedFiles"}
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            assert not {"/AA", "/JS", "/EF", "/AF"} & set(obj.keys()), obj
            assert str(obj.get("/S", "")) not in FORBIDDEN_ACTIONS, obj
            assert str(obj.get("/Subtype", "")) not in FORBIDDEN_ANNOTS, obj
            assert str(obj.get("/Type", "")) not in ("/EmbeddedFile", "/Filespec"), obj
            if "/URI" in obj:
                assert str(obj.URI) in WEB_LINKS, obj


def test_web_and_internal_links_stay(bound: tuple[Path, list[Planned]]) -> None:
    path, (_, member, _) = bound
    with pikepdf.open(path) as pdf:
        links = [a.A for a in pdf.pages[member.start - 1].obj.Annots]
        assert [str(a.URI) for a in links if str(a.S) == "/URI"] == WEB_LINKS
        (inside,) = [a for a in links if str(a.S) == "/GoTo"]
        assert inside.D[0].objgen == pdf.pages[member.start + 1].obj.objgen  # its page 3
        assert "/Next" not in links[-1]  # the JavaScript it chained is gone


def test_each_member_says_what_was_removed(bound: tuple[Path, list[Planned]]) -> None:
    plain, member, opened = bound[1]
    assert f"{member.source}: removed {member.removals}" == REMOVED
    assert not plain.removed and not opened.removed


def test_a_member_without_a_user_password_is_opened(bound: tuple[Path, list[Planned]]) -> None:
    path, (*_, opened) = bound
    assert opened.pages == 3
    assert [pdftotext(path, p, p).split()[:2] for p in range(opened.start, opened.end + 1)] == [
        ["PAGE", "1"], ["PAGE", "2"], ["PAGE", "3"]]


def test_the_command_logs_each_member_that_had_something_removed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "members").mkdir()
    hostile(tmp_path / "members" / "hostile.pdf")
    numbered_pdf(tmp_path / "members" / "plain.pdf", 1)
    path = packet(tmp_path, ["members/hostile.pdf", "members/plain.pdf"])
    assert main(["packet", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[:-1] == [REMOVED]


def test_members_that_cannot_be_read_are_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "members").mkdir()
    encrypted(tmp_path / "members" / "locked.pdf", user="secret")
    (tmp_path / "members" / "notes.pdf").write_text("Notes, not a PDF\n", encoding="utf-8")
    whole = numbered_pdf(tmp_path / "whole.pdf", 4).read_bytes()
    (tmp_path / "members" / "cut.pdf").write_bytes(whole[:len(whole) // 2])
    shutil.copy(tmp_path / "whole.pdf", tmp_path / "members" / "fine.pdf")
    path = packet(tmp_path, ["members/fine.pdf", "members/locked.pdf", "members/notes.pdf",
                             "members/cut.pdf", "members/gone.pdf"])
    with pytest.raises(ReportError) as error:
        assemble(path, tmp_path / "packet.pdf")
    assert [str(p) for p in error.value.problems] == [
        "packet.yaml:5:10: error: members/locked.pdf is encrypted with a password; decrypt it "
        "first.\n    e.g. qpdf --decrypt --password=PASSWORD members/locked.pdf decrypted.pdf, "
        "then give decrypted.pdf.",
        "packet.yaml:6:10: error: members/notes.pdf is not a PDF (it does not begin with "
        "%PDF-).\n    Give the PDF itself.",
        "packet.yaml:7:10: error: members/cut.pdf is cut short: it does not end with %%EOF, so "
        "part of it is missing.\n    Copy, download or build it again.",
        "packet.yaml:8:10: error: members/gone.pdf cannot be read: there is no such file."
        "\n    Build the report "
        "first, or correct the path (it is relative to the packet file)."]
    assert not (tmp_path / "packet.pdf").exists()
