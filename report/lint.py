"""Content lint: what a careful copy-editor would flag beyond the schema.

Each rule is a function of one text field returning findings; rules are named so that a block
can waive one with a reason (`allow: [{rule: unbalanced-quotes, reason: verbatim quotation}]`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from report.model import Collected, Text, locate
from report.problems import Problem
from report.schema import Quote, TestimonyBlock
from report.validate import Valid

CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
SPAN = re.compile(r"\]\{[^}]*\}")
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "HEBREW", "ARABIC")


@dataclass(frozen=True)
class Finding:
    rule: str
    snippet: str  # the text to point at
    message: str
    hint: str


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    if char.isdigit():
        return "DIGIT"
    name = unicodedata.name(char, "")
    return next((s for s in SCRIPTS if name.startswith(s)), "OTHER")


def _describe(char: str) -> str:
    return f"{unicodedata.name(char, 'UNNAMED')}, U+{ord(char):04X}"


def mixed_scripts(text: str) -> Iterator[Finding]:
    """A word that mixes scripts, e.g. a Cyrillic З standing for the digit 3 in "З0"."""
    if text.isascii():  # Latin letters and digits only: nothing to mix (most of a report)
        return
    for word in re.findall(r"\w+", text):
        if word.isascii():
            continue
        scripts = {_script(c) for c in word if c.isalnum()} - {"OTHER"}
        letters = scripts - {"DIGIT"}
        if len(letters) > 1 or ("DIGIT" in scripts and letters and letters != {"LATIN"}):
            odd = [c for c in word if c.isalpha() and _script(c) != "LATIN"] if (
                "LATIN" in scripts or "DIGIT" in scripts) else [word[0]]
            char = odd[0] if odd else word[0]
            yield Finding("mixed-scripts", word,
                          f"The word `{word}` mixes scripts: it has {_describe(char)}.",
                          "A look-alike letter from another alphabet? Retype the word; if the "
                          "source has it, correct it and record the correction.")


INVISIBLE_OK = {"\u00ad"}  # a soft hyphen is a legitimate hyphenation hint


def invisible(text: str) -> Iterator[Finding]:
    for char in sorted(set(text)):
        if unicodedata.category(char) == "Cf" and char not in INVISIBLE_OK:
            yield Finding("invisible-character", char,
                          f"An invisible character: {_describe(char)}.",
                          "Remove it: it changes nothing a reader sees but breaks searching "
                          "and copying.")


def spacing(text: str) -> Iterator[Finding]:
    match = re.search(r"\S(  +)\S", text)
    if match:
        yield Finding("double-space", text[max(0, match.start() - 10):match.end() + 5].strip(),
                      "Two spaces in a row.", "Use a single space.")


def _plain(text: str) -> str:
    return SPAN.sub("]", CITATION.sub("", text))


def quotes_and_brackets(text: str) -> Iterator[Finding]:
    plain = _plain(text)
    if plain.count('"') % 2:  # pairing from the left, the last mark is the one left open
        last = plain.rindex('"')
        around = plain[last:last + 20].split()[0] if plain[last:].strip() else '"'
        if around == '"':
            around = plain[:last + 1].split()[-1]
        yield Finding("unbalanced-quotes", around, "A double quotation mark is not closed.",
                      "Close the quotation, or remove the stray mark.")
    if plain.count("“") != plain.count("”"):
        yield Finding("unbalanced-quotes", "“", "Curly quotation marks do not pair up.",
                      "Check each opening “ has its closing ”.")
    if ('"' in plain) and ("“" in plain or "”" in plain):
        yield Finding("mixed-quotes", '"', "Straight and curly quotation marks are mixed.",
                      'Use straight quotes (") throughout: they are curled when typeset.')
    for left, right in ("()", "[]"):
        if plain.count(left) != plain.count(right):
            snippet = left if plain.count(left) > plain.count(right) else right
            yield Finding("unbalanced-brackets", snippet,
                          f"Brackets {left}{right} do not pair up.",
                          "Close the bracket or remove the stray one.")


TEXT_RULES: tuple[Callable[[str], Iterator[Finding]], ...] = (
    mixed_scripts, invisible, spacing, quotes_and_brackets)
RULES = ("mixed-scripts", "invisible-character", "double-space", "unbalanced-quotes",
         "mixed-quotes", "unbalanced-brackets", "quote-without-source",
         "figure-without-attribution", "date-outside-period")


def _allowed(valid: Valid) -> dict[tuple[str, int], set[str]]:
    allowed: dict[tuple[str, int], set[str]] = {}
    for file, section in valid.sections:
        for b, block in enumerate(section.blocks):
            allowed[(file.name, b)] = {a.rule for a in block.allow}
    return allowed


def lint(valid: Valid, collected: Collected) -> list[Problem]:
    problems: list[Problem] = []
    allowed = _allowed(valid)
    for (name, path), text in collected.texts.items():
        waived = allowed.get((name, path[1]), set()) if path[:1] == ("blocks",) else set()
        for rule in TEXT_RULES:
            for finding in rule(text.source):
                if finding.rule not in waived:
                    problems.append(_problem(text, finding))
    problems += _structure(valid)
    return problems


def _problem(text: Text, finding: Finding) -> Problem:
    where = locate(text.file, text.where, finding.snippet) if finding.snippet.strip() else (
        text.where)
    return Problem(where, finding.message, finding.hint, severity="warning", code=finding.rule,
                   value=finding.snippet if finding.snippet.isprintable() else "")


def _structure(valid: Valid) -> list[Problem]:
    problems: list[Problem] = []
    report = valid.project.report
    for i, fact in enumerate(valid.settings.key_facts):
        for j, figure in enumerate(fact.figures or []):
            if not figure.attribution:
                problems.append(Problem(report.where(("key-facts", i, "figures", j)),
                                        f"The figure {figure.value} has no attribution.",
                                        "Say who gives it: `attribution: ...`, with a `cite`.",
                                        severity="warning", code="figure-without-attribution"))
    for file, section in valid.sections:
        for b, block in enumerate(section.blocks):
            body: Any = block.quote if isinstance(block, Quote) else (
                block.testimony if isinstance(block, TestimonyBlock) else None)
            waived = {a.rule for a in block.allow}
            if body is not None and not body.cite and "quote-without-source" not in waived:
                kind = "quotation" if isinstance(block, Quote) else "testimony"
                problems.append(Problem(file.where(("blocks", b)), f"This {kind} has no source.",
                                        'Add `cite: "[@key]"` naming where the words come from.',
                                        severity="warning", code="quote-without-source"))
    return problems
