"""A bibliography as people have it builds a report whose notes equal Pandoc's: a .bib from a
reference manager, a Better BibTeX CSL-JSON export and Pandoc's `references:` YAML, each cited
the same way and formatted in the same style by Pandoc's citeproc and by report."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from report.cite.engine import find_style
from report.pipeline import prepare
from report.problems import Location
from tests.cite.test_families import span_body
from tests.conftest import make

DATA = Path(__file__).parent / "data"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("pandoc") is None, reason="Pandoc is installed by tools/setup-system")]

TEXT = ("First [@Olson2006, p. 12]. Then [@hrw1991]. Again [@Olson2006]. On the web "
        "[@bbc2010]. A chapter [@chapter2003, 50]. In Russian [@russian1991]. The same "
        "[@russian1991, 3]. Two at once [@Cornell1999; @edited2003].")

BBT_JSON = [  # as Better BibTeX exports CSL-JSON: date parts as text, the citation key kept
    {"id": "Olson2006", "citation-key": "Olson2006", "type": "book",
     "title": "An Ethnohistorical Dictionary of the Russian and Soviet Empires",
     "author": [{"family": "Olson", "given": "James S."}],
     "publisher": "Greenwood Publishing Group", "publisher-place": "Westport, CT",
     "issued": {"date-parts": [["1994"]]}, "ISBN": "978-0-313-27497-8"},
    {"id": "hrw1991", "citation-key": "hrw1991", "type": "report",
     "title": "Conflict in the Soviet Union: Black January in Azerbaidzhan",
     "author": [{"literal": "Human Rights Watch"}], "publisher": "Human Rights Watch",
     "publisher-place": "New York", "issued": {"date-parts": [["1991", "5"]]}},
]
REFERENCES_YAML = """\
references:
- id: Olson2006
  type: book
  title: An Ethnohistorical Dictionary of the Russian and Soviet Empires
  author: [{family: Olson, given: James S.}]
  publisher: Greenwood Publishing Group
  publisher-place: Westport, CT
  issued: {date-parts: [[1994]]}
- id: hrw1991
  type: report
  title: "Conflict in the Soviet Union: Black January in Azerbaidzhan"
  author: [{literal: Human Rights Watch}]
  publisher: Human Rights Watch
  issued: {date-parts: [[1991, 5]]}
"""


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def ours(project: Path) -> list[str]:
    """The text of each note (a note style) or in-text citation, in order."""
    page = prepare(project).html
    starts = re.finditer(r'<span class="(?:footnote|citation)[^"]*" id="(?:note|cite)-[^"]+">',
                         page)
    return [plain(span_body(page, start.group())) for start in starts]


def pandocs(project: Path, bibliography: str, text: str, style: Path) -> list[str]:
    """Pandoc's notes, or its in-text citations (read out of the sentence around them)."""
    done = subprocess.run(["pandoc", "--citeproc", "-M", "lang=en-US", "-M",
                           "suppress-bibliography=true", "--bibliography",
                           bibliography, "--csl", str(style), "-t", "plain", "--wrap=none"],
                          input=text, capture_output=True, text=True, cwd=project, check=True)
    notes = [" ".join(n.split()) for n in re.findall(r"^\[\d+\] (.*)$", done.stdout, re.M)]
    if notes:
        return notes
    pattern = re.sub(r"\\ \\\[@[^\]]*\\\]", r" (.+?)", re.escape(text))
    found = re.match(pattern + "$", " ".join(done.stdout.split()))
    assert found, done.stdout
    return list(found.groups())


@pytest.mark.parametrize(("name", "content", "text"), [
    ("refs.bib", (DATA / "real-world.bib").read_text(), TEXT),
    ("library.json", json.dumps(BBT_JSON, indent=2),
     "First [@Olson2006, p. 12]. Then [@hrw1991]. Again [@Olson2006]."),
    ("sources.yaml", REFERENCES_YAML,
     "First [@Olson2006, p. 12]. Then [@hrw1991]. Again [@Olson2006]."),
])
@pytest.mark.parametrize("style", ["chicago-notes-bibliography", "apa"])
def test_the_citations_equal_pandocs(tmp_path: Path, name: str, content: str, text: str,
                                     style: str) -> None:
    listed = "" if name == "sources.yaml" else f"sources: {name}\n"
    project = make(tmp_path, {
        "content/report.yaml": f"title: T\ndate: 2020-01-02\ncitation-style: {style}\n"
                               f"punctuation-in-quote: true\n{listed}",
        "content/sections/01-one.yaml": f"id: one\ntitle: One\nblocks:\n  - paragraph: >-\n"
                                        f"      {text}\n",
        name: content})
    path = find_style(style, tmp_path, Location("x")).path
    mine, theirs = ours(project), pandocs(project, name, text, path)
    assert len(mine) == len(theirs) >= 3
    assert mine == theirs
