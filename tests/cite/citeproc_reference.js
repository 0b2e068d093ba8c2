// The reference for tests/test_citations.py: citeproc-js driven the way a word processor
// plugin drives it (Zotero's integration): one processCitationCluster call per note, in
// order, each told which citations precede it. report/cite/csl/engine.js uses a different entry
// point (rebuildProcessorState); both must agree, note by note.
// Optional input: a citation's noteIndex (else its position), `uncited` (item ids registered
// first, as a document's uncited items are) and `bibliography: true`, which makes the output
// {citations: {id: html}, bibliography: [[id, html]]} (makeBibliography; the ids are its
// entry_ids, which are positional: they shift when a style leaves an entry out).
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
  if (input.uncited) engine.updateUncitedItems(input.uncited);
  const pre = [];
  const out = {};
  input.citations.forEach((c, i) => {
    const noteIndex = c.noteIndex || i + 1;
    const citation = { citationID: c.id, citationItems: c.items, properties: { noteIndex } };
    const [, updates] = engine.processCitationCluster(citation, pre, []);
    for (const [index, html] of updates) out[pre.concat([[c.id, noteIndex]])[index][0]] = html;
    pre.push([c.id, noteIndex]);
  });
  if (!input.bibliography) {
    process.stdout.write(JSON.stringify(out));
    return;
  }
  const [params, entries] = engine.makeBibliography();
  const bibliography = entries.map((html, i) => [String(params.entry_ids[i][0]), html.trim()]);
  process.stdout.write(JSON.stringify({ citations: out, bibliography }));
});
