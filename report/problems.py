"""Problems found in a report project, as data: file, line, column, message, and a fix.

Every stage reports what is wrong with the user's input as `Problem` records, never as a
traceback. A stage that cannot go on raises `ReportError` carrying all problems found so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    hint: str = ""
    severity: Severity = "error"
    code: str = ""
    value: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.value:
            text += f" (found: {self.value})"
        if self.hint:
            text += f"\n    {self.hint}"
        return text


class ReportError(Exception):
    """The user's input cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then by file, line and column."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.location))


def table(problems: list[Problem]) -> str:
    """A plain-text table for people: where, what, and what to do, then a count."""
    rows = ordered(problems)
    width = max((len(str(p.location)) for p in rows), default=0)
    lines = []
    for p in rows:
        found = f" (found: {p.value})" if p.value else ""
        lines.append(f"{str(p.location):<{width}}  {p.severity:<7}  {p.message}{found}")
        if p.hint:
            lines.append(f"{'':<{width}}  {'':<7}  → {p.hint}")
    errors = sum(p.severity == "error" for p in rows)
    lines.append(f"{errors} error(s), {len(rows) - errors} warning(s)")
    return "\n".join(lines)


def to_json(problems: list[Problem]) -> str:
    import json

    return json.dumps([{"file": p.location.file, "line": p.location.line,
                        "column": p.location.column, "severity": p.severity, "code": p.code,
                        "message": p.message, "hint": p.hint, "value": p.value}
                       for p in ordered(problems)], ensure_ascii=False, indent=2)
