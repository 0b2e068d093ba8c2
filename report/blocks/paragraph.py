"""`paragraph:` running text, with its corrections."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup

from report.blocks.base import Block, Correction, Text
from report.blocks.spec import BlockSpec, Steps


class Paragraph(Block):
    kind = "paragraph"
    paragraph: Text
    corrections: list[Correction] = []


def texts(block: Paragraph) -> Iterator[tuple[Steps, str]]:
    yield ("paragraph",), block.paragraph


def view(block: Paragraph, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    return {"html": html(("paragraph",)), "corrections": tuple(block.corrections)}


SPEC = BlockSpec("paragraph", Paragraph, texts, view, "paragraph.html.j2")
