"""`testimony:` a witness's words, with who speaks and the source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from report.blocks.base import Block, Text
from report.blocks.quote import Quoted, quoted_texts, quoted_view, without_source
from report.blocks.spec import BlockSpec, Steps


class Testimony(Quoted):
    speaker: Text
    about: str | None = None


class TestimonyBlock(Block):
    kind = "testimony"
    testimony: Testimony


def view(block: TestimonyBlock, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    body = block.testimony
    return {**quoted_view("testimony", body, html), "speaker": body.speaker,
            "about": body.about or ""}


SPEC = BlockSpec(
    "testimony", TestimonyBlock, lambda block: quoted_texts("testimony", block.testimony),
    view, "testimony.html.j2", "testimony.css",
    findings=lambda block: without_source("testimony", block.testimony),
    rules=("quote-without-source",))
