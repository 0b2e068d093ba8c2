// A speed patch of citeproc-js, pinned to the version it was written for.
//
// Building an engine expands every macro call of the style (6,400 for Chicago), and
// citeproc-js finds each macro by walking the whole style tree (CSL.XmlJSON getNodesByName:
// 25 million visits, half the engine's start). Here the macros of a style tree are indexed by
// name on the first lookup and the same nodes come back, in the same order. The index is
// rebuilt whenever the root's list of children changes (macros are children of the root), and
// a name it does not know is looked up as before. The citation tests compare the output with
// unpatched citeproc-js (tests/cite/citeproc_reference.js).
"use strict";
const PINNED = "1.4.61";

module.exports = function patch(CSL) {
  if (CSL.PROCESSOR_VERSION !== PINNED) {
    throw new Error(`report/cite/csl/citeproc_patch.js is for citeproc-js ${PINNED}, not ` +
      `${CSL.PROCESSOR_VERSION}: check that its macro lookup is unchanged, then update PINNED`);
  }
  const proto = CSL.XmlJSON.prototype;
  const walk = proto.getNodesByName;
  const indexes = new WeakMap();  // root -> {children, length, byName}

  function index(tree) {
    const byName = new Map();
    for (const node of walk.call(this, tree, "macro")) {
      const key = node.attrs && node.attrs.name;
      if (!byName.has(key)) byName.set(key, []);
      byName.get(key).push(node);
    }
    const made = { children: tree.children, length: tree.children.length, byName };
    indexes.set(tree, made);
    return made;
  }

  proto.getNodesByName = function (tree, name, value, ret) {
    if (name !== "macro" || !value || ret || !tree || tree !== this.dataObj || !tree.children) {
      return walk.call(this, tree, name, value, ret);
    }
    let found = indexes.get(tree);
    if (!found || found.children !== tree.children || found.length !== tree.children.length) {
      found = index.call(this, tree);
    }
    const nodes = found.byName.get(value);
    return nodes ? nodes.slice() : walk.call(this, tree, name, value, ret);
  };
};
