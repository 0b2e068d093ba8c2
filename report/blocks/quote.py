"""`quote:` a block quotation, with the source its words come from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup
from pydantic import Field

from report.blocks.base import Block, Correction, Model, Text, cite, corrections
from report.blocks.spec import BlockSpec, Finding, Steps


class Quoted(Model):
    """The words of a block quotation, and the source they come from."""

    text: Text = Field(description=(
        "The words quoted, exactly as the source gives them (Markdown; a passage in another "
        "language as [words]{lang=fr})."), examples=[
        "All human beings are born free and equal in dignity and rights."])
    cite: str | None = cite()
    corrections: list[Correction] = corrections()


class Quote(Block):
    """A block quotation."""

    kind = "quote"
    quote: Quoted = Field(description="The quotation: its words and their source.", examples=[{
        "text": "All human beings are born free and equal in dignity and rights.",
        "cite": "[@unga-217a, art. 1]"}])


def quoted_texts(key: str, body: Quoted) -> Iterator[tuple[Steps, str]]:
    yield (key, "text"), body.text
    if body.cite:
        yield (key, "cite"), body.cite


def quoted_view(key: str, body: Quoted, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    return {"html": html((key, "text")),
            "cite": html((key, "cite")) if body.cite else Markup(""),
            "corrections": tuple(body.corrections)}


def without_source(what: str, body: Quoted) -> Iterator[Finding]:
    if not body.cite:
        yield Finding((), "quote-without-source", f"This {what} has no source.",
                      'Add `cite: "[@key]"` naming where the words come from.')


SPEC = BlockSpec(
    "quote", Quote, lambda block: quoted_texts("quote", block.quote),
    lambda block, html: quoted_view("quote", block.quote, html), "quote.html.j2", "quote.css",
    findings=lambda block: without_source("quotation", block.quote),
    rules=("quote-without-source",))
