"""`report check` reads the project's templates as the build would: a syntax error, a name the
template does not have, an unsafe attribute, a missing include, an unknown word, a template
nothing uses; each with its file and line. The theme's own templates, copied as overrides,
check clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.checks import templates
from report.problems import ReportError
from report.render import html
from tests.conftest import check_json, make

COLOPHON = "styles/templates/colophon.html.j2"


def found(problems: list[dict], *codes: str) -> list[tuple]:
    return [(p["file"], p["line"], p["column"], p["severity"], p["message"]) for p in problems
            if p["code"] in codes]


def test_a_syntax_error_and_an_undefined_name_are_located(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {
        COLOPHON: "<section id='colophon'>\n{% if s.title %}\n{{ s.title }}\n</section>\n",
        "styles/templates/blocks/quote.html.j2": "<blockquote>\n  {{ b.text }} {{ qoute }}\n",
    })
    code, problems = check_json(root, capsys)
    assert code == 1
    assert found(problems, "template-syntax", "template-undefined") == [
        ("styles/templates/blocks/quote.html.j2", 2, 19, "error",
         "`qoute` is not defined in this template."),
        (COLOPHON, 3, 1, "error", "The template cannot be read: Unexpected end of template. "
         "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The "
         "innermost block that needs to be closed is 'if'."),
    ]


def test_the_names_a_template_has_are_those_where_it_is_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A block's template sees `b` but not `doc` (the theme imports its macro without
    context); a section's sees `section` and the loop; a child of the theme sees its names."""
    root = make(tmp_path, {
        "styles/templates/blocks/paragraph.html.j2": "<p id='{{ b.anchor }}'>{{ doc }}</p>",
        "styles/templates/section.html.j2": "<section id='{{ section.id }}'>{{ loop.index }} "
                                            "{{ show.block }}</section>",
        "styles/templates/report.html.j2": '{% extends "!theme/report.html.j2" %}\n'
                                           "{% block colophon %}{{ s.title }} {{ build.date }}"
                                           "{{ doc.sections | length }}{% endblock %}",
    })
    code, problems = check_json(root, capsys)
    assert found(problems, "template-undefined") == [
        ("styles/templates/blocks/paragraph.html.j2", 1, 27, "error",
         "`doc` is not defined in this template.")]


def test_every_theme_template_copied_as_an_override_checks_clean(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {f"{templates.TEMPLATES}/{name}": path.read_text(encoding="utf-8")
             for name, path in templates.package_templates().items()}
    assert {"styles/templates/report.html.j2", "styles/templates/blocks/table.html.j2",
            "styles/templates/packet-cover.html.j2"} <= set(files)
    code, problems = check_json(make(tmp_path, files), capsys)
    assert (code, problems) == (0, [])


def test_refused_attributes_missing_includes_and_unknown_words(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {COLOPHON: (
        "<section id='colophon'>{{ say('colophon') }}\n"
        "{{ s['__class__'] }} {{ s | attr('_private') }}\n"
        "{% include 'colofon-extra.html.j2' %}\n"
        "{{ say('colofon') }}\n")})
    code, problems = check_json(root, capsys)
    assert code == 1
    assert found(problems, "template-refused", "template-missing", "template-undefined") == [
        (COLOPHON, 2, 7, "error",
         "The template was refused: access to the attribute `__class__` is unsafe."),
        (COLOPHON, 2, 35, "error",
         "The template was refused: access to the attribute `_private` is unsafe."),
        (COLOPHON, 3, 13, "error", "There is no template `colofon-extra.html.j2`."),
        (COLOPHON, 4, 9, "error", "The theme has no word `colofon`."),
    ]


def test_a_template_nothing_uses_is_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {"styles/templates/colophone.html.j2": "<section></section>",
                           "styles/templates/partial.html.j2": "{{ s.title }}",
                           "styles/templates/cover.html.j2": "{% include 'partial.html.j2' %}"})
    code, problems = check_json(root, capsys)
    assert code == 0
    assert [(p["file"], p["message"], p["hint"]) for p in problems] == [
        ("styles/templates/colophone.html.j2", "The template `colophone.html.j2` replaces none "
         "of the theme's and no template includes it: it is never used.",
         "Did you mean `colophon.html.j2`?")]


def test_a_template_that_is_not_text_is_located(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {})
    (root / "styles" / "templates").mkdir(parents=True)
    (root / COLOPHON).write_bytes(b"<section>\n\xff\xfe</section>")
    code, problems = check_json(root, capsys)
    assert found(problems, "template-syntax") == [
        (COLOPHON, 2, 1, "error", "The template cannot be read: the file is not UTF-8 text.")]


def test_a_linked_template_is_refused_wherever_it_is_read(tmp_path: Path) -> None:
    """`report check` and a build refuse a link in styles/ before anything (checks/safety.py);
    the loader refuses it too, for the packet, whose folder nothing checks first."""
    root = make(tmp_path / "p", {})
    (root / "styles" / "templates").mkdir(parents=True)
    (tmp_path / "outside.html.j2").write_text("secret")
    (root / COLOPHON).symlink_to(tmp_path / "outside.html.j2")
    [problem] = templates.check(root)
    assert str(problem) == (
        f"{COLOPHON}: error: The template `{COLOPHON}` leads outside the report project.\n"
        "    Copy the template itself into the project instead of linking to it.")
    with pytest.raises(ReportError) as error:
        html.render_template(root, "colophon.html.j2")
    [refused] = error.value.problems
    assert (refused.location, refused.message, refused.hint) == (
        problem.location, problem.message, problem.hint)
