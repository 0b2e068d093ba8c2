"""`testimony:` a witness's words, with who speaks and the source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from pydantic import Field

from report.blocks.base import Block, Text
from report.blocks.quote import Quoted, quoted_texts, quoted_view, without_source
from report.blocks.spec import BlockSpec, Steps


class Testimony(Quoted):
    """A witness's words: a quotation with who speaks."""

    speaker: Text = Field(description="Who speaks, as the report names them.",
                          examples=["Eleanor Roosevelt"])
    about: str | None = Field(None, description=(
        "When or where they spoke, or in what role, printed after the name."),
        examples=["to the General Assembly, before the vote"])


class TestimonyBlock(Block):
    """A witness's words, with who speaks and the source."""

    kind = "testimony"
    testimony: Testimony = Field(description="The testimony: who speaks, the words, the source.",
                                 examples=[{"speaker": "Eleanor Roosevelt",
                                            "text": "This Universal Declaration of Human Rights "
                                                    "may well become the international Magna "
                                                    "Carta for all men everywhere.",
                                            "cite": "[@glendon-2001]"}])


def view(block: TestimonyBlock, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    body = block.testimony
    return {**quoted_view("testimony", body, html), "speaker": body.speaker,
            "about": body.about or ""}


SPEC = BlockSpec(
    "testimony", TestimonyBlock, lambda block: quoted_texts("testimony", block.testimony),
    view, "testimony.html.j2", "testimony.css",
    findings=lambda block: without_source("testimony", block.testimony),
    rules=("quote-without-source",))
