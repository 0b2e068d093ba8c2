"""The models every block shares, and the base of every model read from YAML.

Every model forbids unknown keys: a misspelt key is an error, never silently ignored. Keys are
written with hyphens in YAML (`citation-style`) and underscores in Python.

The JSON Schemas editors read are generated from these models (report/project/jsonschema.py),
and accept exactly what the models accept: so the models take no liberties pydantic would take
by default (a `"1"` for a number, a `1` for `true`), and what a validator below accepts beyond
its type is written into the schema beside it. Every field says what it is (`description`) and
shows an example (`examples`): an editor shows both on hover.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

Text = Annotated[str, StringConstraints(min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]


def whole(value: Any) -> Any:
    # JSON Schema counts 2.0 as the integer 2 (JSON cannot tell them apart); so does the model
    return int(value) if isinstance(value, float) and value.is_integer() else value


# A whole number: never `true` or "2" (pydantic's lax mode would take both).
Whole = Annotated[int, Strict(), BeforeValidator(whole)]
Flag = Annotated[bool, Strict()]  # `true` or `false`, never 1 or "yes"


def present(name: str) -> dict[str, Any]:
    """A JSON Schema saying that the key `name` is given and not null: a model's `None`."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def said(message: str) -> Any:
    """A `json_schema_extra` giving a field's typed schema (not its `null`) the message an
    editor shows when the value has the wrong type (VS Code's `errorMessage`)."""

    def extra(schema: dict[str, Any]) -> None:
        for branch in schema.get("anyOf", [schema]):
            if "$ref" in branch or branch.get("type", "null") != "null":
                branch["errorMessage"] = message

    return extra


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              alias_generator=lambda name: name.replace("_", "-"))


def cite() -> Any:
    """The `cite:` field of a quotation, an event or a key figure."""
    return Field(None, description=(
        "Where this comes from: a citation in Pandoc's syntax, in quotes (YAML reads a bare `[` "
        "as the start of a list)."), examples=["[@morsink-1999]", "[@unga-217a, art. 1]"])


def corrections() -> Any:
    """The `corrections:` field of a paragraph or a quotation."""
    return Field([], description=(
        "Typing errors of the source corrected in this text, each recorded for the reader."),
        examples=[[{"original": "З0", "corrected": "30",
                    "note": "The source has a Cyrillic Ze (З) for the digit 3."}]])


class Correction(Model):
    """A typing error of the source corrected in our text, recorded so a reader can check it
    (the colophon lists every correction)."""

    original: Text = Field(description="The text as the source prints it, with its error.",
                           examples=["З0"])
    corrected: Text = Field(description="The text as this report prints it.", examples=["30"])
    note: Text = Field(description="What was wrong, for the reader.", examples=[
        "The source has a Cyrillic Ze (З) for the digit 3."])


# An event's date: EDTF text. YAML reads 1988 as a number and 1990-01-13 as a date; both are
# taken as the text they were written as.
EventDate = Annotated[Text, WithJsonSchema({"anyOf": [
    {"type": "string", "minLength": 1}, {"type": "integer"}]})]


class Event(Model):
    """A dated statement for the chronology: it says only what its block says."""

    id: Id | None = Field(None, description=(
        "A name for cross-references (`[@ref:first-outline]` prints its page): lower-case "
        "letters, digits and hyphens."),
        examples=["first-outline"])
    date: EventDate = Field(description=(
        "When, as an EDTF date: a year (1947), a month (1948-12), a day (1948-12-10), an "
        "approximate date (1990-01~), an uncertain one (1990?) or an interval (1948-09/1948-12, "
        "1990/..)."), examples=[1947, "1948-12-10", "1990-01~", "1948-09/1948-12"])
    text: Text = Field(description="What happened, in one sentence (Markdown).", examples=[
        "John Humphrey prepared the first outline of the declaration."])
    cite: str | None = cite()

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        # YAML reads 1990-01-13 as a date and 1988 as a number; EDTF wants the text.
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = whole(value)
            return str(value) if isinstance(value, int) else value
        return value


class Allow(Model):
    """A lint rule waived for one block, with the reason (e.g. text quoted verbatim)."""

    rule: Text = Field(description=(
        "The name of the `report check` rule waived, as it prints it (its code)."),
        examples=["unbalanced-quotes", "mixed-scripts"])
    reason: Text = Field(description="Why the rule does not apply here, for the next editor.",
                         examples=["Verbatim from the source article."])


class Block(Model):
    """What every block has besides its own content: an id, events, waived rules."""

    kind: ClassVar[str]  # the key that starts the block in YAML, e.g. `paragraph`
    id: Id | None = Field(None, description=(
        "A name for cross-references (`[@ref:vote]` prints \"Table 1, p. 5\"): lower-case "
        "letters, digits and hyphens, unique in the report."), examples=["vote"])
    events: list[Event] = Field([], description=(
        "Dated statements this block makes, for the chronology appendix."), examples=[[{
            "date": 1947, "text": "John Humphrey prepared the first outline.",
            "cite": "[@morsink-1999]"}]])
    allow: list[Allow] = Field([], description=(
        "Lint rules waived for this block, each with its reason."), examples=[[{
            "rule": "unbalanced-quotes", "reason": "Verbatim from the source article."}]])

    @property
    def waived(self) -> set[str]:
        return {allow.rule for allow in self.allow}
