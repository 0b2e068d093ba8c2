"""A period or comma after a quotation, before a note call, moves inside the quotation mark
where the locale says so (en-US), as Pandoc's citeproc does: compared with Pandoc itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from report.cite.engine import find_style, punctuation_in_quote
from report.document.inline import make_parser
from report.problems import Location

SENTENCES = [
    'They "lost their addresses" [@a].',
    'And "this" [@a], too.',
    'And "that" [@a]; so.',
    'Is it "so" [@a]?',
    "It is 'single' [@a].",
    "The neighbours' [@a].",
    'Twice "over" [@a].[@a]',
    'No quotation [@a].',
]


def ours(sentence: str, inside: bool) -> str:
    """The sentence as the parser leaves it for a note style, each note call as `[n]`."""
    children = make_parser(note_style=True, inside_quotes=inside).parseInline(sentence)[0]
    out, notes = [], 0
    for token in children.children or []:
        if token.type == "citation":
            notes += 1
            out.append(f"[{notes}]")
        else:
            out.append(token.content)
    return "".join(out)


@pytest.mark.parametrize(("sentence", "moved"), [
    (SENTENCES[0], "They “lost their addresses.”[1]"),
    (SENTENCES[1], "And “this,”[1] too."),
    (SENTENCES[2], "And “that”;[1] so."),
    (SENTENCES[4], "It is ‘single.’[1]"),
    (SENTENCES[5], "The neighbours’.[1]"),  # an apostrophe, not a quotation
])
def test_en_us_moves_a_period_or_comma_inside_the_quotation(sentence: str, moved: str) -> None:
    assert ours(sentence, True) == moved
    assert ours(sentence, False) == moved.replace(".”", "”.").replace(",”", "”,").replace(
        ".’", "’.")


def test_the_locale_decides_and_a_style_can_say_otherwise() -> None:
    chicago = find_style("chicago-notes-bibliography", Path("."), Location("x"))
    assert [punctuation_in_quote(chicago, lang) for lang in ("en", "en-US", "en-GB", "fr", "de")] \
        == [True, True, False, False, False]
    # this style's own <locale xml:lang="en"> sets punctuation-in-quote="false"
    amp = find_style("academy-of-management-perspectives", Path("."), Location("x"))
    assert not punctuation_in_quote(amp, "en-US")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="Pandoc is installed by "
                    "tools/setup-system; this machine has not run it")
@pytest.mark.parametrize("lang", ["en-US", "en-GB"])
def test_the_same_as_pandoc(tmp_path: Path, lang: str) -> None:
    style = find_style("chicago-notes-bibliography", Path("."), Location("x"))
    (tmp_path / "refs.json").write_text(json.dumps([{
        "id": "a", "type": "book", "title": "Title", "author": [{"family": "Doe"}],
        "issued": {"date-parts": [[2001]]}}]))
    source = "\n\n".join(SENTENCES)
    done = subprocess.run(
        ["pandoc", "--citeproc", "-M", f"lang={lang}", "--bibliography", "refs.json",
         "--csl", str(style.path), "-t", "plain", "--wrap=none"],
        input=source, capture_output=True, text=True, cwd=tmp_path, check=True)
    paragraphs = done.stdout.split("\n\n")[:len(SENTENCES)]
    inside = punctuation_in_quote(style, lang)
    assert inside == (lang == "en-US")
    mine = [ours(sentence, inside) for sentence in SENTENCES]
    # Pandoc numbers the notes through the document; ours count per sentence
    assert [re.sub(r"\[\d+\]", "[n]", p) for p in paragraphs] == \
        [re.sub(r"\[\d+\]", "[n]", m) for m in mine]


def test_a_note_call_right_after_another_gets_a_comma() -> None:
    """`Day [@a].^[A note.]` prints two calls at one place: the second is marked `next-call`
    (its number printed after a comma, report.css), and only that one."""
    from report.document.inline import Cluster as Cl
    from report.document.inline import Note, Renderers, parse, render

    class Calls(Renderers):
        def cite(self, cluster: Cl) -> str:
            return '<span class="footnote">c</span>'

        def note(self, note: Note, body: str) -> str:
            return f'<span class="footnote">{body}</span>'

    md = make_parser(note_style=True)
    out = render(md, parse(md, "Day [@a].^[A note [@b].] More [@c] and [@d][@e]."), Calls())
    assert out.count("next-call") == 2
    assert out.startswith('Day.<span class="footnote">c</span><span class="footnote next-call">')
    # the period after both calls goes before them, as after one
    assert out.endswith('and.<span class="footnote">c</span>'
                        '<span class="footnote next-call">c</span>')


def test_the_comma_is_printed_between_the_numbers() -> None:
    css = (Path(__file__).parents[2] / "report/render/theme/report.css").read_text()
    assert '.next-call::footnote-call { content: "," counter(footnote); }' in css
