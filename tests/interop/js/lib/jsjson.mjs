// JSON.stringify(Automerge.toJS(doc)) as PeatMesh documents it (docs/automerge.md, "peat automerge to-json"):
// exactly JSON.stringify, except that BigInts (every uint, and ints/counters outside -(2^53-1) .. 2^53-2), on which
// JSON.stringify throws, print as their exact decimal digits.
import * as A from '@automerge/automerge';

const MARK = '\u0000peat-bigint:';
const MARKED = /"\\u0000peat-bigint:(-?[0-9]+)"/g;

export function stringify(value) {
  const text = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? MARK + v.toString() : v));
  return text.replace(MARKED, '$1');
}

/** The to-json text of a document. */
export function docJson(doc) {
  return stringify(A.toJS(doc));
}

/** The heads of a document as sorted lowercase hex strings. */
export function heads(doc) {
  return [...A.getHeads(doc)].sort();
}
