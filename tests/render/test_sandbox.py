"""Templates run in Jinja's immutable sandbox: the classic escapes from a template to Python
(and on to a shell) are refused with the template's file and line, and never run; the theme's
own templates render exactly as they would outside the sandbox; the packet's cover too."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup
from pydantic import BaseModel

from report.cli import main
from report.document.words import words_for
from report.pipeline import prepare
from report.problems import ReportError
from report.render import html
from report.tools.packet import assemble
from tests.conftest import ROOT, make, numbered_pdf

REFUSED_HINT = ("A template may only read the report's data and fill it in: it cannot reach "
                "Python's internals, run commands or read files. Remove this expression.")


def escapes(marker: Path) -> list[tuple[str, str]]:
    """(template, the message a reader sees), each template trying to create `marker`."""
    touch = f"popen('touch {marker}').read()"
    refused = "error: The template was refused: access to attribute"
    return [
        (f"{{{{ cycler.__init__.__globals__.os.{touch} }}}}",
         f"1:11: {refused} '__init__' of 'type' object is unsafe."),
        (f"\n{{{{ lipsum.__globals__['os'].{touch} }}}}",
         f"2:11: {refused} '__globals__' of 'function' object is unsafe."),
        ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == "
         f"'Popen' %}}{{{{ c(['touch', '{marker}']) }}}}{{% endif %}}{{% endfor %}}",
         f"1:16: {refused} '__class__' of 'str' object is unsafe."),
        ("x {{ self._TemplateReference__context.environment.globals }}",
         f"1:11: {refused} '_TemplateReference__context' of 'TemplateReference' object is "
         "unsafe."),
        ("{{ '{0.__init__.__globals__[os]}'.format(say) }}",
         f"1:8: {refused} '__init__' of 'partial' object is unsafe."),
        ("{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
         "1:4: error: `config` is not defined in this template. (found: config)"),
        ("{% set found = [] %}{{ found.append(1) }}",
         f"1:30: {refused} 'append' of 'list' object is unsafe."),
        ("{{ range(10 ** 9) | list }}",
         "1:1: error: The template was refused: Range too big. The sandbox blocks ranges "
         "larger than MAX_RANGE (100000)."),
    ]


@pytest.mark.parametrize("case", range(8))
def test_the_classic_escapes_are_refused_at_their_line_and_never_run(
        tmp_path: Path, case: int) -> None:
    marker = tmp_path / "MARKER"
    template, expected = escapes(marker)[case]
    root = make(tmp_path / "p", {"styles/templates/colophon.html.j2": template})
    # the sandbox itself, with nothing checked before: the template rendered directly
    with pytest.raises(ReportError) as error:
        html.render_template(root, "colophon.html.j2")
    [problem] = error.value.problems
    assert str(problem).split("\n")[0] == f"styles/templates/colophon.html.j2:{expected}"
    assert not marker.exists()


def test_a_refused_build_says_where_and_what_and_runs_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "MARKER"
    template = escapes(marker)[0][0]
    root = make(tmp_path / "p", {"styles/templates/colophon.html.j2": template})
    for command in (["check", str(root)], ["build", str(root), "-o", str(tmp_path / "x.html")]):
        assert main(command) == 1
        out = "".join(capsys.readouterr())  # check prints to stdout, a failed build to stderr
        assert out.startswith(
            "styles/templates/colophon.html.j2:1:11  error    The template was refused: access "
            "to the attribute `__init__` is unsafe.\n")
        assert f"→ {REFUSED_HINT}" in out and "internal error" not in out
    assert not marker.exists() and not (tmp_path / "x.html").exists()


def test_an_error_the_check_cannot_see_is_located_at_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path / "p", {"styles/templates/colophon.html.j2":
                                 "<section id='colophon'>\n{{ doc.sectoins }} {{ 1 / 0 }}"})
    assert main(["build", str(root), "-o", str(tmp_path / "x.html")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "styles/templates/colophon.html.j2:2:8  error    `DocumentModel` has no attribute "
        "`sectoins`. (found: sectoins)")
    (root / "styles/templates/colophon.html.j2").write_text("<section>\n\n{{ 1 / 0 }}")
    assert main(["build", str(root), "-o", str(tmp_path / "x.html")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "styles/templates/colophon.html.j2:3:1  error    The template failed: division by zero.")


def test_class_methods_are_refused(tmp_path: Path) -> None:
    """pydantic's `parse_file` (a class method) reads any file; no class method is allowed."""
    class Model(BaseModel):
        name: str = "x"

    root = make(tmp_path, {"styles/templates/t.html.j2": "{{ m.parse_file('/etc/passwd') }}"})
    with pytest.raises(ReportError) as error:
        html.render_template(root, "t.html.j2", m=Model())
    assert error.value.problems[0].message == (
        "The template was refused: access to attribute 'parse_file' of 'Model' object is "
        "unsafe.")


def test_say_fills_plain_names_only() -> None:
    """The words come from the project: a format string's `{x.attr}` would reach into the
    values' internals, so only `{name}` is filled, and a stray brace stays as it is."""
    words = {"k": "{v.__class__.__init__} {v[0]} {v} {", "plain": "a {v} & b"}
    assert html.say(words, "k", v=Markup("<b>")) == Markup(
        "{v.__class__.__init__} {v[0]} <b> {")
    assert html.say(words, "plain", v="<i>") == Markup("a &lt;i&gt; &amp; b")
    with pytest.raises(jinja2.UndefinedError, match="The theme has no word `nope`"):
        html.say(words, "nope")


def test_the_theme_renders_in_the_sandbox_as_it_does_outside(tmp_path: Path) -> None:
    """Every theme template and every block kind's (the example uses them all): the sandbox
    changes nothing in what they print."""
    root = shutil.copytree(ROOT / "examples" / "udhr", tmp_path / "udhr",
                           ignore=shutil.ignore_patterns("build"))
    prepared = prepare(root)
    doc = prepared.doc
    sandboxed = html.environment(root, words_for(doc.settings.language, doc.settings.words))
    plain = jinja2.Environment(loader=sandboxed.loader, autoescape=True,
                               undefined=jinja2.StrictUndefined)
    plain.globals["say"] = sandboxed.globals["say"]
    context = {"doc": doc, "s": doc.settings, "authors": doc.settings.authors,
               "build": doc.build, "css": ""}
    kinds = {block.kind for section in doc.sections for block in section.blocks}
    assert kinds >= {"paragraph", "quote", "testimony", "list", "table", "figure"}
    assert isinstance(sandboxed, html.Sandbox)
    ours = sandboxed.get_template("report.html.j2").render(**context)
    assert ours == plain.get_template("report.html.j2").render(**context)
    assert len(ours) > 10000


def make_packet(folder: Path, cover: str) -> Path:
    numbered_pdf(folder / "one.pdf", 3)
    (folder / "styles" / "templates").mkdir(parents=True)
    (folder / "styles" / "templates" / "packet-cover.html.j2").write_text(cover)
    (folder / "packet.yaml").write_text("title: P\ndate: 2026-01-01\nmembers:\n  - pdf: one.pdf\n")
    return folder / "packet.yaml"


def test_the_packet_cover_renders_in_the_sandbox(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    packet = make_packet(tmp_path, f"<p>{{{{ members[0].reader }}}}</p>\n"
                         f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}') }}}}")
    with pytest.raises(ReportError) as error:
        assemble(packet, tmp_path / "out.pdf")
    assert str(error.value.problems[0]).split("\n")[0] == (
        "styles/templates/packet-cover.html.j2:1:18: error: `dict` has no attribute `reader`. "
        "(found: reader)")  # the members are plain values, not their open PDFs
    (packet.parent / "styles/templates/packet-cover.html.j2").write_text(
        f"<p>{{{{ cycler.__init__.__globals__.os.popen('touch {marker}') }}}}</p>")
    with pytest.raises(ReportError) as error:
        assemble(packet, tmp_path / "out.pdf")
    assert error.value.problems[0].code == "template-refused"
    assert not marker.exists() and not (tmp_path / "out.pdf").exists()


def test_the_packet_cover_reads_only_the_packet_folder(tmp_path: Path) -> None:
    (tmp_path / "inside.png").write_bytes(b"not a png")
    packet = make_packet(tmp_path, '<img src="inside.png"><img src="file:///etc/passwd">'
                         '<img src="http://127.0.0.1:9/x.png">'
                         '<link rel="attachment" href="file:///etc/passwd">')
    with pytest.raises(ReportError) as error:
        assemble(packet, tmp_path / "out.pdf")
    assert [(p.code, p.value) for p in error.value.problems] == [
        ("outside-project", "file:///etc/passwd"), ("outside-project", "http://127.0.0.1:9/x.png")]
    assert not (tmp_path / "out.pdf").exists()
