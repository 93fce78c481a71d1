// One Automerge JS 3.5.0 sync peer over stdin/stdout, with the framing of `peat automerge sync --stdio`
// (lib/framing.mjs): on start it writes its first frame; after each frame it reads it receives the message (if non-empty)
// and writes its next frame; at the end of input it saves the document to --out and exits 0.
// Usage: node sync-peer.mjs --doc IN --out OUT [--actor HEX] [--seed S --changes N [--marks]] [--report FILE]
// --seed/--changes first make N seeded random changes (lib/random-edits.mjs) with --actor, so the two peers diverge.
// --report writes {headsBeforeSync, heads, json, framesRead, messagesSent} at the end.
import * as A from '@automerge/automerge';
import fs from 'node:fs';
import { parseArgs, run } from './lib/args.mjs';
import { readFrames, writeFrame } from './lib/framing.mjs';
import { docJson, heads } from './lib/jsjson.mjs';
import { Rng } from './lib/prng.mjs';
import { randomChanges } from './lib/random-edits.mjs';

run(async () => {
  const options = parseArgs(process.argv.slice(2), {
    doc: 'value', out: 'value', actor: 'value', seed: 'value', changes: 'value', marks: 'flag', report: 'value',
  });
  if (!options.doc || !options.out) throw new Error('--doc IN and --out OUT are required');
  let doc = A.load(fs.readFileSync(options.doc), options.actor ? { actor: options.actor } : undefined);
  if (options.changes) {
    doc = randomChanges(new Rng(options.seed ?? 1), doc, { changes: Number(options.changes), marks: Boolean(options.marks) });
  }
  const headsBeforeSync = heads(doc);
  let state = A.initSyncState();
  let framesRead = 0;
  let messagesSent = 0;
  const sendNext = async () => {
    let message;
    [state, message] = A.generateSyncMessage(doc, state);
    if (message) messagesSent++;
    await writeFrame(process.stdout, message);
  };
  await sendNext();
  for await (const frame of readFrames(process.stdin)) {
    framesRead++;
    if (frame.length > 0) [doc, state] = A.receiveSyncMessage(doc, state, frame);
    await sendNext();
  }
  fs.writeFileSync(options.out, A.save(doc));
  if (options.report) {
    fs.writeFileSync(options.report, JSON.stringify({ headsBeforeSync, heads: heads(doc), json: docJson(doc), framesRead, messagesSent }));
  }
});
