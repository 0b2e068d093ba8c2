"""`list:` a bulleted list; an item may point at an entry of the publications list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup
from pydantic import Field

from report.blocks.base import Block, Model, Text
from report.blocks.spec import BlockSpec, Steps


class ListItem(Model):
    """One item of a list."""

    text: Text = Field(description="The item's text (Markdown, with citations).",
                       examples=["On the origins and intent of each article"])
    source: str | None = Field(None, description=(
        "The id of an entry of sources.yaml the item is about: the item links to it in the "
        "publications list."), examples=["morsink-1999"])


class ListBody(Model):
    """The list's items."""

    items: list[ListItem] = Field(min_length=1, description="The items, in order.", examples=[[
        {"text": "On the origins and intent of each article", "source": "morsink-1999"}]])


class List(Block):
    """A bulleted list."""

    kind = "list"
    list: ListBody = Field(description="The list: its items.", examples=[{"items": [
        {"text": "On the origins and intent of each article", "source": "morsink-1999"}]}])


def texts(block: List) -> Iterator[tuple[Steps, str]]:
    for i, item in enumerate(block.list.items):
        yield ("list", "items", i, "text"), item.text


def view(block: List, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    items = tuple((html(("list", "items", i, "text")), item.source or "")
                  for i, item in enumerate(block.list.items))
    return {"items": items}


def keys(block: List) -> Iterator[tuple[Steps, str]]:
    for i, item in enumerate(block.list.items):
        if item.source:
            yield ("list", "items", i, "source"), item.source


SPEC = BlockSpec("list", List, texts, view, "list.html.j2", "list.css", keys=keys)
