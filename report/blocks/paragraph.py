"""`paragraph:` running text, with its corrections."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup
from pydantic import Field

from report.blocks.base import Block, Correction, Text, corrections
from report.blocks.spec import BlockSpec, Steps


class Paragraph(Block):
    """Running text."""

    kind = "paragraph"
    paragraph: Text = Field(description=(
        "The text, in Markdown (*emphasis*, [links](https://...)), with citations in Pandoc's "
        "syntax ([@key], [@key, p. 12]) and cross-references ([@sec:id])."),
        examples=["The French jurist René Cassin reworked it into a draft [@morsink-1999]."])
    corrections: list[Correction] = corrections()


def texts(block: Paragraph) -> Iterator[tuple[Steps, str]]:
    yield ("paragraph",), block.paragraph


def view(block: Paragraph, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    return {"html": html(("paragraph",)), "corrections": tuple(block.corrections)}


SPEC = BlockSpec("paragraph", Paragraph, texts, view, "paragraph.html.j2")
