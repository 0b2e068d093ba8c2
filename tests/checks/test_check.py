"""`report check`: every mistake found at once, with file:line:column, in words people use."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from report.checks import lint
from report.project import jsonschema
from tests.conftest import BASE, ROOT, check_json, make

GOLDEN = Path(__file__).parent / "golden"


def test_the_base_project_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_json(make(tmp_path, {}), capsys) == (0, [])


def test_golden_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         update_golden: bool) -> None:
    """Each wrong input and the exact messages, with line and column, that it produces."""
    cases = yaml.safe_load((GOLDEN / "check-cases.yaml").read_text())
    out = []
    for name, files in cases.items():
        code, problems = check_json(make(tmp_path / name, files), capsys)
        out.append(f"== {name} (exit {code})")
        for p in problems:
            out.append(f"{p['file']}:{p['line']}:{p['column']} {p['severity']} [{p['code']}] "
                       f"{p['message']}" + (f" | {p['hint']}" if p["hint"] else ""))
    text = "\n".join(out) + "\n"
    golden = GOLDEN / "check-messages.txt"
    if update_golden:
        golden.write_text(text)
    assert text == golden.read_text()
    assert "Traceback" not in text


LINT_CASES = {
    "mixed-scripts": "Over the past day З0 captive people were released.",
    "invisible-character": "A zero\u200bwidth space.",
    "double-space": "Two  spaces.",
    "unbalanced-quotes": 'He said "it never closes.',
    "mixed-quotes": 'Straight "and" curly “marks”.',
    "unbalanced-brackets": "An (open bracket.",
    "markdown-table": "| A | B | |---|---| | 1 | 2 |",
}


@pytest.mark.parametrize("rule", sorted(LINT_CASES))
def test_each_text_rule_fires_on_a_minimal_example(rule: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    text = LINT_CASES[rule]
    section = f"id: one\ntitle: One\nblocks:\n  - paragraph: '{text} [@doe-2001]'\n"
    code, problems = check_json(make(tmp_path, {"content/sections/01-one.yaml": section}), capsys)
    assert code == 0  # warnings only
    assert [(p["code"], p["line"], p["severity"]) for p in problems] == [(rule, 4, "warning")]
    assert check_json(tmp_path, capsys, "--strict")[0] == 1
    # and a waiver with a reason silences it
    waived = section + f"    allow:\n      - {{rule: {rule}, reason: verbatim}}\n"
    make(tmp_path, {"content/sections/01-one.yaml": waived})
    assert check_json(tmp_path, capsys) == (0, [])


def test_mixed_scripts_names_the_character(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    section = ("id: one\ntitle: One\nblocks:\n  - paragraph: >-\n"
               "      Over the past day З0 were freed [@doe-2001].\n")
    _, [problem] = check_json(make(tmp_path, {"content/sections/01-one.yaml": section}), capsys)
    assert problem["message"] == ("The word `З0` mixes scripts: it has CYRILLIC CAPITAL LETTER "
                                  "ZE, U+0417.")
    assert (problem["line"], problem["column"]) == (5, 25)


def test_structural_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = ("title: T\ndate: 2020-01-02\nperiod: 1985/1997\nkey-facts:\n  - label: Deaths\n"
              "    figures:\n      - value: '48'\n")
    section = ("id: one\ntitle: One\nblocks:\n  - paragraph: Text [@doe-2001].\n"
               "    events:\n      - {date: 1999-01-02, text: Later., cite: '[@doe-2001]'}\n"
               "  - quote:\n      text: Words.\n  - testimony:\n      speaker: A\n"
               "      text: Words.\n")
    _, problems = check_json(make(tmp_path, {"content/report.yaml": report,
                                             "content/sections/01-one.yaml": section}), capsys)
    assert sorted((p["code"], p["file"], p["line"]) for p in problems) == [
        ("date-outside-period", "content/sections/01-one.yaml", 6),
        ("figure-without-attribution", "content/report.yaml", 7),
        ("quote-without-source", "content/sections/01-one.yaml", 7),
        ("quote-without-source", "content/sections/01-one.yaml", 9),
    ]
    # every waiver the schema accepts works: each block waives its rule, with a reason
    waived = section.replace(
        "    events:", "    allow: [{rule: date-outside-period, reason: an aftermath}]\n    events:"
    ).replace("  - quote:\n", "  - allow: [{rule: quote-without-source, reason: unknown}]\n"
              "    quote:\n").replace(
        "  - testimony:\n", "  - allow: [{rule: quote-without-source, reason: unknown}]\n"
        "    testimony:\n")
    _, problems = check_json(make(tmp_path, {"content/report.yaml": report,
                                             "content/sections/01-one.yaml": waived}), capsys)
    assert [p["code"] for p in problems] == ["figure-without-attribution"]


def test_uncited_source_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = BASE["sources.yaml"] + "- id: roe-2002\n  type: book\n  title: B\n"
    _, problems = check_json(make(tmp_path, {"sources.yaml": sources}), capsys)
    assert [(p["code"], p["line"]) for p in problems] == [("uncited-source", 5)]
    sources += "  further-reading: true\n"
    assert check_json(make(tmp_path, {"sources.yaml": sources}), capsys) == (0, [])


def test_every_rule_is_tested_and_the_real_report_is_clean(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert set(lint.RULES) == set(LINT_CASES) | {"quote-without-source",
                                                 "figure-without-attribution",
                                                 "date-outside-period"}
    assert check_json(ROOT, capsys, "--strict") == (0, [])
    # each rule a block may waive is waived in a test: the text rules above, the others in
    # test_structural_rules
    assert set(lint.WAIVABLE) == set(LINT_CASES) | {"quote-without-source",
                                                    "date-outside-period"}


def test_a_waiver_of_a_rule_no_block_can_break_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    section = ("id: one\ntitle: One\nblocks:\n  - paragraph: Text [@doe-2001].\n"
               "    allow: [{rule: figure-without-attribution, reason: none given}]\n")
    code, problems = check_json(make(tmp_path, {"content/sections/01-one.yaml": section}),
                                capsys)
    assert code == 1
    assert [(p["code"], p["line"], p["message"]) for p in problems] == [
        ("unknown-rule", 5, "The rule `figure-without-attribution` concerns the key facts of "
         "content/report.yaml, not a block: there is nothing to waive here.")]


def test_committed_json_schemas_are_current() -> None:
    for name, text in jsonschema.generate().items():
        committed = ROOT / "schemas" / name
        assert committed.is_file() and committed.read_text() == text, (
            f"schemas/{name} is stale: run `report schema`")


def test_content_files_point_editors_at_their_schema() -> None:
    assert (ROOT / "content/report.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../schemas/report.schema.json\n")
    for path in (ROOT / "content" / "sections").glob("*.yaml"):
        assert path.read_text().startswith(
            "# yaml-language-server: $schema=../../schemas/section.schema.json\n"), path
    assert (ROOT / "sources.yaml").read_text().startswith(
        "# yaml-language-server: $schema=schemas/sources.schema.json\n")


MINIMAL_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>No locators</title><id>no-locators</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout suffix="."><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
"""


def test_a_locator_the_style_cannot_print_is_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    section = "id: one\ntitle: One\nblocks:\n  - paragraph: Text [@doe-2001, p. 12].\n"
    report = "title: T\ndate: 2020-01-02\ncitation-style: styles/no-locators.csl\n"
    project = make(tmp_path, {"content/sections/01-one.yaml": section,
                              "content/report.yaml": report,
                              "styles/no-locators.csl": MINIMAL_CSL})
    code, problems = check_json(project, capsys)
    assert code == 0
    assert [(p["code"], p["line"], p["column"]) for p in problems] == [
        ("unprinted-locator", 4, 21)]
    assert "does not print the locator `page 12`" in problems[0]["message"]
    # the default style prints it: no warning
    make(tmp_path, {"content/report.yaml": "title: T\ndate: 2020-01-02\n"})
    assert check_json(tmp_path, capsys) == (0, [])


@pytest.mark.parametrize("date, outside", [
    ("1988-02-27/..", False), ("../1990", False), ("1988-02-XX", False),
    ("1980/..", True), ("../1999", True), ("199X", True)])
def test_only_known_ends_are_compared_with_the_period(
        date: str, outside: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = "title: T\ndate: 2020-01-02\nperiod: 1985/1997\n"
    section = ("id: one\ntitle: One\nblocks:\n  - paragraph: Text [@doe-2001].\n"
               f"    events:\n      - {{date: '{date}', text: An event.}}\n")
    _, problems = check_json(make(tmp_path, {"content/report.yaml": report,
                                             "content/sections/01-one.yaml": section}), capsys)
    assert [p["code"] for p in problems] == (["date-outside-period"] if outside else [])
