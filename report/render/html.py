"""Stage 5, HTML: the document model through Jinja2 templates into one print HTML file.

Templates are looked up in the project's styles/templates/ first, then in the package's theme,
so one template can be overridden without copying the rest; `{% extends "!theme/NAME" %}`
reaches the package's version of an overridden template (as in Pelican).

A project's templates come from people and from imports: every template is rendered in Jinja's
immutable sandbox, which lets a template read the report's data but not reach Python's
internals (`cycler.__init__.__globals__`), call what changes data, or read files. What a
template does wrong (a syntax error, an undefined name, a refused expression, any error while
it runs) is a Problem at the template's file and line, never an internal error.
"""

from __future__ import annotations

import functools
import inspect
import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from report import blocks
from report.blocks import SPECS
from report.checks import templates as checks
from report.document.model import DocumentModel
from report.document.words import words_for
from report.files import NotInProject, NotText, decode_text, not_in_project, project_file
from report.problems import Location, Problem, ReportError
from report.render import fonts

THEME = Path(__file__).parent / "theme"
BLOCKS = Path(blocks.__file__).parent
PAPER = {"a4": "A4", "letter": "letter", "a5": "A5"}  # a5: the print edition only


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, and no class methods either: those build objects from
    outside the template's data (pydantic's `parse_file` reads a file)."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if inspect.ismethod(value) and isinstance(value.__self__, type):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """What is undefined stays undefined: `x.__class__` of an undefined `x` (or of a
        refused attribute) reports `x`, not the Undefined object's class."""
        if isinstance(obj, jinja2.Undefined):
            obj._fail_with_undefined_error()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, jinja2.Undefined):
            obj._fail_with_undefined_error()
        return super().getitem(obj, argument)


class Refused(jinja2.TemplateError):
    """A project template that report/files.py's project_file refused (a link leading out)."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(file)
        self.file, self.reason = file, reason


class ProjectTemplates(jinja2.BaseLoader):
    """The project's styles/templates/, each file read through project_file: inside the
    project after following links, UTF-8 text."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        file = f"{checks.TEMPLATES}/{template}"
        try:
            path = project_file(self.root, file)
        except NotInProject as error:
            if error.reason == "missing":
                raise jinja2.TemplateNotFound(template) from None
            raise Refused(file, error.reason) from None
        mtime = path.stat().st_mtime
        try:
            source = decode_text(path.read_bytes())
        except NotText as error:
            raise jinja2.TemplateSyntaxError("the file is not UTF-8 text", error.line, template,
                                             str(path)) from None
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def environment(root: Path, words: Mapping[str, str] | None = None) -> jinja2.Environment:
    """Templates from the project's styles/templates/, the theme and the block kinds, in the
    sandbox; `say` prints one of the report's fixed words (report/document/words.py)."""
    theme = jinja2.FileSystemLoader(THEME / "templates")
    blocks = jinja2.PrefixLoader({"blocks": jinja2.FileSystemLoader(BLOCKS)}, delimiter="/")
    loader = jinja2.ChoiceLoader([
        ProjectTemplates(root),
        theme,
        blocks,
        jinja2.PrefixLoader({"!theme": jinja2.ChoiceLoader([theme, blocks])}, delimiter="/"),
    ])
    env = Sandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                  trim_blocks=False, lstrip_blocks=False)
    env.globals["say"] = functools.partial(say, words or words_for("en"))
    return env


def render_template(root: Path, name: str, words: Mapping[str, str] | None = None,
                    **context: Any) -> str:
    """The template `name` rendered in the sandbox; ReportError at the template's file and
    line for whatever a template did wrong."""
    try:
        return environment(root, words).get_template(name).render(**context)
    except Exception as error:
        problem = template_problem(error, root)
        if problem is None:
            raise
        raise ReportError([problem]) from None


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def say(words: Mapping[str, str], key: str, **values: Any) -> Markup:
    """A fixed sentence, escaped, its `{placeholders}` filled (escaped unless Markup). Only
    plain names are filled: the sentences come from the project (`words:`), and a format
    string's `{x.attr}` or `{x[key]}` would reach into the values' Python internals."""
    if key not in words:
        raise jinja2.UndefinedError(checks.no_word(key))

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(escape(values[name])) if name in values else match.group(0)
    return Markup(_PLACEHOLDER.sub(fill, str(escape(words[key]))))


def template_problem(error: Exception, root: Path) -> Problem | None:
    """What a template did wrong, at the innermost project template (else the innermost
    template) of the traceback; None for an error in the package's own code."""
    frames = _template_frames(error, root)
    if isinstance(error, jinja2.TemplateSyntaxError):
        file = _shown(error.filename or "", root) or error.name or "template"
        return checks.syntax_problem(Location(file, error.lineno or 0, 1), error.message or "")
    if isinstance(error, Refused):
        message, hint = not_in_project(error.reason, error.file, "template",
                                       f"{checks.TEMPLATES}/x.html.j2")
        where = _where(frames, root) if frames else Location(error.file)
        return Problem(where, message, hint, code="outside-project", value=error.file)
    in_project = any(project for _, _, project in frames)
    if not frames or not (in_project or isinstance(error, jinja2.TemplateError)):
        return None
    detail = str(error) or type(error).__name__
    if isinstance(error, SecurityError | OverflowError):  # the sandbox refused it (or a range)
        needle = re.search(r"'([^']+)'", detail)
        return checks.refused_problem(_where(frames, root, needle[1] if needle else ""), detail)
    if isinstance(error, jinja2.UndefinedError):
        name = re.fullmatch(r"'(\w+)' is undefined", detail)
        if name:
            return checks.undefined_problem(_where(frames, root, name[1]), name[1])
        attr = re.fullmatch(r"'(?:[\w.]+\.)?(\w+)(?: object)?' has no attribute '([^']+)'",
                            detail)
        if attr:
            return Problem(_where(frames, root, attr[2]), f"`{attr[1]}` has no attribute "
                           f"`{attr[2]}`.", checks.HINT_UNDEFINED, code="template-undefined",
                           value=attr[2])
        return Problem(_where(frames, root), detail[:1].upper() + detail[1:].rstrip(".") + ".",
                       checks.HINT_UNDEFINED, code="template-undefined")
    if isinstance(error, jinja2.TemplateNotFound):
        return checks.missing_problem(_where(frames, root, str(error.name)), str(error.name))
    return Problem(_where(frames, root), f"The template failed: {detail}.",
                   "Correct the expression on this line.", code="template-error")


Frame = tuple[str, int, bool]  # the file as shown, its line, whether it is the project's


def _template_frames(error: Exception, root: Path) -> list[Frame]:
    """The templates in the traceback (Jinja puts each template's file and line there)."""
    project = (root / checks.TEMPLATES).resolve()
    found = []
    for frame, line in traceback.walk_tb(error.__traceback__):
        shown = _shown(frame.f_code.co_filename, root)
        if shown:
            path = Path(frame.f_code.co_filename)
            found.append((shown, line, path.is_relative_to(project)))
    return found


def _shown(filename: str, root: Path) -> str | None:
    """A template's file as a message names it: relative to the project, or the package's
    file; None if `filename` is no template."""
    if not filename or filename.startswith("<"):
        return None
    path = Path(filename)
    root = root.resolve()
    if path.is_relative_to(root / checks.TEMPLATES):
        return path.relative_to(root).as_posix()
    if path.is_relative_to(THEME / "templates") or (path.is_relative_to(BLOCKS)
                                                    and path.suffix == ".j2"):
        return str(path)
    return None


def _where(frames: list[Frame], root: Path, needle: str = "") -> Location:
    """The innermost project template of the traceback, else the innermost template; the
    column of `needle` on its line when it is there."""
    file, line, _ = next((f for f in reversed(frames) if f[2]), frames[-1])
    path = root / file if not Path(file).is_absolute() else Path(file)
    try:
        source = decode_text(path.read_bytes())
    except (OSError, NotText):
        source = ""
    return Location(file, line, checks.column(source, line, needle))


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
    return [THEME / "report.css", *block_css, *[
        _project_css(root, f"styles/{p.name}") for p in sorted((root / "styles").glob("*.css"))]]


def _project_css(root: Path, name: str) -> Path:
    """A style sheet of the project, through project_file (a link leading out is refused)."""
    try:
        return project_file(root, name)
    except NotInProject as error:
        message, hint = not_in_project(error.reason, name, "style sheet", "styles/report.css")
        raise ReportError([Problem(Location(name), message, hint, code="outside-project",
                                   value=name)]) from None


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


def render_html(doc: DocumentModel, root: Path, extra_css: str = "",
                paper: str | None = None) -> str:
    s = doc.settings
    words = words_for(s.language, s.words)
    # CSS is raw text inside <style>: it must not be HTML-escaped, and must not close the tag.
    style = Markup(css(root, paper or s.paper, extra_css, words).replace("</", "<\\/"))
    return break_urls(render_template(root, "report.html.j2", words, doc=doc, s=s,
                                      authors=s.authors, build=doc.build, css=style))
