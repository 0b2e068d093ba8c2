"""Content cannot reach outside the report project: hostile content and hostile project files
(images of file:///etc/passwd, @import and fonts over http, <link rel="attachment">, <style>
blocks, javascript: links) are refused or printed as text, and a build reads nothing outside
the project and connects to nothing. Opens and connections are watched with an audit hook."""

from __future__ import annotations

import base64
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from report.cli import main
from report.document.inline import make_parser, parse
from report.layout.engine import PROJECT_URL, ProjectFetcher
from report.pipeline import build
from report.problems import ReportError
from report.project.options import BuildOptions
from tests.conftest import check_json, make, pdftotext
from tests.editions import pdfa_rules

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQ"
                       "GAhKmMIQAAAABJRU5ErkJggg==")
SECRET = Path("/etc/passwd")
WATCHED = ("open", "socket.connect", "socket.getaddrinfo", "socket.gethostbyname")


class Watch:
    """Python-level opens and network calls while active (sys.addaudithook cannot be removed,
    so one hook serves the session and records only when asked)."""

    active = False
    events: list[tuple[str, str]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if cls.active and event in WATCHED:
            cls.events.append((event, str(args[0]) if args else ""))


sys.addaudithook(Watch.hook)


@pytest.fixture
def watch() -> Iterator[list[tuple[str, str]]]:
    Watch.events = []
    Watch.active = True
    try:
        yield Watch.events
    finally:
        Watch.active = False


@pytest.fixture
def server() -> Iterator[tuple[socket.socket, str]]:
    """A listening local port: any connection a build makes would queue here."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener, f"http://127.0.0.1:{listener.getsockname()[1]}"


def connections(listener: socket.socket) -> int:
    count = 0
    while True:
        try:
            listener.accept()[0].close()
        except BlockingIOError:
            return count
        count += 1


def assert_stayed_inside(events: list[tuple[str, str]], listener: socket.socket,
                         root: Path) -> None:
    assert any(path.startswith(str(root)) for _, path in events), "the hook saw no open"
    assert not [e for e in events if e[0] != "open"], "a network call was made"
    assert connections(listener) == 0
    assert not [path for _, path in events if path.startswith(str(SECRET))]


def test_raw_html_and_css_in_content_are_escaped_not_passed_through() -> None:
    md = make_parser()
    text = ('<style>body{display:none}</style> <script>alert(1)</script> '
            '<link rel="attachment" href="file:///etc/passwd"> <img src="file:///etc/passwd"> '
            '<iframe src="https://example.org"></iframe> <a href="javascript:alert(1)">x</a>')
    inline = parse(md, text)
    html = md.renderer.render(inline.tokens, md.options, {})
    for tag in ("<style", "<script", "<link", "<img", "<iframe", "<a "):
        assert tag not in html
    assert "&lt;style&gt;" in html and "&lt;link rel=" in html
    assert inline.urls == []  # raw HTML is text: no URL reaches the renderer


def test_hostile_urls_in_content_are_refused_with_file_and_line(
        tmp_path: Path, server: tuple[socket.socket, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    _, url = server
    section = ("id: one\ntitle: One\nblocks:\n"
               "  - paragraph: A map ![passwd](file:///etc/passwd) [@doe-2001].\n"
               f"  - paragraph: Remote ![remote]({url}/x.png).\n"
               "  - paragraph: Absolute ![a](/etc/passwd) and up ![b](../../etc/passwd).\n"
               "  - paragraph: Encoded ![c](images/%2e%2e/%2e%2e/etc/passwd).\n"
               "  - paragraph: \"[click](javascript:alert(1)) and [f](file:///etc/passwd)\"\n"
               "  - paragraph: Data ![d](data:image/png;base64,AAAA) <javascript:alert(2)>\n"
               "  - paragraph: Fine ![A map](images/map.png), [a site](https://example.org), "
               "[mail](mailto:a@example.org).\n"
               "  - paragraph: Missing ![gone](images/gone.png).\n")
    report = ("title: T\ndate: 2020-01-02\ncredit: {title: T, publisher: P, url: 'file:///x', "
              "licence: L, licence-url: 'javascript:alert(3)'}\n")
    root = make(tmp_path, {"content/sections/01-one.yaml": section, "content/report.yaml": report})
    (root / "images").mkdir()
    (root / "images" / "map.png").write_bytes(PNG)
    code, problems = check_json(root, capsys)
    assert code == 1
    found = sorted((p["file"], p["line"], p["code"], p["value"]) for p in problems
                   if p["code"] in ("image-outside-project", "unsafe-link", "image-missing"))
    sec, rep = "content/sections/01-one.yaml", "content/report.yaml"
    assert found == sorted([
        (sec, 4, "image-outside-project", "file:///etc/passwd"),
        (sec, 5, "image-outside-project", f"{url}/x.png"),
        (sec, 6, "image-outside-project", "/etc/passwd"),
        (sec, 6, "image-outside-project", "../../etc/passwd"),
        (sec, 7, "image-outside-project", "images/%2e%2e/%2e%2e/etc/passwd"),
        (sec, 8, "unsafe-link", "javascript:alert(1)"),
        (sec, 8, "unsafe-link", "file:///etc/passwd"),
        (sec, 9, "image-outside-project", "data:image/png;base64,AAAA"),
        (sec, 9, "unsafe-link", "javascript:alert(2)"),
        (sec, 11, "image-missing", "images/gone.png"),
        (rep, 3, "unsafe-link", "file:///x"),
        (rep, 3, "unsafe-link", "javascript:alert(3)"),
    ])
    assert all(p["column"] > 0 for p in problems if p["file"] == sec)
    assert connections(server[0]) == 0


def test_a_hostile_project_reads_nothing_outside_and_connects_nowhere(
        tmp_path: Path, watch: list[tuple[str, str]], server: tuple[socket.socket, str]) -> None:
    """Styles and templates belong to the project, so they are not escaped: the fetcher is
    the guard. Every outside URL is refused, the build fails naming them, and nothing was
    opened or connected to."""
    listener, url = server
    root = make(tmp_path, {
        "content/sections/01-one.yaml": ("id: one\ntitle: One\nblocks:\n  - paragraph: "
                                         "Text [@doe-2001] ![A drawing](images/evil.svg).\n"),
        "styles/evil.css": (f'@import url("{url}/evil.css");\n'
                            'body { background: url("file:///etc/passwd"); }\n'
                            f'@font-face {{ font-family: Evil; src: url("{url}/f.ttf"); }}\n'
                            "h2 { font-family: Evil, serif; }\n"),
        "styles/templates/colophon.html.j2": (
            f'<style>@import url("{url}/imported.css");</style>'
            f'<link rel="stylesheet" href="{url}/linked.css">'
            '<section id="colophon"><img src="file:///etc/passwd" alt="x">'
            f'<img src="{url}/i.png" alt="y"><a href="{url}/page">a link</a></section>'),
        "images/evil.svg": ('<svg xmlns="http://www.w3.org/2000/svg" '
                            'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
                            '<image xlink:href="file:///etc/passwd" width="10" height="10"/>'
                            "</svg>"),
    })
    output = root / "build" / "report.pdf"
    expected = {"file:///etc/passwd", f"{url}/f.ttf", f"{url}/i.png", f"{url}/imported.css",
                f"{url}/linked.css"}
    # laid out as one document, in this process: the audit hook sees every open
    with pytest.raises(ReportError) as error:
        build(root, output, options=BuildOptions(layout="whole"))
    assert {p.value for p in error.value.problems if p.code == "outside-project"} == expected
    assert not output.exists()
    assert_stayed_inside(watch, listener, root)
    # laid out in parts, in worker processes: the same refusals, and no connection
    with pytest.raises(ReportError) as error:
        build(root, output)
    assert {p.value for p in error.value.problems if p.code == "outside-project"} == expected
    assert not output.exists() and connections(listener) == 0


def test_template_attachments_and_unsafe_template_links_are_refused(
        tmp_path: Path, watch: list[tuple[str, str]], server: tuple[socket.socket, str]) -> None:
    listener, _ = server
    root = make(tmp_path, {"styles/templates/colophon.html.j2":
                           '<link rel="attachment" href="file:///etc/passwd">'})
    for layout in ("whole", "parts"):  # in this process (watched), in worker processes
        with pytest.raises(ReportError) as error:
            build(root, root / "build" / "report.pdf", options=BuildOptions(layout=layout))
        assert [p.value for p in error.value.problems] == ["file:///etc/passwd"]
    (root / "styles" / "templates" / "colophon.html.j2").write_text(
        '<a href="javascript:alert(1)">x</a> <a href="file:///etc/passwd">y</a>')
    for layout in ("whole", "parts"):
        with pytest.raises(ReportError) as error:
            build(root, root / "build" / "report.pdf", options=BuildOptions(layout=layout))
        assert [p.code for p in error.value.problems] == ["unsafe-link", "unsafe-link"]
        assert not (root / "build" / "report.pdf").exists()
    Watch.events[:] = [e for e in Watch.events if not e[1].startswith("<socket.socket")
                       or "family=1," not in e[1]]  # the workers' server: a local socket
    assert_stayed_inside(watch, listener, root)


def test_raw_html_in_content_is_printed_and_the_archive_attaches_only_the_project(
        tmp_path: Path, watch: list[tuple[str, str]], server: tuple[socket.socket, str]) -> None:
    listener, url = server
    hostile = ('<link rel="attachment" href="file:///etc/passwd"><style>body{display:none}'
               '</style><script>alert(1)</script>')
    root = make(tmp_path, {"content/sections/01-one.yaml": (
        "id: one\ntitle: One\nblocks:\n"
        f"  - paragraph: '{hostile} Text [@doe-2001].'\n"
        f"  - paragraph: 'A map: ![A map of nothing](images/map.png). [Home]({url}/home).'\n")})
    (root / "images").mkdir()
    (root / "images" / "map.png").write_bytes(PNG)
    (root / "images" / "unused.png").write_bytes(PNG)
    output = root / "build" / "report-archive.pdf"
    build(root, output, options=BuildOptions(edition="archive"))
    text = "".join(pdftotext(output).split())  # printed, as text (quotes made curly)
    assert "<linkrel=“attachment”href=“file:///etc/passwd”>" in text
    assert "<style>body{display:none}</style><script>alert(1)</script>" in text
    names = sorted(f.name for f in PdfReader(output).attachment_list)
    assert names == ["content/report.yaml", "content/sections/01-one.yaml", "images/map.png",
                     "sources.yaml"]
    with pikepdf.open(output) as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.get("/Annots", []) if "/A" in a]
    assert uris == [f"{url}/home"]
    assert pdfa_rules.check(output) == {}  # with an image (and its soft mask) in it
    assert_stayed_inside(watch, listener, root)


def test_the_fetcher_reads_only_project_files_fonts_and_data(tmp_path: Path) -> None:
    root = make(tmp_path / "p", {})
    (root / "images").mkdir()
    (root / "images" / "a.png").write_bytes(PNG)
    (tmp_path / "outside.txt").write_text("secret")
    (root / "images" / "link.png").symlink_to(tmp_path / "outside.txt")
    fetcher = ProjectFetcher(root)
    assert fetcher.fetch(f"{PROJECT_URL}images/a.png").read() == PNG
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    font = next(iter(fetcher.allowed_fonts))
    assert fetcher.fetch(font.as_uri()).read()[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    for url in (f"{PROJECT_URL}images/link.png", f"{PROJECT_URL}../outside.txt",
                f"{PROJECT_URL}images/%2e%2e/%2e%2e/outside.txt", (root / "images/a.png").as_uri(),
                (tmp_path / "outside.txt").as_uri(), "file:///etc/passwd",
                "file://example.org/etc/passwd", "http://127.0.0.1:9/x", "https://example.org/",
                "ftp://example.org/x"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 10 and fetcher.read == ["images/a.png"]


def test_links_leading_out_of_the_project_are_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path / "p", {})
    (tmp_path / "outside.yaml").write_text("id: x\ntitle: X\nblocks: []\n")
    (root / "content" / "sections" / "02-x.yaml").symlink_to(tmp_path / "outside.yaml")
    assert main(["check", str(root)]) == 1
    assert "02-x.yaml" in capsys.readouterr().out
    (root / "content" / "sections" / "02-x.yaml").unlink()
    report = root / "content" / "report.yaml"
    report.write_text(report.read_text() + "citation-style: ../outside.csl\n")
    assert main(["check", str(root)]) == 1
    assert "is outside the report project" in capsys.readouterr().out
