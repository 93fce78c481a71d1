// Automerge.from(JSON.parse(text)) with a fixed actor and change time, for comparison with `peat automerge from-json`.
// Usage: node from-json.mjs FILE.json --actor HEX --time SECONDS [--out FILE.automerge]
// Prints {"heads": [...], "json": to-json text, "change": hex of the change or null}.
import * as A from '@automerge/automerge';
import fs from 'node:fs';
import { parseArgs, run } from './lib/args.mjs';
import { docJson, heads } from './lib/jsjson.mjs';

run(() => {
  const options = parseArgs(process.argv.slice(2), { actor: 'value', time: 'value', out: 'value' });
  const value = JSON.parse(fs.readFileSync(options._[0], 'utf8'));
  // Automerge.from takes no time option; it stamps the change with Math.floor(Date.now() / 1000).
  const realNow = Date.now;
  Date.now = () => Number(options.time) * 1000;
  let doc;
  try {
    doc = A.from(value, options.actor);
  } finally {
    Date.now = realNow;
  }
  if (options.out) fs.writeFileSync(options.out, A.save(doc));
  const change = A.getLastLocalChange(doc);
  process.stdout.write(JSON.stringify({ heads: heads(doc), json: docJson(doc), change: change ? Buffer.from(change).toString('hex') : null }) + '\n');
});
