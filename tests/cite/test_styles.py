"""Another CSL style in the settings rebuilds the whole report in that style, nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.cli import main
from tests.conftest import copy_project, pdftotext

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)


@pytest.mark.parametrize(("style", "in_text", "entry"), [
    ("apa", "addresses” (Kushen, 1991).",
     "Kushen, R. (1991). Conflict in the Soviet Union: Black January in Azerbaidzhan."),
    ("modern-language-association", "addresses” (Kushen).",
     "Kushen, Robert. Conflict in the Soviet Union: Black January in Azerbaidzhan."),
])
def test_author_date_styles(style: str, in_text: str, entry: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    report = project / "content" / "report.yaml"
    report.write_text(re.sub(r"(?m)^citation-style: .*$", f"citation-style: {style}",
                             report.read_text()))
    html = tmp_path / "r.html"
    assert main(["build", str(project), "-o", str(html)]) == 0
    assert 'class="footnote"' not in html.read_text()  # citations are in the text now
    assert main(["build", str(project), "-o", str(tmp_path / "r.pdf")]) == 0
    text = " ".join(pdftotext(tmp_path / "r.pdf").replace("‐\n", "").split())
    assert in_text in text
    assert entry in text
    # the publications list says where each source is cited, here from the in-text citations
    after = text[text.index(entry) + len(entry):]
    assert re.match(r"^(?: Human Rights Watch(?:, 1991)?\.)? Cited on pp?\. [\divx, ]+\.",
                    after), after[:80]
