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

from report.blocks import RULES as BLOCK_RULES
from report.document.model import Collected, Text, locate
from report.problems import Problem
from report.project import walk
from report.project.validate import Valid

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


# A delimiter row of a Markdown (GFM) pipe table: `|---|:--:|`, on its own line or folded into
# one by YAML's `>-`; the parser renders it as text, pipes and dashes included.
PIPE_TABLE = re.compile(r"\|[ \t]*:?-{3,}:?[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)*"
                        r"|(?m:^[ \t]*:?-{3,}:?[ \t]*\|)")


def pipe_tables(text: str) -> Iterator[Finding]:
    match = PIPE_TABLE.search(text)
    if match:
        yield Finding("markdown-table", match.group().strip(),
                      "A Markdown table in the text is printed as text, pipes and dashes "
                      "included.", "Write it as a `table:` block (see the README's "
                      "\"Tables\"), with its caption and source.")


TEXT_RULES: tuple[Callable[[str], Iterator[Finding]], ...] = (
    mixed_scripts, invisible, spacing, quotes_and_brackets, pipe_tables)
TEXT_RULE_NAMES = ("mixed-scripts", "invisible-character", "double-space", "unbalanced-quotes",
                   "mixed-quotes", "unbalanced-brackets", "markdown-table")
# The rules a block may waive with `allow:`: the text rules, each kind of block's own
# (report/blocks/), and the date check (report/checks/project.py). Every one of them is honoured
# (tests/checks/test_check.py waives each). The key facts' rule concerns no block.
WAIVABLE = (*TEXT_RULE_NAMES, *BLOCK_RULES, "date-outside-period")
RULES = (*WAIVABLE, "figure-without-attribution")


def lint(valid: Valid, collected: Collected) -> list[Problem]:
    problems: list[Problem] = []
    texts = {(t.file.name, t.path): t for at in walk.blocks(valid.sections)
             for t in walk.block_texts(at)}
    texts |= {(t.file.name, t.path): t for at in walk.events(valid.sections)
              for t in walk.event_texts(at)}
    for key, text in collected.texts.items():
        at = texts.get(key)
        waived = at.waived if at else set()
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
    for at in walk.blocks(valid.sections):
        for found in at.spec.findings(at.block):
            # a block's own errors (a missing image, a missing alt text) cannot be waived
            if found.code not in at.block.waived or found.code not in WAIVABLE:
                problems.append(Problem(at.where(*found.path), found.message, found.hint,
                                        severity=found.severity, code=found.code,
                                        value=found.value))
    return problems
