"""The models every block shares, and the base of every model read from YAML.

Every model forbids unknown keys: a misspelt key is an error, never silently ignored. Keys are
written with hyphens in YAML (`citation-style`) and underscores in Python.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              alias_generator=lambda name: name.replace("_", "-"))


class Correction(Model):
    """A typing error of the source corrected in our text, recorded so a reader can check it."""

    original: Text
    corrected: Text
    note: Text


class Event(Model):
    """A dated statement for the chronology: it says only what its block says."""

    id: Id | None = None  # for cross-references: [@ref:ID]
    date: Text
    text: Text
    cite: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        # YAML reads 1990-01-13 as a date and 1988 as a number; EDTF wants the text.
        if isinstance(value, dt.date | int):
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        return value


class Allow(Model):
    """A lint rule waived for one block, with the reason (e.g. text quoted verbatim)."""

    rule: Text
    reason: Text


class Block(Model):
    """What every block has besides its own content: an id, events, waived rules."""

    kind: ClassVar[str]  # the key that starts the block in YAML, e.g. `paragraph`
    id: Id | None = None
    events: list[Event] = []
    allow: list[Allow] = []

    @property
    def waived(self) -> set[str]:
        return {allow.rule for allow in self.allow}
