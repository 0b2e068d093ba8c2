"""The block registry: every kind is one spec, and a new kind needs exactly the files the
README's "Adding a block kind" names."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from report.blocks import KINDS, SPECS
from report.project.schema import BLOCK_KINDS, Section
from tests.conftest import ROOT, make


def test_every_spec_has_its_model_template_and_css() -> None:
    assert tuple(KINDS) == BLOCK_KINDS == ("paragraph", "quote", "testimony", "table",
                                           "figure", "list")
    for spec in SPECS:
        assert spec.model.kind == spec.kind
        assert spec.kind in spec.model.model_fields  # the YAML key that starts the block
        assert (ROOT / "report" / "blocks" / spec.template).is_file()
        assert spec.css_path is None or spec.css_path.is_file()


@pytest.mark.parametrize("yaml_block, texts", [
    ({"paragraph": "A [@a]."}, [(("paragraph",), "A [@a].")]),
    ({"quote": {"text": "Q", "cite": "[@a]"}}, [(("quote", "text"), "Q"),
                                                (("quote", "cite"), "[@a]")]),
    ({"testimony": {"text": "T", "speaker": "S"}}, [(("testimony", "text"), "T")]),
    ({"list": {"items": [{"text": "x"}, {"text": "y", "source": "a"}]}},
     [(("list", "items", 0, "text"), "x"), (("list", "items", 1, "text"), "y")]),
])
def test_each_kind_says_which_texts_it_has(yaml_block: dict, texts: list) -> None:
    section = Section.model_validate({"id": "s", "title": "S", "blocks": [yaml_block]})
    block = section.blocks[0]
    assert list(KINDS[block.kind].texts(block)) == texts


def test_block_findings_and_keys() -> None:
    section = Section.model_validate({"id": "s", "title": "S", "blocks": [
        {"quote": {"text": "Q"}}, {"list": {"items": [{"text": "y", "source": "a"}]}}]})
    quote, listed = section.blocks
    assert [f.code for f in KINDS["quote"].findings(quote)] == ["quote-without-source"]
    assert list(KINDS["list"].keys(listed)) == [(("list", "items", 0, "source"), "a")]


ASIDE = '''
"""`aside:` a boxed remark with a title."""

from __future__ import annotations

from report.blocks.base import Block, Model, Text
from report.blocks.spec import BlockSpec


class AsideBody(Model):
    title: Text
    text: Text


class Aside(Block):
    kind = "aside"
    aside: AsideBody


SPEC = BlockSpec(
    "aside", Aside, lambda block: iter([(("aside", "text"), block.aside.text)]),
    lambda block, html: {"title": block.aside.title, "html": html(("aside", "text"))},
    "aside.html.j2", "aside.css")
'''


def test_a_new_kind_needs_one_spec_one_template_css_and_the_registry(tmp_path: Path) -> None:
    """The README's walkthrough, done on a copy of the package: nothing else is touched, and
    `report check` and the HTML see the new kind, its citations and its lint."""
    package = tmp_path / "lib" / "report"
    shutil.copytree(ROOT / "report", package,
                    ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    (package / "cite" / "csl" / "node_modules").symlink_to(
        ROOT / "report" / "cite" / "csl" / "node_modules")
    blocks = package / "blocks"
    (blocks / "aside.py").write_text(textwrap.dedent(ASIDE))
    (blocks / "aside.html.j2").write_text(
        '<aside class="remark" id="{{ b.anchor }}"><h3>{{ b.title }}</h3>'
        "<p>{{ b.html }}</p></aside>\n")
    (blocks / "aside.css").write_text("aside.remark { border: 0.5pt solid; padding: 4pt; }\n")
    init = blocks / "__init__.py"
    init.write_text(init.read_text()
                    .replace("from report.blocks import ", "from report.blocks import aside, ")
                    .replace("listing.SPEC)", "listing.SPEC, aside.SPEC)"))
    project = make(tmp_path / "project", {"content/sections/01-one.yaml": (
        "id: one\ntitle: One\nblocks:\n  - paragraph: Text [@doe-2001].\n"
        "  - aside:\n      title: Note well\n      text: Said  twice [@doe-2001, p. 3].\n")})
    script = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from report.cli import main
        from report.pipeline import prepare
        html = prepare(Path({str(project)!r})).html
        print(json.dumps({{"aside": '<aside class="remark" id="one-2"><h3>Note well</h3>' in html,
                          "css": "aside.remark" in html, "notes": html.count('class="footnote"')}}))
        sys.exit(main(["check", {str(project)!r}, "--format", "json"]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={"PYTHONPATH": str(package.parent), "PATH": "/usr/bin:/bin"},
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    first, rest = done.stdout.split("\n", 1)
    assert first == '{"aside": true, "css": true, "notes": 2}'
    assert [(p["code"], p["line"], p["column"]) for p in json.loads(rest)] == [
        ("double-space", 7, 13)]  # the aside's text, linted where it is written
