"""Stage 5, HTML: the document model through Jinja2 templates into one print HTML file.

Templates are looked up in the project's styles/templates/ first, then in the package's theme,
so one template can be overridden without copying the rest; `{% extends "!theme/NAME" %}`
reaches the package's version of an overridden template (as in Pelican).
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from report import blocks
from report.blocks import SPECS
from report.document.model import DocumentModel
from report.render import fonts

THEME = Path(__file__).parent / "theme"
BLOCKS = Path(blocks.__file__).parent
PAPER = {"a4": "A4", "letter": "letter", "a5": "A5"}  # a5: the print edition only


def environment(root: Path) -> jinja2.Environment:
    theme = jinja2.FileSystemLoader(THEME / "templates")
    blocks = jinja2.PrefixLoader({"blocks": jinja2.FileSystemLoader(BLOCKS)}, delimiter="/")
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(root / "styles" / "templates"),
        theme,
        blocks,
        jinja2.PrefixLoader({"!theme": jinja2.ChoiceLoader([theme, blocks])}, delimiter="/"),
    ])
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=False, lstrip_blocks=False)


def stylesheets(root: Path) -> list[Path]:
    """The theme's CSS, each kind of block's, then the project's styles/*.css in name order."""
    block_css = [spec.css_path for spec in SPECS if spec.css_path]
    return [THEME / "report.css", *block_css, *sorted((root / "styles").glob("*.css"))]


def css(root: Path, paper: str, extra: str = "") -> str:
    """Fonts, page size, the theme, the project's styles, then the edition's rules."""
    parts = [fonts.font_face_css(root), f"@page {{ size: {PAPER[paper]}; }}"]
    parts += [path.read_text(encoding="utf-8") for path in stylesheets(root)]
    return "\n".join([*parts, extra])


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
    template = environment(root).get_template("report.html.j2")
    s = doc.settings
    # CSS is raw text inside <style>: it must not be HTML-escaped, and must not close the tag.
    style = Markup(css(root, paper or s.paper, extra_css).replace("</", "<\\/"))
    return template.render(doc=doc, s=s, authors=s.authors, build=doc.build, css=style)
