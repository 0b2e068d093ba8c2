"""Every note of the report's bibliography, in every position, equals citeproc-js's own output.

The reference runs citeproc-js independently (tests/citeproc_reference.js: processCitationCluster
note by note, as a word processor plugin does) on the raw sources.yaml entries; our side goes
through the whole citation path: Pandoc syntax, locator parsing, the schema's CSL items, note
numbering and report/cite/csl/engine.js.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from report.cite.engine import LOCALES, cite, find_style
from report.document.inline import make_parser, parse
from report.problems import Location
from report.project.schema import Source, csl_item
from tests.conftest import ROOT

# every citation of the whole real report, against citeproc-js's own run (`-m 'not slow'` skips)
pytestmark = pytest.mark.slow

SOURCES = yaml.safe_load((ROOT / "sources.yaml").read_text())
IDS = [entry["id"] for entry in SOURCES]


def sequence() -> list[str]:
    """For each source: first, ibid, ibid with a locator, ibid with another, then after another
    source: subsequent with and without locator (the positions CSL distinguishes)."""
    texts = []
    for i, key in enumerate(IDS):
        other = IDS[(i + 1) % len(IDS)]
        texts += [f"[@{key}]", f"[@{key}]", f"[@{key}, p. 12]", f"[@{key}, pp. 14–15]",
                  f"[@{other}, chap. 2]", f"[@{key}]", f"[@{key}, para. 3]"]
    texts.append(f"[see @{IDS[0]}, 4; also @{IDS[1]}]")
    return texts


def reference(style_xml: str, texts: list[str]) -> dict[str, str]:
    items = []
    for entry in SOURCES:
        item = {k: v for k, v in entry.items() if k != "further-reading"}
        for key, value in item.items():
            if isinstance(value, int):
                item[key] = str(value)
        items.append(item)
    citations = []
    for n, text in enumerate(texts, start=1):
        parts = []
        for piece in text[1:-1].split(";"):
            words = piece.strip()
            prefix, _, rest = words.partition("@")
            key, _, loc = rest.partition(",")
            entry = {"id": key}
            if prefix.strip():
                entry["prefix"] = prefix.strip() + " "
            loc = loc.strip()
            if loc:
                label, _, value = loc.partition(" ")
                entry["label"] = {"p.": "page", "pp.": "page", "chap.": "chapter",
                                  "para.": "paragraph"}.get(label, "page")
                entry["locator"] = value if value else label
            parts.append(entry)
        citations.append({"id": f"c{n}", "items": parts})
    locale = (LOCALES / "locales-en-US.xml").read_text()
    payload = {"style": style_xml, "lang": "en-US", "locales": {"en-US": locale},
               "items": items, "citations": citations}
    done = subprocess.run(["node", str(Path(__file__).with_name("citeproc_reference.js"))],
                          input=json.dumps(payload), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("style_name", ["chicago-notes-bibliography",
                                        "chicago-notes-bibliography-subsequent-ibid",
                                        "modern-language-association-notes"])
def test_every_entry_in_every_position_equals_citeproc_js(style_name: str) -> None:
    style = find_style(style_name, ROOT, Location("test"))
    md = make_parser(note_style=True)
    clusters = []
    texts = sequence()
    for n, text in enumerate(texts, start=1):
        [cluster] = parse(md, f"Claim {text}.").clusters
        cluster.id, cluster.note = f"c{n}", n
        clusters.append(cluster)
    items = [csl_item(Source.model_validate(entry)) for entry in SOURCES]
    ours = cite(style, "en", items, clusters, []).clusters
    theirs = reference(style.xml, texts)
    assert len(ours) == len(texts) > 250
    mismatches = [(texts[int(cid[1:]) - 1], ours[cid], theirs[cid]) for cid in theirs
                  if ours[cid] != theirs[cid]]
    assert mismatches == []
    if "ibid" in style_name:  # the positions really happened
        assert sum(html.startswith("Ibid") for html in ours.values()) >= 2 * len(IDS)
    # full given names, never initials (MLA's notes give surnames only)
    assert style_name.startswith("modern") or any(
        "Kushen" in html and "Robert" in html for html in ours.values())
    assert not any("R. Kushen" in html or "Kushen, R." in html for html in ours.values())


def test_us_punctuation_goes_inside_quotation_marks() -> None:
    style = find_style("chicago-notes-bibliography", ROOT, Location("test"))
    md = make_parser()
    [cluster] = parse(md, "[@nyt-1990-01-19-nationalism]").clusters
    cluster.id, cluster.note = "c1", 1
    items = [csl_item(Source.model_validate(e)) for e in SOURCES]
    html = cite(style, "en", items, [cluster], []).clusters["c1"]
    assert "“Nationalism at Its Nastiest,”" in html
