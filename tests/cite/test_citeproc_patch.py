"""The citeproc-js speed patch (report/cite/csl/citeproc_patch.js): refused on another version,
and every macro lookup gives the nodes the unpatched walk gives."""

from __future__ import annotations

import subprocess
from pathlib import Path

from report.cite.engine import find_style
from report.problems import Location

CSL_DIR = Path(__file__).parents[2] / "report" / "cite" / "csl"


def node(script: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", "-e", script], input=stdin, capture_output=True, text=True,
                          cwd=CSL_DIR)


def test_the_patch_refuses_another_citeproc_version() -> None:
    done = node('require("./citeproc_patch.js")({PROCESSOR_VERSION: "9.9.9"})')
    assert done.returncode != 0
    assert "is for citeproc-js 1.4.61, not 9.9.9" in done.stderr


def test_every_macro_lookup_equals_the_walk() -> None:
    style = find_style("chicago-notes-bibliography", Path("."), Location("x")).xml
    done = node("""
        const CSL = require("./node_modules/citeproc");
        const walk = CSL.XmlJSON.prototype.getNodesByName;
        require("./citeproc_patch.js")(CSL);
        let xml = ""; process.stdin.on("data", (c) => (xml += c));
        process.stdin.on("end", () => {
          const tree = new CSL.XmlJSON(CSL.parseXml(xml));
          const names = walk.call(tree, tree.dataObj, "macro").map((n) => n.attrs.name);
          let same = 0;
          for (const name of [...names, "no-such-macro"]) {
            const a = tree.getNodesByName(tree.dataObj, "macro", name);
            const b = walk.call(tree, tree.dataObj, "macro", name);
            if (a.length === b.length && a.every((n, i) => n === b[i])) same += 1;
          }
          console.log(same, names.length + 1);
        });""", style)
    assert done.returncode == 0, done.stderr
    same, total = map(int, done.stdout.split())
    assert same == total > 50
