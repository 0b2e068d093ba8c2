"""Roman numerals: front-matter folios (i, ii, ...) and centuries (XXe siècle, XX век)."""

from __future__ import annotations

_VALUES = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int, lower: bool = False) -> str:
    """`number` (1 or more) in Roman numerals, upper case unless `lower`."""
    out = ""
    for value, letters in _VALUES:
        count, number = divmod(number, value)
        out += letters * count
    return out.lower() if lower else out
