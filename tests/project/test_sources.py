"""The bibliography as people have it (report/project/sources.py): CSL-YAML as a list or in
Pandoc's `references:` shape, CSL-JSON as Zotero and Better BibTeX export it, BibTeX and
BibLaTeX converted by Pandoc's reader; every mistake with its file, line and column."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from report.problems import ReportError
from report.project.sources import read

DATA = Path(__file__).parent / "data"
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None,
                                  reason="Pandoc is installed by tools/setup-system")


def problems(path: Path) -> list[str]:
    with pytest.raises(ReportError) as raised:
        read(path, path.name)
    return [str(p) for p in raised.value.problems]


@needs_pandoc
def test_real_world_bibtex_is_what_pandoc_reads() -> None:
    """Accents in braces, {{Corporate}} authors, @online with urldate, crossref, a date range,
    a title in Cyrillic: the items are Pandoc's own, each placed at its entry's line."""
    path = DATA / "real-world.bib"
    file = read(path, "sources.bib")
    pandoc = json.loads(subprocess.run(["pandoc", "-f", "biblatex", "-t", "csljson",
                                        str(path)], capture_output=True, text=True,
                                       check=True).stdout)
    assert file.data == pandoc
    by_id = {item["id"]: item for item in file.data}
    assert by_id["hrw1991"]["author"] == [{"literal": "Human Rights Watch"}]
    assert by_id["bbc2010"]["accessed"] == {"date-parts": [[2020, 3, 5]]}
    assert [a["family"] for a in by_id["Cornell1999"]["author"]] == ["Cornell", "Müller",
                                                                     "Cañón"]
    assert by_id["Cornell1999"]["issued"] == {"date-parts": [[1999], [2000]]}
    assert by_id["chapter2003"]["container-title"] == "Black garden"  # crossref; sentence case
    assert by_id["russian1991"]["title"].startswith("Бакинские события")
    assert str(file.where((list(by_id).index("bbc2010"), "title"))) == "sources.bib:18:1"


@needs_pandoc
@pytest.mark.parametrize(("text", "expected"), [
    ("@book{a,\n  title = {Unclosed,\n  year = 1990\n}\n\n@book{b, title={B}}\n",
     ["x.bib:6:1: error: BibTeX syntax: unexpected '@'.\n    The entry `a` that starts at "
      "line 1 is not closed where it should be: count its braces `{ }`, and check the commas "
      "between fields."]),
    ("@book{a, title={A}}\n@misc{a, title={B}}\n",
     ["x.bib:2:1: error: The key `a` is used by two entries. (found: a)\n    The first is at "
      "line 1; give each entry its own key (Pandoc would silently use one of them)."]),
    ("@book{c title={x}}\n",
     ["x.bib:1:9: error: BibTeX syntax: unexpected 't'.\n    Check the braces and commas of "
      "the entry: each field is `name = {value},`."]),
])
def test_bibtex_mistakes_are_located(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = tmp_path / "x.bib"
    path.write_text(text)
    assert problems(path) == expected


def test_csl_json_as_better_bibtex_exports_it(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    items = [{"id": "Olson2006", "citation-key": "Olson2006", "type": "book",
              "title": "An Ethnohistorical Dictionary", "issued": {"date-parts": [["1994"]]},
              "author": [{"family": "Olson", "given": "James S."}]},
             {"id": "http://zotero.org/users/local/x/items/ABCD1234", "type": "webpage",
              "title": "A page", "URL": "https://example.org"}]
    path.write_text(json.dumps(items, indent="\t"))  # tabs, as some exports write them
    file = read(path, "sources.json")
    assert file.data == items
    path.write_text(json.dumps(items, indent=2))
    file = read(path, "sources.json")
    assert str(file.where((1, "URL"))) == "sources.json:25:12"


def test_a_json_mistake_is_located(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    path.write_text('[\n  {"id": "a", "type": "book",}\n]\n')
    assert problems(path) == ["sources.json:2:30: error: JSON syntax: Expecting property name "
                              "enclosed in double quotes.\n    Export the file again from the "
                              "reference manager, or correct it here."]


def test_pandoc_references_mapping_is_a_list_with_its_places(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("references:\n- id: a\n  type: book\n  title: A\n")
    file = read(path, "sources.yaml")
    assert file.data == [{"id": "a", "type": "book", "title": "A"}]
    assert str(file.where((0, "title"))) == "sources.yaml:4:10"
    path.write_text("references: []\nnocite: '@*'\n")
    assert problems(path)[0].startswith("sources.yaml:2:1: error: `nocite` is not part of a "
                                        "bibliography.")


def test_another_kind_of_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "refs.ris"
    path.write_text("TY  - BOOK\n")
    assert problems(path)[0].startswith("refs.ris: error: `refs.ris` is not a bibliography "
                                        "file report can read.")


@needs_pandoc
@pytest.mark.parametrize("fmt", ["csl-json", "csl-yaml"])
def test_report_sources_writes_the_bibliography_out_normalised(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """A .bib in, CSL out: read back (as sources.json or sources.yaml), the same entries."""
    import yaml

    from report.cli import main
    from report.project.read import load_project
    from report.project.validate import validate
    from tests.conftest import make

    project = make(tmp_path / "p", {"content/report.yaml": "title: T\ndate: 2020-01-02\n"
                                                          "sources: [lib.bib, sources.yaml]\n",
                                    "lib.bib": (DATA / "real-world.bib").read_text()})
    out = tmp_path / ("out.json" if fmt == "csl-json" else "out.yaml")
    assert main(["sources", str(project), "--format", fmt, "-o", str(out)]) == 0
    written = json.loads(out.read_text()) if fmt == "csl-json" else yaml.safe_load(
        out.read_text())
    before = validate(load_project(project)).sources
    assert [item["id"] for item in written] == [s.id for s in before]  # both files, in order
    assert len(written) == 8 and written[-1]["id"] == "doe-2001"
    again = make(tmp_path / "q", {"content/report.yaml": "title: T\ndate: 2020-01-02\n"
                                                        f"sources: {out.name}\n",
                                  out.name: out.read_text()})
    assert validate(load_project(again)).sources == before
