// Seeded random edits through the Automerge JS 3.5.0 proxy API: maps, nested maps, lists, text, counters, every
// scalar type, conflicts (when replicas edit concurrently) and, optionally, marks.
import * as A from '@automerge/automerge';

const KEYS = ['a', 'b', 'c', 'k0', 'k1', '0', '2', '10', 'Z', 'é', '😀', ''];
const CHARS = ['a', 'b', 'c', 'x', ' ', '\n', '"', '\\', '\u0001', 'é', 'ß', '€', '\u2028', '\u007f', '😀', '🇬🇧'];
const FLOATS = [0.5, -1.25, 3.14159267, 0.1 + 0.2, 1e21, 1e-7, 123456789.125, -1.5e-300, 5e-324, 1.7976931348623157e308];
const MARK_NAMES = ['bold', 'italic', 'link', 'comment'];
const EXPANDS = ['before', 'after', 'both', 'none'];

/** A random string of 0..max characters (code points) from a pool that exercises JSON escaping and UTF-16. */
export function randomString(rng, max = 6) {
  let s = '';
  const n = rng.int(max + 1);
  for (let i = 0; i < n; i++) s += rng.pick(CHARS);
  return s;
}

/** A random scalar value as the JS API spells it (a plain string would make text, so strings are ImmutableString). */
export function randomScalar(rng) {
  switch (rng.int(14)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.range(-1000, 1000);
    case 3: return rng.pick([2 ** 53 - 2, -(2 ** 53 - 1), 2 ** 31, -(2 ** 40)]);
    case 4: return rng.pick([2n ** 53n - 1n, 2n ** 60n, -(2n ** 62n), -(2n ** 53n)]); // ints that toJS returns as BigInt
    case 5: return rng.pick(FLOATS);
    case 6: return new A.Float64(rng.range(-5, 5));
    case 7: return new A.Uint(rng.pick([0, 7, 2 ** 32, 2 ** 53 - 1]));
    case 8: return new A.Counter(rng.range(-10, 10));
    case 9: return new Date(rng.pick([0, -1, 1_700_000_000_123, -62_198_755_200_000, 253_402_300_800_000, 8.64e15]));
    case 10: return new Uint8Array(Array.from({ length: rng.int(4) }, () => rng.int(256)));
    default: return new A.ImmutableString(randomString(rng));
  }
}

/** A random value to put: mostly scalars, sometimes a new map, list or text. */
function randomValue(rng) {
  switch (rng.int(10)) {
    case 0: return {};
    case 1: return [];
    case 2: return randomString(rng, 4); // becomes a text object
    default: return randomScalar(rng);
  }
}

/** The shared shape every replica starts from (created once by the first actor). */
export function createBase(d) {
  d.list = [1, 'two'];
  d.text = 'hello world';
  d.counter = new A.Counter(0);
  d.map = { n: 1 };
}

/** A counter read through the change proxy (one put earlier in the same change is a plain Counter without increment). */
function incrementable(value) {
  return A.isCounter(value) && typeof value.increment === 'function';
}

/** UTF-16 offsets that do not split a surrogate pair. */
function boundaries(text) {
  const result = [0];
  let offset = 0;
  for (const ch of text) {
    offset += ch.length;
    result.push(offset);
  }
  return result;
}

function containers(d) {
  const maps = [d];
  const lists = [];
  const texts = [];
  const visit = (value, path, depth) => {
    if (depth > 3) return;
    for (const [k, v] of Object.entries(value)) {
      // Path-based calls (A.splice, A.mark) join paths with '/', so an empty key cannot be addressed by path.
      if (k === '') continue;
      const p = [...path, Array.isArray(value) ? Number(k) : k];
      if (typeof v === 'string') texts.push(p);
      else if (Array.isArray(v)) { lists.push(v); visit(v, p, depth + 1); }
      else if (v !== null && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array)
        && !A.isCounter(v) && !A.isImmutableString(v) && !(v instanceof A.Uint) && !(v instanceof A.Float64)) {
        maps.push(v);
        visit(v, p, depth + 1);
      }
    }
  };
  visit(d, [], 0);
  return { maps, lists, texts };
}

/** One random edit inside an A.change callback. */
export function randomEdit(rng, d, { marks = false } = {}) {
  const { maps, lists, texts } = containers(d);
  switch (rng.int(marks ? 11 : 10)) {
    case 0:
    case 1: {
      const map = rng.pick(maps);
      map[rng.pick(KEYS)] = randomValue(rng);
      break;
    }
    case 2: {
      const map = rng.pick(maps);
      delete map[rng.pick(KEYS)];
      break;
    }
    case 3: {
      if (lists.length === 0) break;
      const list = rng.pick(lists);
      list.insertAt(rng.int(list.length + 1), randomValue(rng));
      break;
    }
    case 4: {
      if (lists.length === 0) break;
      const list = rng.pick(lists);
      if (list.length > 0) list.deleteAt(rng.int(list.length));
      break;
    }
    case 5: {
      if (lists.length === 0) break;
      const list = rng.pick(lists);
      if (list.length > 0) list[rng.int(list.length)] = randomScalar(rng);
      break;
    }
    case 6:
    case 7: {
      if (texts.length === 0) break;
      const path = rng.pick(texts);
      const text = path.reduce((o, k) => o[k], d);
      const cuts = boundaries(text);
      const from = rng.int(cuts.length);
      const to = Math.min(cuts.length - 1, from + rng.int(3));
      A.splice(d, path, cuts[from], cuts[to] - cuts[from], randomString(rng, 4));
      break;
    }
    case 8: {
      if (incrementable(d.counter)) d.counter.increment(rng.range(-5, 5));
      break;
    }
    case 9: {
      const map = rng.pick(maps);
      const key = rng.pick(KEYS);
      if (incrementable(map[key])) map[key].increment(rng.range(1, 3));
      else map[key] = new A.Counter(rng.range(0, 3));
      break;
    }
    default: {
      if (texts.length === 0) break;
      const path = rng.pick(texts);
      const cuts = boundaries(path.reduce((o, k) => o[k], d));
      if (cuts.length < 2) break;
      const start = rng.int(cuts.length - 1);
      const end = start + 1 + rng.int(cuts.length - 1 - start);
      const name = rng.pick(MARK_NAMES);
      if (rng.chance(0.2)) A.unmark(d, path, { start: cuts[start], end: cuts[end], expand: rng.pick(EXPANDS) }, name);
      else A.mark(d, path, { start: cuts[start], end: cuts[end], expand: rng.pick(EXPANDS) }, name, rng.pick([true, 'https://x', 7]));
      break;
    }
  }
}

/** Applies `changes` random changes of 1..maxOps edits each, with fixed times (deterministic hashes). */
export function randomChanges(rng, doc, { changes, maxOps = 4, marks = false, time = 1_700_000_000 }) {
  for (let c = 0; c < changes; c++) {
    const ops = rng.range(1, maxOps);
    doc = A.change(doc, { time: time + c }, (d) => {
      for (let i = 0; i < ops; i++) randomEdit(rng, d, { marks });
    });
  }
  return doc;
}
