"""Hostile YAML: nesting, aliases, and syntax errors that name both the cause and the failure.

Before: 1,000 nested brackets were a RecursionError (an internal error), 30,000 a
segmentation fault; an unclosed quotation mark on line 3 was reported at line 18 as "did not
find expected key", the line of the quotation mark never named.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report.problems import ReportError
from report.project import load
from report.project.load import MAX_ALIASES, MAX_DEPTH, read_yaml

TOO_DEEP = ("error: The lists and mappings here are nested more than 100 levels deep.\n"
            "    A report needs a few levels at most. If the brackets `[` `{` or the dashes `- ` "
            "are part of the text, put the text in quotes or in a `>-` block; otherwise remove "
            "the extra levels.")


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_yaml(path, "x.yaml")
    return [str(p) for p in caught.value.problems]


def loads(tmp_path: Path, text: str) -> object:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, "x.yaml").data


# --- nesting --------------------------------------------------------------------------------

def test_a_thousand_nested_brackets_are_a_located_problem(tmp_path: Path) -> None:
    # the top mapping is level 1, so the 100th `[` (column 103) is level 101
    text = "a: " + "[" * 1000 + "]" * 1000 + "\n"
    assert problems(tmp_path, text) == [f"x.yaml:1:103: {TOO_DEEP}"]


def test_thirty_thousand_nested_brackets_do_not_crash(tmp_path: Path) -> None:
    """Was a segmentation fault (libyaml's composer recursing in C): run apart, so that a
    crash is a failing test and not a dead test run."""
    path = tmp_path / "x.yaml"
    path.write_text("a: " + "{b: " * 30_000 + "c" + "}" * 30_000 + "\n")
    code = ("import sys\nfrom report.project.load import read_yaml\n"
            "from report.problems import ReportError\n"
            f"try: read_yaml(__import__('pathlib').Path({str(path)!r}), 'x.yaml')\n"
            "except ReportError as e: print(e.problems[0].location, e.problems[0].code)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout) == (0, "x.yaml:1:400 yaml-too-deep\n")


def test_nested_block_mappings_are_a_located_problem(tmp_path: Path) -> None:
    text = "".join(" " * i + "k:\n" for i in range(300)) + " " * 300 + "v\n"
    assert problems(tmp_path, text) == [f"x.yaml:101:101: {TOO_DEEP}"]


def test_compact_nested_lists_are_a_located_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "- " * 500 + "x\n") == [f"x.yaml:1:201: {TOO_DEEP}"]


def test_the_limit_itself_loads(tmp_path: Path) -> None:
    data = loads(tmp_path, "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n")
    for _ in range(MAX_DEPTH):
        assert isinstance(data, list)
        data = data[0]
    assert data == "x"
    assert problems(tmp_path, "[" * (MAX_DEPTH + 1) + "x" + "]" * (MAX_DEPTH + 1)) == [
        f"x.yaml:1:101: {TOO_DEEP}"]


# --- aliases --------------------------------------------------------------------------------

def test_billion_laughs_is_refused_at_each_alias_and_the_list_is_short(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{chr(ord(name) - 1)}"] * 9) + "]")
    found = problems(tmp_path, "\n".join(lines) + "\n")
    assert len(found) == MAX_ALIASES + 1
    assert found[0] == ("x.yaml:2:8: error: YAML anchors and aliases (&name, *name) are not "
                        "allowed.\n    Write the text out in full where it is needed.")
    assert found[1].startswith("x.yaml:2:11: ")
    assert found[-1] == ("x.yaml:4:14: error: More than 20 aliases: only the first 20 are listed. "
                         "YAML anchors and aliases (&name, *name) are not allowed.\n"
                         "    Write the text out in full where it is needed.")


def test_a_million_aliases_are_read_quickly(tmp_path: Path) -> None:
    found = problems(tmp_path, "a: &a x\nb: [" + ",".join(["*a"] * 1_000_000) + "]\n")
    assert len(found) == MAX_ALIASES + 1


# --- syntax errors name both places -----------------------------------------------------------

BLOCK = ("for text over several lines, use a block: `>-` after the key, the text indented on "
         "the lines below.")
INDENT = ("Check the indentation: the keys of one mapping, and the `- ` of one list, line up "
          "exactly; text that goes over several lines belongs in a `>-` block.")
SECTION = ("id: one\ntitle: One\nblocks:\n  - paragraph: >-\n      The first text.\n"
           "  - paragraph: >-\n      Moscow called them \"nationalists\" at once.\n")
SYNTAX = {
    # a quotation mark left open on line 2, closed by YAML at the next one, on line 7
    "unclosed-double-quote-read-on": (
        SECTION.replace("title: One", 'title: "One'),
        "x.yaml:7:27: error: The quoted text that starts at line 2, column 8 is not closed on "
        "its line: YAML reads on to the next `\"` (line 7, column 26) and cannot read what "
        f"follows it.\n    Close the quotation mark on line 2, or, {BLOCK}"),
    "unclosed-single-quote-read-on": (
        "id: one\ntitle: 'One\nblocks:\n  - paragraph: >-\n      It's here.\n",
        "x.yaml:5:10: error: The quoted text that starts at line 2, column 8 is not closed on "
        "its line: YAML reads on to the next `'` (line 5, column 9) and cannot read what "
        f"follows it.\n    Close the quotation mark on line 2, or, {BLOCK}"),
    "unclosed-quote-to-the-end": (
        'title: "Baku\ndate: 2020-01-01\n',
        "x.yaml:3:1: error: The quoted text that starts at line 1, column 8 is not closed: the "
        f"file ends before its closing `\"`.\n    Close the quotation mark on line 1, or, {BLOCK}"),
    "quoted-start-then-text": (
        'subtitle: "Moscow" rejected it\n',
        "x.yaml:1:20: error: The quoted text that starts at line 1, column 11 ends at its "
        "closing `\"` (column 18), and the text after it cannot be read.\n    A value that "
        "starts with a quotation mark must end with one; if the marks are part of the text, "
        "put the whole text in single quotes or in a `>-` block."),
    "unclosed-bracket": (
        "authors: [Doe, Roe\ntitle: T\n",
        "x.yaml:2:6: error: The list opened with `[` at line 1, column 10 is not closed: a "
        "comma or `]` is expected here.\n    Close it with `]`; if the `[` is part of the text, "
        "put the whole text in quotes or in a `>-` block."),
    "unclosed-brace": (
        "columns: [{label: Vote, align: left]\n",
        "x.yaml:1:36: error: The mapping opened with `{` at line 1, column 11 is not closed: a "
        "comma or `}` is expected here.\n    Close it with `}`; if the `{` is part of the text, "
        "put the whole text in quotes or in a `>-` block."),
    "brackets-then-text": (
        "title: [Draft] Report\n",
        "x.yaml:1:16: error: The value that starts with `[` at line 1, column 8 is read as a "
        "YAML list, which ends on this line; the text after it cannot be read.\n    If the "
        "brackets are part of the text, put the whole text in quotes or in a `>-` block."),
    "citation-first": (
        "  - paragraph: [@doe-2001] wrote it.\n",
        "x.yaml:1:17: error: A value that starts with `[` is read as a YAML list or mapping, "
        "and `@` cannot start an item of it.\n    A text that starts with a citation "
        "(`[@key]`) or a bracket must be put in quotes or in a `>-` block."),
    "emphasis-first": (
        "paragraph: *Pravda* wrote it.\n",
        "x.yaml:1:19: error: The value that starts with `*` at line 1, column 12 is read as an "
        "alias (`*name`), and YAML anchors and aliases are not allowed.\n    If the `*` is "
        "part of the text (Markdown emphasis such as `*word*`), put the whole text in quotes "
        "or in a `>-` block."),
    "tab-indentation": (
        "title: A\nkey-facts:\n\t- label: x\n",
        "x.yaml:3:1: error: This line is indented with a tab character.\n    YAML does not "
        "allow tab characters for indentation: use spaces."),
    "tab-inside-indentation": (
        "key-facts:\n  - label: x\n  \t  text: y\n",
        "x.yaml:3:3: error: This line is indented with a tab character.\n    YAML does not "
        "allow tab characters for indentation: use spaces."),
    "colon-in-text": (
        "title: A\nsubtitle: Baku: January\n",
        "x.yaml:2:15: error: The text that starts at line 2, column 11 holds a colon followed "
        "by a space, which YAML reads as the start of another key.\n    A colon followed by a "
        "space starts a new key. If the colon is part of the text, put the whole text in "
        "quotes or in a `>-` block; otherwise check the indentation."),
    "key-indented-under-text": (
        "title: A\n  subtitle: B\n",
        "x.yaml:2:11: error: This line continues the text that starts at line 1, column 8 (it "
        "is indented further than that text's key), and a colon followed by a space cannot "
        "stand inside such a text.\n    Line this key up with the keys above it; if the line "
        "is part of the text, put the text in quotes or in a `>-` block."),
    "list-item-out-of-line": (
        "blocks:\n  - paragraph: x\n   - paragraph: y\n",
        "x.yaml:3:4: error: This line does not fit the list that starts at line 2, column 3: "
        f"its items start with `- ` at column 3.\n    {INDENT}"),
    "key-out-of-line": (
        "title: A\n- b\n",
        "x.yaml:2:1: error: This line does not fit the keys that start at line 1, column 1: a "
        f"key lined up with them (column 1) is expected here.\n    {INDENT}"),
    "key-without-colon": (
        "title: A\nsubtitle\ndate: 2020-01-01\n",
        "x.yaml:3:1: error: The text at line 2, column 1 stands where a key is expected, but "
        "has no colon after it.\n    Add the colon (`name: value`), or, if the line continues "
        "the text above, indent it further or put that text in a `>-` block."),
    "backslash-in-double-quotes": (
        'file: "C:\\data"\n',
        "x.yaml:1:10: error: The quoted text that starts at line 1, column 7 has a backslash "
        "that does not start an escape YAML knows.\n    In double quotes a backslash starts an "
        "escape: write `\\\\` for a backslash, or use single quotes."),
    "text-after-block-indicator": (
        "paragraph: >- The text.\n",
        "x.yaml:1:15: error: The block of text that starts with `>` at line 1, column 12 has "
        "something after its indicator on the same line.\n    Only `>-` (or `>`) and a comment "
        "may stand on that line: put the text on the lines below, indented."),
    "stray-closing-bracket": (
        "id: ]one\n",
        "x.yaml:1:5: error: A value cannot start with `]`: here it closes or separates nothing."
        "\n    Remove the stray `]`, or put the whole text in quotes."),
    "first-line-indented": (
        "  id: one\ntitle: One\n",
        "x.yaml:2:1: error: This line does not fit the lines above it: it is indented less than "
        "the file's first key or item.\n    The top-level keys of a file start at column 1. "
        f"{INDENT}"),
    "second-document": (
        "title: A\n---\ntitle: B\n",
        "x.yaml:2:1: error: A second YAML document starts here (`---`); a file holds one.\n"
        "    Remove the `---` line, or move what follows into a file of its own."),
}


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_syntax_errors_in_words(case: str, tmp_path: Path) -> None:
    text, expected = SYNTAX[case]
    assert problems(tmp_path, text) == [expected]


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_the_pure_python_loader_says_the_same(case: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml, PyYAML's own loader words its errors differently: same message."""
    monkeypatch.setattr(load, "LOADER", yaml.SafeLoader)
    text, expected = SYNTAX[case]
    [found] = problems(tmp_path, text)
    if case == "backslash-in-double-quotes":  # PyYAML marks the letter after the backslash
        expected = expected.replace("x.yaml:1:10:", "x.yaml:1:11:")
    assert found == expected


# --- fuzzing: nesting around the limit --------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
KINDS = st.sampled_from(["block-map", "block-seq", "compact-seq", "flow-seq", "flow-map"])


def nested(kinds: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """YAML nesting `kinds` from the outside in (block kinds after a flow one become flow),
    and the line and column where each level starts, as the parser marks it."""
    lines: list[str] = []
    line = ""  # the current line, as far as written
    starts: list[tuple[int, int]] = []
    flow_at = next((i for i, k in enumerate(kinds) if k.startswith("flow")), len(kinds))
    for kind in kinds[:flow_at]:
        starts.append((len(lines) + 1, len(line) + 1))
        if kind == "block-map":  # `k:`, its value on the next line, indented
            lines.append(line + "k:")
            line = " " * (len(line) + 2)
        elif kind == "block-seq":  # `-`, its item on the next line, indented
            lines.append(line + "-")
            line = " " * (len(line) + 2)
        else:  # `- - x`: the item on the same line
            line += "- "
    closing = ""
    for kind in kinds[flow_at:]:
        starts.append((len(lines) + 1, len(line) + 1))
        line, closing = (line + "[", "]" + closing) if kind == "flow-seq" else (
            line + "{k: ", "}" + closing)
    lines.append(line + "x" + closing)
    return "\n".join(lines) + "\n", starts


@FUZZ
@given(kinds=st.lists(KINDS, min_size=MAX_DEPTH - 5, max_size=MAX_DEPTH + 5))
def test_nesting_near_the_limit_loads_or_is_located(tmp_path: Path, kinds: list[str]) -> None:
    text, starts = nested(kinds)
    if len(kinds) <= MAX_DEPTH:
        data = loads(tmp_path, text)
        for _ in kinds:
            assert isinstance(data, (list, dict))
            data = data[0] if isinstance(data, list) else data["k"]
        assert data == "x"
    else:
        line, column = starts[MAX_DEPTH]
        assert problems(tmp_path, text) == [f"x.yaml:{line}:{column}: {TOO_DEEP}"]


@FUZZ
@given(kinds=st.lists(KINDS, min_size=MAX_DEPTH - 5, max_size=MAX_DEPTH + 5),
       cut=st.integers(min_value=0, max_value=400),
       junk=st.sampled_from(["", "]", "}", ": ", "\t", '"', "- ", "*", "&a "]))
def test_broken_nesting_is_always_a_located_problem(tmp_path: Path, kinds: list[str], cut: int,
                                                    junk: str) -> None:
    """Cut short or with a stray character: it loads, or every problem is a located one of
    the loader's own; never another exception."""
    text, _ = nested(kinds)
    text = text[:len(text) - cut] + junk
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_yaml(path, "x.yaml")
    except ReportError as error:
        for problem in error.problems:
            # yaml-key: a cut that leaves a collection where a key goes (`{[a]: 1}`)
            assert problem.code in ("yaml-too-deep", "yaml-syntax", "yaml-alias",
                                    "yaml-key"), problem
            assert problem.location.line >= 1 and problem.hint


# --- fuzzing: any slip of the keyboard is a located problem -------------------------------------

SLIPS = st.sampled_from(list("\"'[]{}:\t-*&@!|>%#`,?\\") + ["\n", "  ", ": ", "- ", "---\n"])


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(min_value=0, max_value=len(SECTION)), SLIPS),
                      min_size=1, max_size=3))
def test_a_slip_in_a_section_loads_or_is_a_located_problem(tmp_path: Path,
                                                           edits: list[tuple[int, str]]) -> None:
    """A character inserted anywhere in a small section: every syntax error is explained
    (the explanation itself never fails) and names a line."""
    text = SECTION
    for at, slip in edits:
        text = text[:at] + slip + text[at:]
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_yaml(path, "x.yaml")
    except ReportError as error:
        for problem in error.problems:
            assert problem.code.startswith("yaml-"), problem
            assert problem.location.line >= 1 and problem.message and problem.hint
