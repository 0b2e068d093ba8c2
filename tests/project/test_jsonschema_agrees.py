"""The JSON Schemas editors read (schemas/*.json) accept exactly what the models accept, explain
every field, and accept the shipped content as check-jsonschema reads it.

The schemas are read as check-jsonschema and editors read them: patterns are ECMAScript regular
expressions (via regress, as check-jsonschema does), formats are checked. Documents are JSON
data, as the schema sees them (`validate.as_json`: a YAML date is its text).
"""

from __future__ import annotations

import copy
import functools
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import regress
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, validators
from jsonschema import ValidationError as SchemaError
from pydantic import BaseModel, ValidationError

from report.cli import main
from report.project import jsonschema
from report.project.load import read_yaml
from report.project.schema import SOURCES, Source
from report.project.validate import as_json, parse

ROOT = Path(__file__).resolve().parents[2]
UDHR = ROOT / "examples" / "udhr"
SCHEMAS = {name: json.loads(text) for name, text in jsonschema.generate().items()}
MODELS = {name: model for name, (_, model) in jsonschema.SCHEMAS.items()}
SHIPPED = {
    "report.schema.json": [ROOT / "content/report.yaml", UDHR / "content/report.yaml"],
    "section.schema.json": [*sorted((ROOT / "content/sections").glob("*.yaml")),
                            *sorted((UDHR / "content/sections").glob("*.yaml"))],
    "sources.schema.json": [ROOT / "sources.yaml", UDHR / "sources.yaml"],
}
FAST = settings(derandomize=True, database=None, deadline=None, max_examples=80,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- the schema as check-jsonschema reads it --------------------------------------------------

@functools.cache
def _regex(pattern: str) -> regress.Regex:
    return regress.Regex(pattern, flags="u")


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[SchemaError]:
    if validator.is_type(instance, "string") and not _regex(pattern).find(instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


Ecma = validators.extend(Draft202012Validator, {"pattern": _pattern})
VALIDATORS = {name: Ecma(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
              for name, schema in SCHEMAS.items()}


def _model_accepts(name: str, doc: Any) -> tuple[bool, str]:
    return _accepts(lambda doc: parse(MODELS[name], doc), doc)


def _accepts(validate: Callable[[Any], Any], doc: Any) -> tuple[bool, str]:
    try:
        validate(doc)
    except ValidationError as error:
        return False, str(error)
    return True, ""


def assert_agree(check: Any, validate: Callable[[Any], Any], doc: Any) -> None:
    by_schema = check.is_valid(doc)
    by_model, why = _accepts(validate, doc)
    if by_schema != by_model:
        schema_says = [f"{list(e.absolute_path)}: {e.message}"[:300]
                       for e in check.iter_errors(doc)]
        pytest.fail(f"the schema says {by_schema}, the model {by_model}\n"
                    f"document: {json.dumps(doc, ensure_ascii=False)[:2000]}\n"
                    f"schema: {schema_says[:5]}\nmodel: {why[:1500]}")


@functools.cache
def _loaded(name: str) -> tuple[Any, ...]:
    return tuple(as_json(read_yaml(path, path.name).data) for path in SHIPPED[name])


def _shipped(name: str) -> list[Any]:
    return copy.deepcopy(list(_loaded(name)))


# --- documents: the shipped ones mutated, and ones built from the schema ----------------------

def _fields(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(model, field, its schema) for every field the schema declares: the root's and each
    definition's `properties` (not those of the constraints inside `oneOf`, `allOf`...)."""
    for model, defined in [("(root)", schema), *schema.get("$defs", {}).items()]:
        for field, prop in defined.get("properties", {}).items():
            yield model, field, prop


KEYS = sorted({field for schema in SCHEMAS.values() for _, field, _ in _fields(schema)})
EXAMPLES = [example for schema in SCHEMAS.values() for _, _, prop in _fields(schema)
            for example in prop.get("examples", [])]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 2000),
    # a number with a decimal point that is a whole number (12.0) is the one difference: see
    # test_a_whole_number_written_with_a_point_is_the_one_difference
    st.floats().filter(lambda x: not x.is_integer()),
    st.sampled_from(["", " ", "x", "a-b", "A", "a--b", "en", "en-GB", "e", "1990-01-13",
                     "1990-02-30", "2020-1-2", "1990", "-7", "60%", "0%", "100%", "100.0%",
                     "100.5%", "0.5%", "80mm", "0mm", "0.0mm", "00.01mm", "3 mm", "3mm",
                     "3mm\n", "12.5pt", "wide", "1990-01-13 10:00:00", "apa", "grouped",
                     "landscape", "decimal", "tables", "page", "book", "doe-2001"]),
    st.text(max_size=4))
VALUES = st.one_of(SCALARS, st.sampled_from(EXAMPLES), st.lists(SCALARS, max_size=2),
                   st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=2)).map(copy.deepcopy)


def _paths(doc: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(
        doc, list) else ()
    for key, child in children:
        yield from _paths(child, (*at, key))


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


TWEAKS = st.sampled_from(" 0-.%a1\n")  # a character inserted or put in place of another
CHANGES = st.sampled_from(["replace", "replace", "tweak", "drop", "add", "null", "empty"])
AT_KEYS = st.sampled_from(KEYS)


@st.composite
def tweaked(draw: st.DrawFn, text: str) -> str:
    """`text` with a character inserted, replaced or deleted: a near miss (or a near hit)."""
    at = draw(st.integers(0, len(text)))
    how = draw(st.integers(0, 2))  # insert, replace, delete
    return text[:at] + ("" if how == 2 else draw(TWEAKS)) + text[at + (how > 0):]


def near(value: Any) -> st.SearchStrategy[Any]:
    """Values next to `value`: the same of another type, one more or less, a character more or
    less, empty, null; where a rule's edge is, a model and a schema differ first."""
    if isinstance(value, bool):
        return st.sampled_from([not value, int(value), str(value).lower(), None])
    if isinstance(value, int):
        return st.sampled_from([value - 1, value + 1, -1, 0, value + 0.5, str(value), True,
                                None])
    if isinstance(value, float):
        return st.sampled_from([str(value), round(value), None])
    if isinstance(value, str):
        return st.one_of(tweaked(value), st.sampled_from(["", None, 1, value + " ",
                                                          value * 20, value.upper()]))
    if isinstance(value, list):
        return st.sampled_from([[], [None], value + value[:1], value[0] if value else {}])
    if isinstance(value, dict):
        return st.sampled_from([{}, None, [value], "x"])
    return VALUES


def _nearby(value: Any) -> list[Any]:
    """Values next to `value`, for the sweep below (as `near`, without chance)."""
    if isinstance(value, str):
        return ["", value[:-1], value + " ", value + "\n", value + "-", "-" + value, value * 20,
                value.upper(), value.replace("-", "--"), value + "0", "0" + value, value + ".5",
                value.replace("%", "mm"), value.replace("1", "0")]
    if isinstance(value, bool):
        return [not value, int(value)]
    if isinstance(value, int):
        return [value - 1, value + 1, -1, 0, value + 0.5, str(value), True]
    if isinstance(value, list):
        return [[], [None], value + value[:1], value[0] if value else {}]
    return [{}, [value]]


POOL = [None, True, 0, 1, -1, 2, 1.5, "", " ", "x", "-1", [], {}, [None], ["x"], [1], [[1990]],
        {"x": 1}, "1990-01-13", "1990-02-30", "100%", "100.0%", "0%", "0mm", "3mm", "en-GB"]


@st.composite
def mutated(draw: st.DrawFn, doc: Any, most: int = 3) -> Any:
    """`doc` with one to `most` changes: a value replaced (by another type, a scalar, another
    field's example), a text changed by a character, a key or an item dropped, a key added, a
    value made null or empty."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, most))):
        paths = list(_paths(doc))
        path = paths[draw(st.integers(0, len(paths) - 1))]
        if not path:
            return draw(VALUES)
        parent, step = _at(doc, path[:-1]), path[-1]
        value = parent[step]
        how = draw(CHANGES)
        if how == "replace":
            parent[step] = draw(st.one_of(VALUES, near(value)))
        elif how == "tweak" and isinstance(value, str):
            parent[step] = draw(tweaked(value))
        elif how == "drop":
            del parent[step]
        elif how == "null":
            parent[step] = None
        elif how == "empty":
            parent[step] = type(value)() if isinstance(value, str | list | dict) else 0
        elif isinstance(parent, dict):
            parent[draw(AT_KEYS)] = draw(VALUES)
        else:
            parent.append(copy.deepcopy(parent[draw(st.integers(0, len(parent) - 1))]))
    return doc


_BUILT: dict[int, st.SearchStrategy[Any]] = {}


def built(schema: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Documents built from a schema: each field from its examples, or built in turn from its
    own schema; a few of the optional fields. The constraints between fields (`oneOf`, `allOf`)
    are left to chance, so that both sides of each are met. (hypothesis-jsonschema, whose last
    release is 0.23.1, does not run with this Hypothesis.) One strategy per schema node."""
    if id(schema) not in _BUILT:
        _BUILT[id(schema)] = _build(schema, root)
    return _BUILT[id(schema)]


def _build(schema: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        definition = root["$defs"][schema["$ref"].split("/")[-1]]
        return st.deferred(lambda: built(definition, root))
    if "properties" in schema:
        return _object(schema, root)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        return st.one_of([built(branch, root) for branch in branches])
    kind = schema.get("type")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "array":
        least = schema.get("minItems", 0)
        return st.lists(built(schema.get("items", {}), root), min_size=least,
                        max_size=least + 2)
    if kind == "object":
        return st.dictionaries(st.sampled_from(["contents", "x"]), st.text(max_size=3),
                               max_size=2)
    if kind == "string" and "pattern" in schema:  # ECMAScript's `$` is Python's `\Z`
        return st.from_regex(schema["pattern"].replace("$", r"\Z"))
    if kind == "string" and schema.get("format") == "date":
        return st.dates().map(str)
    if kind == "string":  # around its least and greatest length
        least, most = schema.get("minLength", 0), schema.get("maxLength")
        sizes = st.sampled_from([least, least + 1, least + 3] + ([most, most + 1] if most else []))
        return sizes.flatmap(lambda n: st.text(min_size=n, max_size=n))
    if kind == "integer":
        return st.integers(schema.get("minimum", 0) - 1, 3)
    return {"null": st.none(), "boolean": st.booleans()}.get(kind, SCALARS)


@st.composite
def _value(draw: st.DrawFn, prop: dict[str, Any], root: dict[str, Any]) -> Any:
    """A field's value: one of its examples, built from its schema, or (one time in six) next
    to an example: a near miss the field's schema does not foresee."""
    example = st.sampled_from(prop["examples"]).map(copy.deepcopy)
    which = draw(st.integers(0, 5))
    if which == 0:
        return draw(example.flatmap(near))
    return draw(example if which % 2 else built(prop, root))


def _object(schema: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    fields = {name: _value(prop, root) for name, prop in schema["properties"].items()}
    required = schema.get("required", [])
    optional = [name for name in fields if name not in required]
    # the keys the constraints between fields name (rows, csv...) are chosen more often
    focus = sorted(set(re.findall(r"'required': \['([^']+)'\]", str(
        [schema.get(k) for k in ("allOf", "anyOf", "oneOf")]))) & set(optional))
    some = st.builds(set.union, *(st.sets(st.sampled_from(keys), max_size=max_size)
                                  for keys, max_size in ((optional, 3), (focus, 3)) if keys)
                     ) if optional else st.just(set())

    @st.composite
    def one(draw: st.DrawFn) -> dict[str, Any]:
        return {name: draw(fields[name]) for name in [*required, *sorted(draw(some))]}

    return one()


def _models(annotation: Any, found: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """Every model reachable from `annotation`, by name (as the schema's `$defs` name them)."""
    if (isinstance(annotation, type) and issubclass(annotation, BaseModel)
            and annotation.__name__ not in found):
        found[annotation.__name__] = annotation
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for arg in get_args(annotation):
        _models(arg, found)
    return found


# (schema, definition, its model) for every model of every schema, the root's included
DEFINITIONS = [(name, definition, model) for name, schema in SCHEMAS.items()
               for definition, model in _models(
                   Source if MODELS[name] is SOURCES else MODELS[name], {}).items()
               if definition in schema["$defs"] or definition == schema["title"]]


# --- agreement --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_shipped_documents_are_valid_to_both(name: str) -> None:
    for doc in _shipped(name):
        assert VALIDATORS[name].is_valid(doc) and _model_accepts(name, doc)[0]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_and_model_agree_on_changed_documents(name: str) -> None:
    """The shipped documents, each changed in one to three places."""

    @FAST
    @given(st.sampled_from(_shipped(name)).flatmap(mutated))
    def agree(doc: Any) -> None:
        assert_agree(VALIDATORS[name], lambda doc: parse(MODELS[name], doc), doc)

    agree()


def _checks(name: str, definition: str,
            model: type[BaseModel]) -> tuple[dict[str, Any], Any, Callable[[Any], Any]]:
    """A model's own schema, the schema's validator for it, and the model's."""
    schema = SCHEMAS[name]
    own = schema["$defs"].get(definition, schema)
    check = Ecma({**own, "$defs": schema["$defs"]},
                 format_checker=Draft202012Validator.FORMAT_CHECKER)
    return own, check, lambda doc: model.model_validate(doc, by_name=False)


@functools.cache
def _instances(name: str, definition: str, model: type[BaseModel]) -> tuple[Any, ...]:
    """The objects of the shipped documents and of the examples that are valid instances of a
    model (to both sides): starting points one change away from a difference."""
    _, check, validate = _checks(name, definition, model)
    nodes = [_at(doc, path) for name in SCHEMAS for doc in [*_loaded(name), *EXAMPLES]
             for path in _paths(doc)]
    return tuple(node for node in nodes if isinstance(node, dict)
                 and check.is_valid(node) and _accepts(validate, node)[0])[:20]


@pytest.mark.parametrize(("name", "definition", "model"), DEFINITIONS,
                         ids=[f"{name}:{definition}" for name, definition, _ in DEFINITIONS])
def test_schema_and_model_agree_on_each_model(name: str, definition: str,
                                              model: type[BaseModel]) -> None:
    """Each model of the schema on its own: its valid instances in the shipped documents and
    the examples, and objects built from its schema (fields from their examples or built in
    turn), as they are or changed once or twice: in a small object, a change meets a field's
    every rule."""
    own, check, validate = _checks(name, definition, model)
    valid = _instances(name, definition, model)
    start = st.one_of(st.sampled_from(valid).map(copy.deepcopy), built(own, SCHEMAS[name]))

    @settings(FAST, max_examples=40)
    @given(st.one_of(start, start.flatmap(lambda doc: mutated(doc, most=2))))
    def agree(doc: Any) -> None:
        assert_agree(check, validate, doc)

    agree()


@pytest.mark.parametrize(("name", "definition", "model"), DEFINITIONS,
                         ids=[f"{name}:{definition}" for name, definition, _ in DEFINITIONS])
def test_schema_and_model_agree_on_every_value_of_every_field(
        name: str, definition: str, model: type[BaseModel]) -> None:
    """Without chance: in a valid instance of each model, every value (and every field the model
    has, given or not) set in turn to each of a pool of values and to values next to it."""
    own, check, validate = _checks(name, definition, model)
    base = max(_instances(name, definition, model), key=len)  # the one with the most fields
    fields = [*own["properties"]][:30] + [*base]  # of the CSL fields, 30 are enough
    targets = [(field,) for field in dict.fromkeys([*fields, "unknown"])] + [
        path for path in _paths(base) if len(path) > 1  # the first item of a list stands
        and not any(isinstance(step, int) and step for step in path)]  # for the others
    for path in targets:
        examples = own["properties"].get(path[0], {}).get("examples", []) if len(
            path) == 1 else []
        current = [_at(base, path)] if len(path) > 1 or path[0] in base else []
        for value in [*POOL, *examples, *(v for x in [*current, *examples] for v in _nearby(x))]:
            doc = copy.deepcopy(base)
            _at(doc, path[:-1])[path[-1]] = value
            assert_agree(check, validate, doc)


@pytest.mark.parametrize(("name", "doc"), [
    # a bare year is a number to YAML (and to the schema), the text "1988" to the model
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"paragraph": "P", "events": [
        {"date": 1988, "text": "T"}]}]}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"table": {
        "caption": "C", "header-rows": 1, "rows": [["a", None], [12, "b"]]}}]}),
    ("report.schema.json", {"title": "T", "date": "2020-01-02", "print": {"bleed": "3 mm"}}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"figure": {
        "image": "i.png", "caption": "C", "width": "100.0%"}}]}),
    ("sources.schema.json", [{"id": "a", "type": "book", "volume": 2, "issued": {
        "date-parts": [["1990", 1]]}, "author": [{"family": "", "literal": "UN"}]}]),
])
def test_what_the_models_take_beyond_their_type_the_schema_takes(name: str, doc: Any) -> None:
    assert VALIDATORS[name].is_valid(doc) and _model_accepts(name, doc)[0]


@pytest.mark.parametrize(("name", "doc"), [
    ("report.schema.json", {"title": "T", "date": "2020-01-02", "citation_style": "apa"}),
    ("report.schema.json", {"title": "T", "date": 0}),
    ("report.schema.json", {"title": "T", "date": "2020-01-02 10:00:00"}),
    ("report.schema.json", {"title": "T", "date": "2020-01-02", "punctuation-in-quote": 1}),
    ("report.schema.json", {"title": "T", "date": "2020-01-02", "key-facts": [
        {"label": "L", "text": "t", "figures": []}]}),
    ("report.schema.json", {"title": "T", "date": "2020-01-02", "print": {"bleed": "3mm\n"}}),
    ("section.schema.json", {"id": "a\n", "title": "A", "blocks": [{"paragraph": "P"}]}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"table": {
        "caption": "C", "header-rows": "1", "rows": [["a"]]}}]}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"table": {
        "caption": "C", "columns": [{"label": "A"}, {"align": "left"}], "rows": [["a", "b"]]}}]}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"table": {
        "caption": "C", "columns": [{"label": "A"}], "header-rows": -1, "rows": [["a"]]}}]}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"figure": {
        "image": "i.png", "caption": "C", "width": "100.0000000000000001%"}}]}),
    ("section.schema.json", {"id": "a", "title": "A", "blocks": [{"figure": {
        "image": "i.png", "caption": "C", "width": "0.0mm"}}]}),
    ("sources.schema.json", [{"id": "a", "type": "book", "volume": True}]),
    ("sources.schema.json", [{"id": "a", "type": "book", "author": [{"family": ""}]}]),
])
def test_what_pydantic_would_take_by_default_both_refuse(name: str, doc: Any) -> None:
    assert not VALIDATORS[name].is_valid(doc) and not _model_accepts(name, doc)[0]


def test_a_whole_number_written_with_a_point_is_the_one_difference() -> None:
    # YAML's 12.0 is a float, which a table cell refuses (it would print 12); JSON has one kind
    # of number, and to JSON Schema 12.0 is the integer 12
    doc = {"id": "a", "title": "A", "blocks": [{"table": {
        "caption": "C", "header-rows": 1, "rows": [["a"], [12.0]]}}]}
    assert VALIDATORS["section.schema.json"].is_valid(doc)
    assert "Put a number with a decimal point in quotes" in _model_accepts(
        "section.schema.json", doc)[1]


def test_yaml_dates_are_their_text(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text("title: 2020-01-02\ndate: 2020-01-02\nperiod: 1990-01-01 10:00:00\n")
    doc = as_json(read_yaml(path, "report.yaml").data)
    assert doc == {"title": "2020-01-02", "date": "2020-01-02", "period": "1990-01-01 10:00:00"}
    assert VALIDATORS["report.schema.json"].is_valid(doc)
    assert _model_accepts("report.schema.json", doc)[0]


# --- check-jsonschema on the shipped content ---------------------------------------------------

def test_check_jsonschema_accepts_the_shipped_content(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "brief")]) == 0
    capsys.readouterr()
    new = tmp_path / "brief"
    files = {"report.schema.json": [new / "content/report.yaml"],
             "section.schema.json": sorted((new / "content/sections").glob("*.yaml")),
             "sources.schema.json": [new / "sources.yaml"]}
    for name, paths in SHIPPED.items():
        run = subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--schemafile",
             str(ROOT / "schemas" / name), *map(str, paths + files[name])],
            capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "ok -- validation done" in run.stdout


# --- every field explains itself ----------------------------------------------------------------

def test_every_field_has_a_description_and_an_example() -> None:
    missing = [f"{name}: {model}.{field}" for name, schema in SCHEMAS.items()
               for model, field, prop in _fields(schema)
               if not prop.get("description") or not prop.get("examples")]
    assert missing == []
    undescribed = [f"{name}: {model}" for name, schema in SCHEMAS.items()
                   for model, definition in schema.get("$defs", {}).items()
                   if not definition.get("description")]
    assert undescribed == []


def test_every_example_is_valid_for_its_field() -> None:
    wrong = []
    for name, schema in SCHEMAS.items():
        for model, field, prop in _fields(schema):
            check = Ecma({**prop, "$defs": schema.get("$defs", {})},
                         format_checker=Draft202012Validator.FORMAT_CHECKER)
            wrong += [f"{name}: {model}.{field}: {example!r}" for example in prop["examples"]
                      if not check.is_valid(example)]
    assert wrong == []


def test_the_csl_fields_are_explained_by_their_kind() -> None:
    fields = SCHEMAS["sources.schema.json"]["$defs"]["Source"]["properties"]
    assert fields["publisher"]["description"] == (
        "Who published it (CSL `publisher`): text, or a whole number.")
    assert fields["issued"]["examples"] == [{"date-parts": [[1948, 12, 10]]}]
    assert fields["editor"]["examples"][0] == [{"family": "Morsink", "given": "Johannes"}]
    assert fields["editor"]["anyOf"][0]["errorMessage"] == (
        "`editor` is a list of names, e.g.\n  editor: [{family: Doe, given: Jane}]\n"
        "  editor: [{literal: United Nations}]")
