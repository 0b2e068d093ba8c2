// Runs citeproc-js (the reference CSL processor, the one inside Zotero) over one report.
// Input on stdin, two lines of JSON: {style, locales: {tag: xml}, lang}, then {items, clusters,
// uncited}. The engine is made (the style compiled, the slowest step) as soon as the first line
// is in: report/cite/warm.py sends it before the build has read the sources.
// Output on stdout, JSON: {note: bool, clusters: {id: html}, bibliography: [[id, html]],
// warnings: [text]}. Positions (first, subsequent, ibid) are computed by citeproc-js itself
// from the order of the clusters, so nothing here decides how a note looks.
"use strict";
const path = require("path");
const CSL = require(path.join(__dirname, "node_modules", "citeproc"));
require(path.join(__dirname, "citeproc_patch.js"))(CSL);

function makeEngine(head) {
  const warnings = [];
  const items = {};
  const sys = {
    retrieveLocale: (tag) => head.locales[tag] || null,
    retrieveItem: (id) => items[id],
    // Marks each bibliography entry with its item id: entries the style leaves out (Chicago
    // omits interviews, for one) make positional matching with params.entry_ids wrong.
    embedBibliographyEntry: (id) => `<!--item:${id}-->`,
  };
  CSL.debug = (msg) => warnings.push(String(msg));
  const engine = new CSL.Engine(sys, head.style, head.lang, true);
  engine.setOutputFormat("html");
  return { engine, items, warnings };
}

function main({ engine, items, warnings }, input) {
  for (const item of input.items) items[item.id] = { ...item, system_id: item.id };
  const citations = input.clusters.map((cluster, i) => ({
    citationID: cluster.id,
    citationItems: cluster.items,
    properties: { noteIndex: cluster.noteIndex || i + 1 },
  }));
  // The uncited items (further reading) are registered before any citation is formatted: a
  // numeric style that sorts its bibliography (by author, say) numbers them among the cited
  // ones, and the numbers in the text must be those of the list. A source both cited and
  // further reading is a cited one (registered as uncited, it would be numbered last).
  const citedIds = new Set(input.clusters.flatMap((c) => c.items.map((i) => String(i.id))));
  const uncited = (input.uncited || []).filter((id) => !citedIds.has(String(id)));
  engine.updateUncitedItems(uncited);
  const rendered = engine.rebuildProcessorState(citations, "html", uncited);
  const clusters = {};
  for (const [id, , html] of rendered) clusters[id] = html;
  const bibliography = [];
  if (engine.bibliography && engine.bibliography.tokens && engine.bibliography.tokens.length) {
    const [, entries] = engine.makeBibliography();
    for (const entry of entries) {
      const match = /<!--item:(.*?)-->/.exec(entry);
      if (match) bibliography.push([match[1], entry.replace(match[0], "").trim()]);
    }
  }
  // Sources the style leaves out of its bibliography (Chicago omits interviews, manuscripts and
  // unpublished documents) are still sources of the report: list them in their full-note form.
  const listed = new Set(bibliography.map(([id]) => id));
  const wanted = new Set([...input.clusters.flatMap((c) => c.items.map((i) => i.id)),
                          ...(input.uncited || [])]);
  const omitted = [];
  for (const id of wanted) {
    if (!listed.has(id)) omitted.push([id, engine.makeCitationCluster([{ id }])]);
  }
  return { note: engine.opt.xclass === "note", clusters, bibliography, omitted, warnings };
}

function fail(err) {
  process.stderr.write(String(err && err.stack ? err.stack : err));
  process.exit(3);
}

let data = "";
let made = null;
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  data += chunk;
  const end = data.indexOf("\n");
  if (made === null && end >= 0) {  // JSON.stringify writes no raw newline: the first line ends here
    try {
      made = makeEngine(JSON.parse(data.slice(0, end)));
    } catch (err) {
      fail(err);
    }
    data = data.slice(end + 1);
  }
});
process.stdin.on("end", () => {
  try {
    if (made === null) throw new Error("no style was sent");
    process.stdout.write(JSON.stringify(main(made, JSON.parse(data))));
  } catch (err) {
    fail(err);
  }
});
