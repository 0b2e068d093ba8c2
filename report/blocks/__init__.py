"""The kinds of block a section is made of: one spec each (report/blocks/spec.py), in one
module with its model, beside its template and CSS. Adding a kind: write its module, its
template and its CSS, and add its SPEC below (see the README's "Adding a block kind").
"""

from __future__ import annotations

from report.blocks import figure, listing, paragraph, quote, table, testimony
from report.blocks.base import Block
from report.blocks.spec import BlockSpec, DataFile, Finding

SPECS: tuple[BlockSpec, ...] = (paragraph.SPEC, quote.SPEC, testimony.SPEC, table.SPEC,
                                 figure.SPEC, listing.SPEC)
KINDS: dict[str, BlockSpec] = {spec.kind: spec for spec in SPECS}
RULES: tuple[str, ...] = tuple(dict.fromkeys(rule for spec in SPECS for rule in spec.rules))


def spec_of(block: Block) -> BlockSpec:
    return KINDS[block.kind]


__all__ = ["KINDS", "RULES", "SPECS", "Block", "BlockSpec", "DataFile", "Finding", "spec_of"]
