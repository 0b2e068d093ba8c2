"""One walk over blocks, texts and events, with where each is written."""

from __future__ import annotations

from pathlib import Path

from report.project import walk
from report.project.read import load_project
from report.project.validate import validate
from tests.conftest import make

SECTION = """id: one
title: One
blocks:
  - paragraph: First [@doe-2001].
    events:
      - date: 1990-01-13
        text: An event.
        cite: "[@doe-2001]"
  - id: said
    quote:
      text: Words.
      cite: "[@doe-2001]"
  - list:
      items:
        - text: An item.
"""


def test_blocks_texts_and_events_in_document_order(tmp_path: Path) -> None:
    valid = validate(load_project(make(tmp_path, {"content/sections/01-one.yaml": SECTION})))
    blocks = list(walk.blocks(valid.sections))
    assert [(b.number, b.index, b.anchor, b.spec.kind) for b in blocks] == [
        (1, 0, "one-1", "paragraph"), (1, 1, "said", "quote"), (1, 2, "one-3", "list")]
    texts = [t for b in blocks for t in walk.block_texts(b)]
    assert [(t.path, t.source, str(t.file.where(t.path))) for t in texts] == [
        (("blocks", 0, "paragraph"), "First [@doe-2001].", "content/sections/01-one.yaml:4:16"),
        (("blocks", 1, "quote", "text"), "Words.", "content/sections/01-one.yaml:11:13"),
        (("blocks", 1, "quote", "cite"), "[@doe-2001]", "content/sections/01-one.yaml:12:13"),
        (("blocks", 2, "list", "items", 0, "text"), "An item.",
         "content/sections/01-one.yaml:15:17")]
    [event] = walk.events(valid.sections)
    assert event.path == ("blocks", 0, "events", 0)
    assert str(event.where("date")) == "content/sections/01-one.yaml:6:15"
    assert [t.path[-1] for t in walk.event_texts(event)] == ["text", "cite"]


def test_key_facts_are_texts_without_a_block(tmp_path: Path) -> None:
    report = ("title: T\ndate: 2020-01-02\nkey-facts:\n  - label: L\n    text: Said [@doe-2001].\n"
              "  - label: F\n    figures: [{value: '3', cite: '[@doe-2001]'}]\n")
    valid = validate(load_project(make(tmp_path, {"content/report.yaml": report})))
    texts = list(walk.key_fact_texts(valid.project.report, valid.settings))
    assert [(t.path, t.block, t.waived) for t in texts] == [
        (("key-facts", 0, "text"), None, set()),
        (("key-facts", 1, "figures", 0, "cite"), None, set())]
