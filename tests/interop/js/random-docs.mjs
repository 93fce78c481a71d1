// Writes seeded random Automerge documents and what Automerge JS 3.5.0 says about them.
// Usage: node random-docs.mjs --seed S --count N --out DIR [--marks]
// Writes DIR/doc-NNN.automerge and DIR/manifest.json: [{file, format, actors, changes, json, heads}], where json is
// JSON.stringify(Automerge.toJS(doc)) (BigInts as digits, see lib/jsjson.mjs) and heads are sorted hex hashes.
// Documents come from 1-3 replicas with their own actors editing concurrently (so keys conflict) and merging; the
// file is, at random, save() (one document chunk), save() followed by later change chunks, or only change chunks.
import * as A from '@automerge/automerge';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, run } from './lib/args.mjs';
import { Rng } from './lib/prng.mjs';
import { docJson, heads } from './lib/jsjson.mjs';
import { createBase, randomChanges } from './lib/random-edits.mjs';

function concat(chunks) {
  return Buffer.concat(chunks.map((c) => Buffer.from(c)));
}

function randomDocument(rng, marks) {
  const replicas = rng.range(1, 3);
  const actors = Array.from({ length: replicas }, () => rng.hex(rng.chance(0.8) ? 16 : rng.range(1, 8)));
  let time = 1_700_000_000;
  let base = A.change(A.init({ actor: actors[0] }), { time: time++ }, createBase);
  let docs = actors.map((actor, i) => (i === 0 ? base : A.clone(base, { actor })));
  let midpoint = null;
  const rounds = rng.range(1, 4);
  for (let round = 0; round < rounds; round++) {
    docs = docs.map((doc) => randomChanges(rng, doc, { changes: rng.range(1, 4), marks, time: (time += 10) }));
    if (round === 0) midpoint = A.clone(docs[0]);
    if (replicas > 1 && rng.chance(0.5)) {
      const a = rng.int(replicas);
      const b = rng.int(replicas);
      if (a !== b) docs[a] = A.merge(docs[a], docs[b]);
    }
  }
  let doc = docs[0];
  for (let i = 1; i < replicas; i++) doc = A.merge(doc, docs[i]);
  const format = rng.pick(['save', 'save+changes', 'changes']);
  let bytes;
  if (format === 'save') bytes = A.save(doc);
  else if (format === 'save+changes') bytes = concat([A.save(midpoint), ...A.getChanges(midpoint, doc)]);
  else bytes = concat(A.getAllChanges(doc));
  return { doc, bytes, format, actors };
}

run(() => {
  const options = parseArgs(process.argv.slice(2), { seed: 'value', count: 'value', out: 'value', marks: 'flag' });
  const count = Number(options.count ?? 10);
  if (!options.out) throw new Error('--out DIR is required');
  fs.mkdirSync(options.out, { recursive: true });
  const rng = new Rng(options.seed ?? 1);
  const manifest = [];
  for (let i = 0; i < count; i++) {
    const { doc, bytes, format, actors } = randomDocument(rng, Boolean(options.marks));
    const file = `doc-${String(i).padStart(3, '0')}.automerge`;
    fs.writeFileSync(path.join(options.out, file), bytes);
    // The file must load back in JS to the same document (a self-check of the generator).
    const reloaded = A.load(bytes);
    if (JSON.stringify(heads(reloaded)) !== JSON.stringify(heads(doc))) throw new Error(`${file}: reloaded heads differ`);
    manifest.push({ file, format, actors, changes: A.getAllChanges(doc).length, json: docJson(doc), heads: heads(doc) });
  }
  fs.writeFileSync(path.join(options.out, 'manifest.json'), JSON.stringify(manifest, null, 1));
});
