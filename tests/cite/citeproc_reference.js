// The reference for tests/test_citations.py: citeproc-js driven the way a word processor
// plugin drives it (Zotero's integration): one processCitationCluster call per note, in
// order, each told which citations precede it. report/cite/csl/engine.js uses a different entry
// point (rebuildProcessorState); both must agree, note by note.
"use strict";
const path = require("path");
const CSL = require(path.join(__dirname, "..", "..", "report", "cite", "csl", "node_modules", "citeproc"));

let data = "";
process.stdin.on("data", (chunk) => (data += chunk));
process.stdin.on("end", () => {
  const input = JSON.parse(data);
  const items = Object.fromEntries(input.items.map((i) => [i.id, i]));
  const sys = { retrieveLocale: (l) => input.locales[l] || null, retrieveItem: (id) => items[id] };
  const engine = new CSL.Engine(sys, input.style, input.lang, true);
  const pre = [];
  const out = {};
  input.citations.forEach((c, i) => {
    const citation = { citationID: c.id, citationItems: c.items, properties: { noteIndex: i + 1 } };
    const [, updates] = engine.processCitationCluster(citation, pre, []);
    for (const [index, html] of updates) out[pre.concat([[c.id, i + 1]])[index][0]] = html;
    pre.push([c.id, i + 1]);
  });
  process.stdout.write(JSON.stringify(out));
});
