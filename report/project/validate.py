"""Stage 2, validate: check the loaded YAML against the schema, in words people understand.

Pydantic's messages are written for programmers; each error type is rewritten here, and its
`loc` is mapped back to the file, line and column the value came from.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from report.problems import Problem, ReportError
from report.project import walk
from report.project.load import YamlFile
from report.project.read import Bibliography, Project
from report.project.schema import (
    BLOCK_KINDS,
    CSL_DATES,
    CSL_NAMES,
    CSL_TEXT,
    SOURCES,
    Section,
    Settings,
    Source,
    _SourceBase,
    date_shape,
    names_shape,
)

# Ids the templates give to the report's own parts (the HTML contract relies on them).
RESERVED_IDS = ("cover", "contents", "key-facts", "chronology", "publications", "colophon")
_SOURCES = SOURCES


@dataclass(frozen=True)
class Valid:
    """A validated project: the same files, now as models."""

    project: Project
    settings: Settings
    sections: list[tuple[YamlFile, Section]]
    sources: list[_SourceBase]


def _child(data: Any, step: Any) -> tuple[bool, Any]:
    """One step into loaded YAML data: (found, value)."""
    if isinstance(data, dict) and step in data:
        return True, data[step]
    if isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
        return True, data[step]
    return False, None


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union tags from `loc`, keeping only steps that exist in the data."""
    path: list[str | int] = []
    for i, step in enumerate(loc):
        if step in BLOCK_KINDS and loc[i - 2:i - 1] == ("blocks",) and isinstance(
                loc[i - 1], int):
            continue  # the block's tag, not its key (`paragraph` is both)
        found, child = _child(data, step)
        if found:
            data = child
            path.append(step)
        elif isinstance(data, dict) and isinstance(step, str) and step not in BLOCK_KINDS:
            path.append(step)  # a missing or unknown key: keep it for the message
            data = None
    return tuple(path)


def _allowed(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_at(root: type[BaseModel] | None, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last step of `loc` (for 'did you mean' suggestions).

    Steps that are not fields (list indexes, union tags) keep the current candidates; a step
    that is a field of one candidate moves to the models of that field's type.
    """
    candidates = [root] if root is not None else []
    for step in loc[:-1]:
        if isinstance(step, int):
            continue
        for model in candidates:
            field = next((f for n, f in model.model_fields.items() if step in (n, f.alias)), None)
            if field is not None:
                candidates = _inner_models(field.annotation)
                break
    return candidates[0] if len(candidates) == 1 else None


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()):
        found += [m for m in _inner_models(arg) if m not in found]
    return found


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


# Errors that mean "this value does not have the expected shape" (not a misspelt key)
SHAPE_ERRORS = ("list_type", "model_type", "model_attributes_type", "dict_type", "value_error",
                "too_short", "too_long", "int_type", "string_type", "string_pattern_mismatch")
DATE_HINT = ("A year alone is [[1990]]; a range has two dates, [[1990, 1], [1990, 3]]; a date "
             "that is text goes in `literal:`.")


def _csl_shape(error: Any) -> tuple[str, str] | None:
    """For a CSL name list or date of sources.yaml that has the wrong shape: a message showing
    the expected YAML. A name's or a date's own fields (a misspelt key, `literal:`) keep theirs."""
    loc = error["loc"]
    at = next((i for i, step in enumerate(loc) if step in CSL_NAMES or step in CSL_DATES), None)
    if at is None or error["type"] not in SHAPE_ERRORS:
        return None
    field, rest = loc[at], loc[at + 1:]
    if field in CSL_NAMES and len(rest) <= 1:  # the list, or one name in it
        if error["type"] == "value_error":  # a name without `family` or `literal`
            return names_shape(field, lead=str(error["ctx"]["error"]).rstrip(".")), ""
        return names_shape(field), ""
    if field in CSL_DATES and (not rest or rest[0] == "date-parts"):
        return date_shape(field), DATE_HINT
    return None


def _message(error: Any, root: type[BaseModel] | None) -> tuple[str, str]:
    kind, loc = error["type"], error["loc"]
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    if root is Source and (shape := _csl_shape(error)):
        return shape
    if kind == "extra_forbidden":
        allowed = _allowed(_model_at(root, loc))
        near = difflib.get_close_matches(name, allowed, n=1)
        hint = f"Did you mean `{near[0]}`?" if near else (
            "Allowed here: " + ", ".join(f"`{a}`" for a in allowed) + "." if allowed else "")
        dated = [step for step in loc if step in CSL_DATES]
        if dated and root is Source and not near:  # `year:` in a date: show a date
            hint = date_shape(dated[0]) + "."
        return f"The field `{name}` is unknown here.", f"Remove it or correct it. {hint}".strip()
    if kind == "missing":
        return f"The field `{name}` is missing.", f"Add `{name}:` here."
    if kind == "block_kind":
        kinds = ", ".join(f"`{k}:`" for k in BLOCK_KINDS)
        return ("This block has no kind I know.",
                f"Start each block with exactly one of {kinds}.")
    if kind == "string_too_short":
        return "This is empty.", "Write the text, or remove the field."
    if kind == "string_too_long":
        return "This is too long.", f"Write at most {error['ctx']['max_length']} characters."
    if root is Source and kind in ("string_type", "int_type") and set(loc) & set(CSL_TEXT):
        return "This should be text or a whole number.", "Put a number with a point in quotes."
    if kind == "string_type":
        return "This should be text.", ("Write it as text; put it in quotes if it looks like a "
                                         "number.")
    if kind == "list_type":
        return "This should be a list.", "Write each item on its own line, starting with `- `."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "This should be a group of `key: value` fields.", "See the README for its shape."
    if kind == "too_short":
        return "This list is empty.", "Add at least one item."
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        near = difflib.get_close_matches(str(error["input"]), options, n=1, cutoff=0.5)
        if len(options) > 8:
            hint = f"Did you mean `{near[0]}`?" if near else (
                "See the list of allowed values in the README.")
        else:
            hint = "Use one of: " + ", ".join(f"`{o}`" for o in options) + "."
        return "This value is not one of those allowed.", hint
    if kind == "string_pattern_mismatch":
        if name == "id" or (loc and loc[-1] == "id"):
            return ("This id is not a valid name.",
                    "Use lower-case letters, digits and single hyphens, starting with a letter "
                    "(for example `kushen-1991`).")
        return "This value has the wrong form.", "Check it against the README."
    if kind.startswith("date") or kind.startswith("datetime"):
        return "This is not a valid date.", "Write a date as YYYY-MM-DD, for example 1990-01-13."
    if kind in ("bool_type", "bool_parsing"):
        return "This should be `true` or `false`.", ""
    if kind in ("int_type", "int_parsing"):
        quoted = isinstance(error["input"], str)
        return "This should be a whole number.", "Write it without quotes." if quoted else ""
    if kind == "value_error":
        return str(error["ctx"]["error"]), ""
    return error["msg"] + ".", ""


def problems_of(error: ValidationError, file: YamlFile | Bibliography,
                root: type[BaseModel] | None,
                prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    problems: list[Problem] = []
    for item in error.errors():
        loc = (*prefix, *item["loc"])
        path = _data_path(file.data, loc)
        exists = bool(path) and _exists(file.data, path)
        at_key = exists and item["type"] == "extra_forbidden"
        where = file.where(path, key=at_key) if exists else file.where(path)
        message, hint = _message(item, root)
        # a message that ends with lines of YAML to copy has nothing printed after them
        value = _short(item["input"]) if item["type"] not in ("missing",) and not isinstance(
            item["input"], dict | list) and "\n" not in message else ""
        problem = Problem(where, message, hint, code=f"schema-{item['type']}", value=value)
        said = (where, message, hint, value)  # the branches of a union can say the same
        if said not in [(p.location, p.message, p.hint, p.value) for p in problems]:
            problems.append(problem)
    return problems


def _exists(data: Any, path: tuple[str | int, ...]) -> bool:
    for step in path:
        found, data = _child(data, step)
        if not found:
            return False
    return True


def as_json(data: Any) -> Any:
    """Loaded YAML as JSON has it, as editors and check-jsonschema see it: a date is its text
    (PyYAML reads 1990-01-13 as a date; YAML 1.2, which editors read, as text)."""
    if isinstance(data, dict):
        return {key: as_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_json(value) for value in data]
    if isinstance(data, dt.date):
        return str(data)  # 1990-01-13, or 1990-01-13 10:00:00 for a date-time
    return data


def parse(model: Any, data: Any) -> Any:
    """Loaded YAML as a model (Settings, Section, or _SOURCES for sources.yaml); raises
    ValidationError. The model reads the data as the JSON Schema does: the YAML keys only (not
    the Python names, `citation_style`), and dates as their text."""
    if model is _SOURCES:
        return _SOURCES.validate_python(as_json(data), by_name=False)
    return model.model_validate(as_json(data), by_name=False)


def _check(model: Any, file: YamlFile | Bibliography, problems: list[Problem], root: Any) -> Any:
    if not isinstance(file.data, list if model is _SOURCES else dict):
        shape = "a list of entries, each starting with `- id:`" if model is _SOURCES else (
            "a group of `key: value` fields")
        problems.append(Problem(file.where(()), "This file does not have the expected shape.",
                                f"It should hold {shape}.", code="file-shape"))
        return None
    try:
        return parse(model, file.data)
    except ValidationError as error:
        problems.extend(problems_of(error, file, root))
        return None


def validate(project: Project) -> Valid:
    problems: list[Problem] = []
    settings = _check(Settings, project.report, problems, Settings)
    sections = [(f, _check(Section, f, problems, Section)) for f in project.sections]
    sources = _check(_SOURCES, project.sources, problems, Source)
    if problems:
        raise ReportError(problems)
    _unique_ids(sections, sources, project, problems)
    if problems:
        raise ReportError(problems)
    return Valid(project, settings, sections, sources)


def _unique_ids(sections: list[tuple[YamlFile, Section]], sources: list[_SourceBase],
                project: Project, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}

    def claim(name: str, file: YamlFile | Bibliography, path: tuple[str | int, ...]) -> None:
        where = file.where(path)
        if name in RESERVED_IDS:
            problems.append(Problem(where, f"The id `{name}` is reserved for a part of the "
                                    "report the templates make.",
                                    "Choose another id, e.g. `article-" + name + "`.",
                                    code="reserved-id", value=name))
        elif name in seen:
            problems.append(Problem(where, f"The id `{name}` is used twice.",
                                    f"It is already used at {seen[name]}. Ids must be unique "
                                    "across all files.", code="duplicate-id", value=name))
        else:
            seen[name] = str(where)

    for file, section in sections:
        claim(section.id, file, ("id",))
        for at in walk.blocks([(file, section)]):
            if at.block.id:
                claim(at.block.id, file, (*at.path, "id"))
    for i, source in enumerate(sources):
        claim(source.id, project.sources, (i, "id"))
