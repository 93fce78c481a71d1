// Replays an op script with Automerge JS 3.5.0 and prints the bytes of every change it makes.
// Usage: node golden-changes.mjs SCRIPT.json
// Script: {"actor": hex, "changes": [{"time": seconds, "message": string|null, "ops": [op...]}]} (see README.md).
// Prints {"changes": [hex|null per script change (null when JS made no change)], "heads": [...], "json": to-json text}.
import * as A from '@automerge/automerge';
import fs from 'node:fs';
import { parseArgs, run } from './lib/args.mjs';
import { docJson, heads } from './lib/jsjson.mjs';
import { applyOp } from './lib/op-script.mjs';

run(() => {
  const { _: [file] } = parseArgs(process.argv.slice(2), {});
  const script = JSON.parse(fs.readFileSync(file, 'utf8'));
  let doc = A.init({ actor: script.actor });
  const changes = [];
  for (const change of script.changes) {
    const before = A.getHeads(doc).join();
    const options = { time: change.time };
    if (change.message != null) options.message = change.message;
    doc = A.change(doc, options, (d) => change.ops.forEach((op) => applyOp(d, op)));
    changes.push(A.getHeads(doc).join() === before ? null : Buffer.from(A.getLastLocalChange(doc)).toString('hex'));
  }
  process.stdout.write(JSON.stringify({ changes, heads: heads(doc), json: docJson(doc) }) + '\n');
});
