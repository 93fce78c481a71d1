// Automerge.from(JSON.parse(text)) with a fixed actor and change time, for comparison with `peat automerge from-json`.
// Usage: node from-json.mjs --actor HEX --time SECONDS FILE.json...
// Prints a JSON array with, per file, {file, heads, json (to-json text), change (hex of the change, or null)}.
import * as A from '@automerge/automerge';
import fs from 'node:fs';
import { parseArgs, run } from './lib/args.mjs';
import { docJson, heads } from './lib/jsjson.mjs';

run(() => {
  const options = parseArgs(process.argv.slice(2), { actor: 'value', time: 'value' });
  const results = options._.map((file) => {
    const value = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Automerge.from takes no time option; it stamps the change with Math.floor(Date.now() / 1000).
    const realNow = Date.now;
    Date.now = () => Number(options.time) * 1000;
    let doc;
    try {
      doc = A.from(value, options.actor);
    } finally {
      Date.now = realNow;
    }
    const change = A.getLastLocalChange(doc);
    return { file, heads: heads(doc), json: docJson(doc), change: change ? Buffer.from(change).toString('hex') : null };
  });
  process.stdout.write(JSON.stringify(results) + '\n');
});
