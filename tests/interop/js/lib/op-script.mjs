// Runs an op script (the format shared with the C# interop tests, see README.md) through the Automerge JS API.
import * as A from '@automerge/automerge';

/** A typed scalar of the script as the JS API spells it. */
export function scalar(v) {
  switch (v.type) {
    case 'null': return null;
    case 'bool': return v.value;
    case 'int': {
      const n = BigInt(v.value);
      return n >= -(2n ** 53n - 1n) && n <= 2n ** 53n - 1n ? Number(n) : n;
    }
    case 'uint': return new A.Uint(Number(v.value));
    // A non-integral JS number is already f64 (and insertAt would turn a Float64 wrapper into a map).
    case 'f64': return Number.isInteger(v.value) ? new A.Float64(v.value) : v.value;
    case 'str': return new A.ImmutableString(v.value);
    case 'bytes': return new Uint8Array(Buffer.from(v.value, 'hex'));
    case 'counter': return new A.Counter(Number(v.value));
    case 'timestamp': return new Date(Number(v.value));
    default: throw new Error(`unknown scalar type ${v.type}`);
  }
}

/** A mark value: A.mark takes plain JS primitives (a string, not an ImmutableString). */
function markValue(v) {
  if (v.type === 'str') return v.value;
  if (v.type === 'int') return Number(v.value);
  return scalar(v);
}

function emptyObject(type) {
  switch (type) {
    case 'map': return {};
    case 'list': return [];
    case 'text': return '';
    default: throw new Error(`unknown object type ${type}`);
  }
}

function resolve(d, path) {
  return path.reduce((o, k) => o[k], d);
}

/** Applies one op of the script inside an A.change callback. */
export function applyOp(d, op) {
  const target = resolve(d, op.path);
  switch (op.op) {
    case 'put': target[op.key] = scalar(op.value); break;
    case 'putObject': target[op.key] = emptyObject(op.type); break;
    case 'insert': target.insertAt(op.index, scalar(op.value)); break;
    case 'insertObject': target.insertAt(op.index, emptyObject(op.type)); break;
    case 'set': target[op.index] = scalar(op.value); break;
    case 'delete':
      if ('key' in op) delete target[op.key];
      else target.deleteAt(op.index);
      break;
    case 'increment': target['key' in op ? op.key : op.index].increment(op.by); break;
    case 'splice': A.splice(d, op.path, op.index, op.delete, op.insert); break;
    case 'mark':
      A.mark(d, op.path, { start: op.start, end: op.end, expand: op.expand }, op.name, markValue(op.value));
      break;
    case 'unmark': A.unmark(d, op.path, { start: op.start, end: op.end, expand: op.expand }, op.name); break;
    default: throw new Error(`unknown op ${op.op}`);
  }
}
