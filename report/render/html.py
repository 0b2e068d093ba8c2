"""Stage 5, HTML: the document model through Jinja2 templates into one print HTML file.

Templates are looked up in the project's styles/templates/ first, then in the package's theme,
so one template can be overridden without copying the rest; `{% extends "!theme/NAME" %}`
reaches the package's version of an overridden template (as in Pelican).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from report import blocks
from report.blocks import SPECS
from report.document.model import DocumentModel
from report.document.words import words_for
from report.render import fonts

THEME = Path(__file__).parent / "theme"
BLOCKS = Path(blocks.__file__).parent
PAPER = {"a4": "A4", "letter": "letter", "a5": "A5"}  # a5: the print edition only


def environment(root: Path, words: Mapping[str, str] | None = None) -> jinja2.Environment:
    """Templates from the project's styles/templates/, the theme and the block kinds; `say`
    prints one of the report's fixed words (report/document/words.py)."""
    theme = jinja2.FileSystemLoader(THEME / "templates")
    blocks = jinja2.PrefixLoader({"blocks": jinja2.FileSystemLoader(BLOCKS)}, delimiter="/")
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(root / "styles" / "templates"),
        theme,
        blocks,
        jinja2.PrefixLoader({"!theme": jinja2.ChoiceLoader([theme, blocks])}, delimiter="/"),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=False)
    env.globals["say"] = functools.partial(say, words or words_for("en"))
    return env


def say(words: Mapping[str, str], key: str, **values: Any) -> Markup:
    """A fixed sentence, escaped, its `{placeholders}` filled (escaped unless Markup)."""
    return Markup(escape(words[key])).format(**values)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def words_css(words: Mapping[str, str]) -> str:
    """The words the CSS prints (folios, page references), as custom properties."""
    return (f":root {{ --report-page: {_css_string(words['page'] + ' ')}; "
            f"--report-of: {_css_string(' ' + words['of'] + ' ')}; "
            f"--report-to-page: {_css_string(words['to-page'] + ' ')}; }}")


def stylesheets(root: Path) -> list[Path]:
    """The theme's CSS, each kind of block's, then the project's styles/*.css in name order."""
    block_css = [spec.css_path for spec in SPECS if spec.css_path]
    return [THEME / "report.css", *block_css, *sorted((root / "styles").glob("*.css"))]


def css(root: Path, paper: str, extra: str = "", words: Mapping[str, str] | None = None) -> str:
    """Fonts, page size, the theme's words, the theme, the project's styles, then the
    edition's rules."""
    parts = [fonts.font_face_css(root), f"@page {{ size: {PAPER[paper]}; }}",
             f"@page report-landscape {{ size: {PAPER[paper]} landscape; }}",  # wide tables
             words_css(words or words_for("en"))]
    parts += [path.read_text(encoding="utf-8") for path in stylesheets(root)]
    return "\n".join([*parts, extra])


# A web address in the text (not in an attribute): its trailing punctuation is the sentence's.
URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]+?(?=[.,;:!?)\]]*(?:[\s<]|$))")
_PIECES = re.compile(r"<[^>]*>|[^<]+")
_BEFORE = re.compile(r"(?<=[^/])(?=[/.\-?=_~#%@]|&amp;)")  # break before punctuation


def break_urls(html: str) -> str:
    """Web addresses in the body's text may break only before punctuation, and never with a
    hyphen: each becomes `<span class="url">` (no hyphenation, see report.css) with `<wbr>`
    before its punctuation (`https://` stays whole). A hyphen added at a line end would print
    a wrong address."""
    head, marker, body = html.partition("<body")
    if not marker:
        return html

    def wrap(match: re.Match[str]) -> str:
        url = match.group(0)
        scheme, _, rest = url.partition("://")
        return f'<span class="url">{scheme}://{_BEFORE.sub("<wbr>", rest)}</span>'

    pieces = [piece if piece.startswith("<") else URL.sub(wrap, piece)
              for piece in _PIECES.findall(body)]
    return head + marker + "".join(pieces)


PAGE_OF = re.compile(r'\bdata-page-of="#?([^"]+)"')


def fill_pages(html: str, anchors: dict[str, str]) -> str:
    """Print the page of each anchor the text refers to by page (`data-page-of`), when a layout
    has told it: `data-page` holds the number, which the CSS prints instead of counting."""
    def page(match: re.Match[str]) -> str:
        label = anchors.get(match.group(1))
        return match.group(0) if label is None else f'{match.group(0)} data-page="{label}"'
    return PAGE_OF.sub(page, html) if anchors else html


def render_html(doc: DocumentModel, root: Path, extra_css: str = "",
                paper: str | None = None) -> str:
    s = doc.settings
    words = words_for(s.language, s.words)
    template = environment(root, words).get_template("report.html.j2")
    # CSS is raw text inside <style>: it must not be HTML-escaped, and must not close the tag.
    style = Markup(css(root, paper or s.paper, extra_css, words).replace("</", "<\\/"))
    return break_urls(template.render(doc=doc, s=s, authors=s.authors, build=doc.build,
                                      css=style))
