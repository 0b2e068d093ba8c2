"""YAML syntax errors in words for people, naming both places: where the thing that could not be
read opens (a quotation mark, a bracket, a list, a text) and where reading failed.

The YAML library reports a context ("while scanning a quoted scalar", with its mark) and a
problem ("found unexpected end of stream", with its mark). Where it failed is often far from the
cause: a quotation mark left open on line 3 makes the reader take everything up to the next
quotation mark as one text, and it fails only after that, on line 18. So the tokens before the
failure are read again (the scanner does not recurse) to name the place where the cause lies.
"""

from __future__ import annotations

import yaml

from report.problems import Location, Problem

BLOCK_HINT = ("for text over several lines, use a block: `>-` after the key, the text indented "
              "on the lines below")
QUOTE_HINT = ("A value that starts with a quotation mark must end with one; if the marks are "
              "part of the text, put the whole text in single quotes or in a `>-` block.")
INDENT_HINT = ("Check the indentation: the keys of one mapping, and the `- ` of one list, line "
               "up exactly; text that goes over several lines belongs in a `>-` block.")
COLON_HINT = ("A colon followed by a space starts a new key. If the colon is part of the text, "
              "put the whole text in quotes or in a `>-` block; otherwise check the indentation.")


def _at(mark: yaml.Mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _tokens_before(text: str, index: int, loader: type) -> list[yaml.Token]:
    """The tokens that end at or before `index` (as far as the scanner gets)."""
    found: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.index >= index:
                break
            if token.end_mark.index <= index:
                found.append(token)
    except yaml.YAMLError:
        pass
    return found


def _opening(tokens: list[yaml.Token]) -> yaml.Token | None:
    """The `[` or `{` that the last token (a `]` or `}`) closes."""
    depth = 0
    for token in reversed(tokens):
        if isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            depth += 1
        elif isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            depth -= 1
            if depth == 0:
                return token
    return None


def _after_value(last: yaml.Token, tokens: list[yaml.Token],
                 problem: yaml.Mark) -> tuple[str, str] | None:
    """Reading failed right after a whole value on the same line: a quoted text or a
    bracketed list that was meant to be only the start of a text."""
    if last.end_mark.line != problem.line:
        return None
    if isinstance(last, yaml.ScalarToken) and last.style in ('"', "'"):
        quote = last.style
        start, end = last.start_mark, last.end_mark
        if start.line < end.line:  # it ran on: the mark that closes it is not the intended one
            return (f"The quoted text that starts at {_at(start)} is not closed on its line: "
                    f"YAML reads on to the next `{quote}` (line {end.line + 1}, column "
                    f"{end.column}) and cannot read what follows it.",
                    f"Close the quotation mark on line {start.line + 1}, or, {BLOCK_HINT}.")
        return (f"The quoted text that starts at {_at(start)} ends at its closing `{quote}` "
                f"(column {end.column}), and the text after it cannot be read.", QUOTE_HINT)
    if isinstance(last, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
        opening = _opening(tokens)
        if opening is None:
            return None
        bracket = "[" if isinstance(last, yaml.FlowSequenceEndToken) else "{"
        return (f"The value that starts with `{bracket}` at {_at(opening.start_mark)} is read as "
                f"a YAML {'list' if bracket == '[' else 'mapping'}, which ends on this line; "
                "the text after it cannot be read.",
                "If the brackets are part of the text, put the whole text in quotes or in a "
                "`>-` block.")
    return None


def _colon(last: yaml.Token | None, problem: yaml.Mark) -> tuple[str, str]:
    """`mapping values are not allowed`: a `: ` inside plain text."""
    if isinstance(last, yaml.ScalarToken) and last.start_mark.line < problem.line:
        return (f"This line continues the text that starts at {_at(last.start_mark)} (it is "
                "indented further than that text's key), and a colon followed by a space "
                "cannot stand inside such a text.",
                "Line this key up with the keys above it; if the line is part of the text, put "
                "the text in quotes or in a `>-` block.")
    if isinstance(last, yaml.ScalarToken):
        return (f"The text that starts at {_at(last.start_mark)} holds a colon followed by a "
                "space, which YAML reads as the start of another key.", COLON_HINT)
    return "A colon followed by a space cannot start a key here.", COLON_HINT


def _character(text: str, problem: yaml.Mark) -> tuple[str, str] | None:
    char = text[problem.index] if problem.index < len(text) else ""
    line_start = text.rfind("\n", 0, problem.index) + 1
    if char == "\t":
        if not text[line_start:problem.index].strip():
            return ("This line is indented with a tab character.",
                    "YAML does not allow tab characters for indentation: use spaces.")
        return ("A tab character cannot stand here.", "Use spaces instead of the tab.")
    if char in "@`%":
        before = text[line_start:problem.index].rstrip()
        if before.endswith(("[", "{")):
            return (f"A value that starts with `{before[-1]}` is read as a YAML list or "
                    f"mapping, and `{char}` cannot start an item of it.",
                    "A text that starts with a citation (`[@key]`) or a bracket must be put in "
                    "quotes or in a `>-` block.")
        return (f"A value cannot start with `{char}` in YAML.",
                "Put the whole text in quotes or in a `>-` block.")
    return None


def _tab_in_indentation(text: str, problem: yaml.Mark) -> bool:
    line_start = text.rfind("\n", 0, problem.index) + 1
    line_end = text.find("\n", problem.index)
    indentation = text[line_start:line_end if line_end >= 0 else len(text)]
    return "\t" in indentation[:len(indentation) - len(indentation.lstrip(" \t"))]


def _explain(context: str, problem: str, opened: yaml.Mark | None, failed: yaml.Mark,
             text: str, loader: type) -> tuple[str, str]:
    """(message, hint) for the library's context (opened at `opened`) and problem (at
    `failed`), most particular first."""
    if "tab" in problem or _tab_in_indentation(text, failed):
        return ("This line is indented with a tab character.",
                "YAML does not allow tab characters for indentation: use spaces.")
    if "cannot start any token" in problem:
        found = _character(text, failed)
        if found:
            return found
    if "alias" in context or "anchor" in context or "undefined alias" in problem:
        start = opened if opened is not None and "undefined" not in problem else failed
        sign = text[start.index] if start.index < len(text) else "*"
        what = "an alias (`*name`)" if sign == "*" else "an anchor (`&name`)"
        example = " (Markdown emphasis such as `*word*`)" if sign == "*" else ""
        return (f"The value that starts with `{sign}` at {_at(start)} is read as {what}, and "
                "YAML anchors and aliases are not allowed.",
                f"If the `{sign}` is part of the text{example}, put the whole text in quotes or "
                "in a `>-` block.")
    if "another document" in problem:
        return ("A second YAML document starts here (`---`); a file holds one.",
                "Remove the `---` line, or move what follows into a file of its own.")
    if "quoted scalar" in context and opened is not None:
        quote = text[opened.index] if opened.index < len(text) else '"'
        if "escape" in problem:
            return (f"The quoted text that starts at {_at(opened)} has a backslash that does "
                    "not start an escape YAML knows.",
                    'In double quotes a backslash starts an escape: write `\\\\` for a '
                    "backslash, or use single quotes.")
        return (f"The quoted text that starts at {_at(opened)} is not closed: the file ends "
                f"before its closing `{quote}`.",
                f"Close the quotation mark on line {opened.line + 1}, or, {BLOCK_HINT}.")
    tokens = _tokens_before(text, failed.index, loader)
    last = tokens[-1] if tokens else None
    if "mapping values are not allowed" in problem:
        return _colon(last, failed)
    found = _after_value(last, tokens, failed) if last is not None else None
    if found:
        return found
    if ("flow sequence" in context or "flow mapping" in context) and opened is not None:
        sequence = "flow sequence" in context
        left, right = ("[", "]") if sequence else ("{", "}")
        return (f"The {'list' if sequence else 'mapping'} opened with `{left}` at {_at(opened)} "
                f"is not closed: a comma or `{right}` is expected here.",
                f"Close it with `{right}`; if the `{left}` is part of the text, put the whole "
                "text in quotes or in a `>-` block.")
    if "block scalar" in context and opened is not None:
        sign = text[opened.index] if opened.index < len(text) else ">"
        return (f"The block of text that starts with `{sign}` at {_at(opened)} has something "
                "after its indicator on the same line.",
                f"Only `{sign}-` (or `{sign}`) and a comment may stand on that line: put the text "
                "on the lines below, indented.")
    if "node content" in problem and text[failed.index:failed.index + 1] in ("]", "}", ","):
        char = text[failed.index]
        return (f"A value cannot start with `{char}`: here it closes or separates nothing.",
                f"Remove the stray `{char}`, or put the whole text in quotes.")
    if "document start" in problem:
        return ("This line does not fit the lines above it: it is indented less than the "
                "file's first key or item.", "The top-level keys of a file start at column 1. "
                + INDENT_HINT)
    if "simple key" in context and opened is not None:
        return (f"The text at {_at(opened)} stands where a key is expected, but has no colon "
                "after it.", "Add the colon (`name: value`), or, if the line continues the "
                "text above, indent it further or put that text in a `>-` block.")
    if "block mapping" in context and opened is not None:
        return (f"This line does not fit the keys that start at {_at(opened)}: a key lined up "
                f"with them (column {opened.column + 1}) is expected here.", INDENT_HINT)
    if "block collection" in context and opened is not None:
        return (f"This line does not fit the list that starts at {_at(opened)}: its items "
                f"start with `- ` at column {opened.column + 1}.", INDENT_HINT)
    where = f" (in what starts at {_at(opened)})" if opened and opened.line != failed.line else ""
    return (f"YAML cannot read this: {problem or context}{where}.",
            "Check the YAML syntax around this place" + (f" and at line {opened.line + 1}."
                                                         if where and opened else "."))


def syntax_problem(error: yaml.MarkedYAMLError, text: str, name: str, loader: type) -> Problem:
    """The problem a YAML syntax error is for people: where reading failed, what opened where."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Problem(Location(name), f"YAML cannot read this file: {error}.",
                       "Check the file's syntax.", code="yaml-syntax")
    message, hint = _explain(error.context or "", error.problem or "", error.context_mark, mark,
                             text, loader)
    return Problem(Location(name, mark.line + 1, mark.column + 1), message, hint,
                   code="yaml-syntax")
