"""Stage 5, HTML: templates are the package's unless the project overrides one; the project's
CSS comes after the theme's; CSS text can never close its <style> element."""

from __future__ import annotations

from pathlib import Path

from report.pipeline import prepare
from tests.conftest import BASE, make


def test_project_template_overrides_one_template_and_extends_the_theme(tmp_path: Path) -> None:
    project = make(tmp_path, {
        "styles/templates/cover.html.j2": '<section class="cover" id="cover">OUR COVER</section>',
        "styles/templates/report.html.j2": (
            '{% extends "!theme/report.html.j2" %}'
            "{% block colophon %}<p>OUR COLOPHON</p>{{ super() }}{% endblock %}"),
    })
    html = prepare(project).html
    assert "OUR COVER" in html and "Adapted from" not in html
    assert "OUR COLOPHON" in html and 'id="colophon"' in html  # the theme's block follows
    assert 'id="contents"' in html  # everything else is the theme's


def test_project_css_follows_the_theme_and_cannot_close_the_style_element(tmp_path: Path) -> None:
    project = make(tmp_path, {
        "styles/a.css": "h2 { color: green; } /* </style><script>alert(1)</script> */",
        "styles/b.css": "h2 { color: blue; }",
    })
    html = prepare(project).html
    style = html[html.index("<style>"):html.index("</style>")]
    assert style.index("Print styles of a report") < style.index("green") < style.index("blue")
    # the CSS stays raw text inside one <style> element: "</" cannot end it
    assert html.count("</style>") == 1
    assert "/* <\\/style><script>alert(1)<\\/script> */" in style


def test_paper_size_and_fonts_come_first(tmp_path: Path) -> None:
    project = make(tmp_path, {"content/report.yaml": BASE["content/report.yaml"] +
                              "paper: letter\n"})
    html = prepare(project).html
    style = html[html.index("<style>"):]
    assert style.index("@font-face") < style.index("@page { size: letter; }") < style.index(
        "Print styles of a report")


def test_html_is_escaped_and_language_is_set(tmp_path: Path) -> None:
    section = ("id: one\ntitle: One <b>bold</b>\nblocks:\n  - paragraph: >-\n"
               "      A <script>x</script> and [Բաքվի]{lang=hy} [@doe-2001].\n")
    html = prepare(make(tmp_path, {"content/sections/01-one.yaml": section})).html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "One &lt;b&gt;bold&lt;/b&gt;" in html
    assert '<span lang="hy">Բաքվի</span>' in html
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
