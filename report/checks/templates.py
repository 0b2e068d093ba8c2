"""The templates a project overrides (styles/templates/, styles/templates/blocks/KIND.html.j2),
judged by `report check` before any build: each must parse, every name it uses must be one the
report gives it there, and it may not reach for Python's internals (a name starting with `_`),
which the build's sandbox refuses (report/render/html.py). The messages are the build's.

Which names a template may use is found from the templates themselves: those its own theme
version uses, and those of every template that includes it (an included template sees the
includer's variables). A template only an import reaches sees the globals and its own names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.defaults import DEFAULT_NAMESPACE
from jinja2.meta import find_undeclared_variables

from report import blocks
from report.document import words
from report.files import NotInProject, NotText, decode_text, not_in_project, project_file
from report.problems import Location, Problem

TEMPLATES = "styles/templates"
# The theme's template files, read as data (the render stage, which uses them, comes later).
THEME = Path(__file__).parents[1] / "render" / "theme" / "templates"
BLOCKS = Path(blocks.__file__).parent
GLOBALS = frozenset({*DEFAULT_NAMESPACE, "say"})  # what every template sees (render/html.py)
THEME_PREFIX = "!theme/"
HINT_SYNTAX = ("Correct the template (its language is Jinja: "
               "https://jinja.palletsprojects.com/en/stable/templates/).")
HINT_REFUSED = ("A template may only read the report's data and fill it in: it cannot reach "
                "Python's internals, run commands or read files. Remove this expression.")
HINT_UNDEFINED = ("Check the spelling. The names a template can use are those of the theme's "
                  "version of it (report/render/theme/templates/, report/blocks/).")


def syntax_problem(where: Location, message: str) -> Problem:
    return Problem(where, f"The template cannot be read: {message.rstrip('.')}.", HINT_SYNTAX,
                   code="template-syntax")


def refused_problem(where: Location, what: str) -> Problem:
    return Problem(where, f"The template was refused: {what.rstrip('.')}.", HINT_REFUSED,
                   code="template-refused")


def undefined_problem(where: Location, name: str) -> Problem:
    return Problem(where, f"`{name}` is not defined in this template.", HINT_UNDEFINED,
                   code="template-undefined", value=name)


def missing_problem(where: Location, name: str) -> Problem:
    return Problem(where, f"There is no template `{name}`.", f"Templates are found in "
                   f"{TEMPLATES}/ and in the theme (report/render/theme/templates/); check the "
                   "name.", code="template-missing", value=name)


def no_word(key: str) -> str:
    return f"The theme has no word `{key}`"


def column(source: str, line: int, needle: str) -> int:
    """The column (from 1) of `needle` on `line` of `source`; 1 when it is not there."""
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text.find(needle) + 1 if needle and needle in text else 1


def package_templates() -> dict[str, Path]:
    """The theme's templates and the block kinds' (`blocks/KIND.html.j2`), by name."""
    found = {p.relative_to(THEME).as_posix(): p for p in THEME.rglob("*") if p.is_file()}
    found |= {f"blocks/{p.name}": p for p in BLOCKS.glob("*.j2")}
    return found


def overrides(root: Path) -> list[str]:
    """The names of the project's templates (hidden files, such as editors' backups, aside)."""
    folder = root / TEMPLATES
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if not p.is_dir() and not any(part.startswith(".")
                                                for part in p.relative_to(folder).parts))


def check(root: Path) -> list[Problem]:
    """Every override parsed and its names checked; problems with file and line."""
    env = jinja2.Environment(autoescape=True)
    package = {name: env.parse(path.read_text(encoding="utf-8"))
               for name, path in package_templates().items()}
    problems: list[Problem] = []
    project: dict[str, tuple[nodes.Template, str]] = {}
    for name in overrides(root):
        file = f"{TEMPLATES}/{name}"
        try:
            source = decode_text(project_file(root, file).read_bytes())
            project[name] = (env.parse(source, name, file), source)
            env.compile(project[name][0], name, file)  # unknown filters and tests
        except NotInProject as error:
            message, hint = not_in_project(error.reason, file, "template", f"{TEMPLATES}/x.html.j2")
            problems.append(Problem(Location(file), message, hint, code="outside-project"))
        except NotText as error:
            problems.append(syntax_problem(Location(file, error.line, error.column),
                                           "the file is not UTF-8 text"))
        except jinja2.TemplateSyntaxError as error:
            project.pop(name, None)
            problems.append(syntax_problem(Location(file, error.lineno, 1), error.message or ""))
    known, used = _scopes(package, {n: ast for n, (ast, _) in project.items()})
    for name, (ast, source) in project.items():
        file = f"{TEMPLATES}/{name}"
        for attr, line in _private(ast):
            problems.append(refused_problem(Location(file, line, column(source, line, attr)),
                                            f"access to the attribute `{attr}` is unsafe"))
        if name not in used:
            near = difflib.get_close_matches(name, sorted(package), n=1)
            problems.append(Problem(
                Location(file), f"The template `{name}` replaces none of the theme's and no "
                "template includes it: it is never used.",
                f"Did you mean `{near[0]}`?" if near else "Name it after the theme's template "
                "it replaces (report/render/theme/templates/), or include it from one.",
                severity="warning", code="template-unused", value=name))
            continue
        problems += _calls(ast, source, file, set(package) | set(project))
        free = find_undeclared_variables(ast) - known.get(name, set())
        for ref in ast.find_all(nodes.Name):
            if ref.ctx == "load" and ref.name in free:
                free.discard(ref.name)
                problems.append(undefined_problem(
                    Location(file, ref.lineno, column(source, ref.lineno, ref.name)), ref.name))
    return problems


def _private(ast: nodes.Template) -> Iterator[tuple[str, int]]:
    """Attributes the sandbox refuses, with their lines: `x._y`, `x['_y']`, `x|attr('_y')`."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args and \
                isinstance(node.args[0], nodes.Const):
            name = node.args[0].value
        else:
            continue
        if isinstance(name, str) and name.startswith("_"):
            yield name, node.lineno


def _calls(ast: nodes.Template, source: str, file: str, names: set[str]) -> list[Problem]:
    """Templates included by a name that exists, and words (`say("...")`) the theme has."""
    problems = []
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        missing = [t for t in _targets(node) or [] if t not in names]
        if missing and not getattr(node, "ignore_missing", False):
            problems.append(missing_problem(
                Location(file, node.lineno, column(source, node.lineno, missing[0])), missing[0]))
    for call in ast.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "say" and call.args and \
                isinstance(call.args[0], nodes.Const) and call.args[0].value not in words.KEYS:
            key = str(call.args[0].value)
            problems.append(Problem(Location(file, call.lineno, column(source, call.lineno, key)),
                                    no_word(key) + ".", "The keys are listed in "
                                    "report/document/words.py.", code="template-undefined",
                                    value=key))
    return problems


def _names(ast: nodes.Template) -> set[str]:
    """Every name a template binds or uses: its variables, macros and imports."""
    found = {n.name for n in ast.find_all(nodes.Name)}
    found |= {m.name for m in ast.find_all(nodes.Macro)}
    found |= {i.target for i in ast.find_all(nodes.Import)}
    for i in ast.find_all(nodes.FromImport):
        found |= {n[1] if isinstance(n, tuple) else n for n in i.names}
    return found


def _targets(node: nodes.Node) -> list[str] | None:
    """The template names an include (or extends, import) names; None when computed."""
    template = getattr(node, "template", None)
    if isinstance(template, nodes.Const) and isinstance(template.value, str):
        return [template.value.removeprefix(THEME_PREFIX)]
    if isinstance(template, nodes.List | nodes.Tuple):
        items = [i.value for i in template.items if isinstance(i, nodes.Const)]
        if len(items) == len(template.items):
            return [str(i).removeprefix(THEME_PREFIX) for i in items]
    return None


def _scopes(package: dict[str, nodes.Template],
            project: dict[str, nodes.Template]) -> tuple[dict[str, set[str]], set[str]]:
    """The names each template may use, and the names of the templates something uses."""
    every = set(package) | set(project)
    edges: list[tuple[str, str]] = []  # (whose names flow, into which template)
    used = set(package)
    for origin, table in (("package", package), ("project", project)):
        for name, ast in table.items():
            for node in ast.find_all((nodes.Include, nodes.Extends, nodes.Import,
                                      nodes.FromImport)):
                targets = _targets(node)
                if targets is None:  # the theme includes its block kinds' templates by name
                    targets = sorted(n for n in package if n.startswith("blocks/")) \
                        if origin == "package" else sorted(every)
                used |= set(targets)
                for target in targets:
                    if isinstance(node, nodes.Extends):
                        edges.append((target, name))  # a child's blocks see the parent's names
                    elif isinstance(node, nodes.Include) or getattr(node, "with_context", False):
                        edges.append((name, target))
    names = {n: _names(package[n]) if n in package else set() for n in every}
    for n, ast in project.items():
        names[n] |= _names(ast)
    known = {n: set(GLOBALS) | (_names(package[n]) if n in package else set()) for n in every}
    changed = True
    while changed:
        changed = False
        for source, target in edges:
            if source in known and target in known:
                more = (known[source] | names[source]) - known[target]
                if more:
                    known[target] |= more
                    changed = True
    return known, used
