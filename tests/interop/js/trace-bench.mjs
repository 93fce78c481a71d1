// Replays an editing trace (sequential format, ../shared/testdata/traces/README.md) with Automerge JS 3.5.0 exactly as
// `peat automerge bench-trace` does in C#: A.from({text: startContent}), then every patch expanded into single-character
// splices (deletes first, then one insert per code point), all in one A.change (--mode one-change) or one A.change per
// splice (--mode per-edit); times apply, save() and load() of the saved bytes (the first in the process: cold), and with
// --repeats K also K more save()s of the same document and load()s of the saved bytes (medians: warm). Every timed phase
// starts from a settled heap, as in the C# command (ADR 0029): the documents the warm loads return are freed (A.free), then
// V8's full gc() runs outside the clock.
// Usage: node trace-bench.mjs TRACE.json.gz [--mode one-change|per-edit] [--repeats K] [--json]
// Prints the same fields as the C# command (wall and process CPU milliseconds per phase); exits 1 if the final text differs from endContent.
import * as A from '@automerge/automerge';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { parseArgs, run } from './lib/args.mjs';

function readTrace(file) {
  let bytes = fs.readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
  const trace = JSON.parse(bytes.toString('utf8'));
  const splices = [];
  let patches = 0;
  for (const txn of trace.txns) {
    for (const [position, deletes, text] of txn.patches) {
      patches++;
      for (let i = 0; i < deletes; i++) splices.push([position, 1, '']);
      let offset = position;
      for (const ch of text) {
        splices.push([offset, 0, ch]);
        offset += ch.length;
      }
    }
  }
  return { start: trace.startContent ?? '', end: trace.endContent, patches, splices };
}

// V8's gc() without needing --expose-gc on the command line: the flag is set at run time and the function taken from a
// fresh context, which gets it.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc');

/** Starts a timed phase from a settled heap: V8's full, synchronous collection, twice (the second one collects what the
 * first one's weak callbacks released). */
function settle() {
  collect();
  collect();
}

run(() => {
  const options = parseArgs(process.argv.slice(2), { mode: 'value', repeats: 'value', json: 'flag' });
  const file = options._[0];
  const mode = options.mode ?? 'one-change';
  if (mode !== 'one-change' && mode !== 'per-edit') throw new Error('--mode must be one-change or per-edit');
  const repeats = options.repeats === undefined ? 0 : Number(options.repeats);
  if (!Number.isInteger(repeats) || repeats < 0 || repeats > 100) throw new Error('--repeats must be 0..100');
  const trace = readTrace(file);

  let doc = A.from({ text: trace.start });
  const cpuMs = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
  settle();
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  if (mode === 'one-change') {
    doc = A.change(doc, (d) => {
      for (const [position, del, ch] of trace.splices) A.splice(d, ['text'], position, del, ch);
    });
  } else {
    for (const [position, del, ch] of trace.splices) {
      doc = A.change(doc, (d) => A.splice(d, ['text'], position, del, ch));
    }
  }
  const applyMs = performance.now() - t0;
  const applyCpuMs = cpuMs(c0);
  const finalText = doc.text;

  settle();
  c0 = process.cpuUsage();
  t0 = performance.now();
  const saved = A.save(doc);
  const saveMs = performance.now() - t0;
  const saveCpuMs = cpuMs(c0);

  settle();
  c0 = process.cpuUsage();
  t0 = performance.now();
  const loaded = A.load(saved);
  const loadMs = performance.now() - t0;
  const loadCpuMs = cpuMs(c0);
  if (loaded.text !== finalText) throw new Error('the saved document does not load back to the same text');

  const median = (values) => {
    if (values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const saves = [];
  const loads = [];
  for (let i = 0; i < repeats; i++) {
    settle();
    t0 = performance.now();
    const again = A.save(doc);
    saves.push(performance.now() - t0);
    if (Buffer.compare(Buffer.from(again), Buffer.from(saved)) !== 0) throw new Error('saving the same document again gave different bytes');
    settle();
    t0 = performance.now();
    const reloaded = A.load(saved);
    loads.push(performance.now() - t0);
    A.free(reloaded);
  }

  const result = {
    mode,
    splices: trace.splices.length,
    changes: A.getAllChanges(loaded).length,
    applyMs,
    saveMs,
    loadMs,
    applyCpuMs,
    saveCpuMs,
    loadCpuMs,
    sizeBytes: saved.length,
    sha256: crypto.createHash('sha256').update(finalText, 'utf8').digest('hex'),
    matchesEndContent: finalText === trace.end,
    repeats,
    saveWarmMs: median(saves),
    loadWarmMs: median(loads),
  };
  if (options.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const f = (ms) => ms.toFixed(1);
    process.stdout.write(`trace      ${path.basename(file)} (${trace.patches} patches, ${result.splices} single-character splices)\n`
      + `mode       ${mode} (${result.changes} changes)\napply      ${f(applyMs)} ms\nsave       ${f(saveMs)} ms\n`
      + `load       ${f(loadMs)} ms${repeats ? ` cold, ${f(result.loadWarmMs)} ms warm (median of ${repeats} more)` : ''}\nsize       ${result.sizeBytes} bytes\nsha256     ${result.sha256}\n`
      + `endContent ${result.matchesEndContent ? 'matches' : 'DIFFERS'}\n`);
  }
  if (!result.matchesEndContent) process.exit(1);
});
