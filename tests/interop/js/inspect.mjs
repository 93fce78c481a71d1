// Loads Automerge files (for example written by PeatMesh) with Automerge JS 3.5.0 and prints, as one JSON array on
// stdout, for each file: {file, json, heads, changes, resaved}, where json is the to-json text (lib/jsjson.mjs),
// heads are sorted hex hashes, changes the number of changes, and resaved whether save() of the loaded document loads
// back to the same heads. A file that fails to load gives {file, error}.
// Usage: node inspect.mjs FILE...
import * as A from '@automerge/automerge';
import fs from 'node:fs';
import { parseArgs, run } from './lib/args.mjs';
import { docJson, heads } from './lib/jsjson.mjs';

run(() => {
  const { _: files } = parseArgs(process.argv.slice(2), {});
  const results = files.map((file) => {
    try {
      const doc = A.load(fs.readFileSync(file));
      const resaved = A.load(A.save(doc));
      return {
        file,
        json: docJson(doc),
        heads: heads(doc),
        changes: A.getAllChanges(doc).length,
        resaved: JSON.stringify(heads(resaved)) === JSON.stringify(heads(doc)),
      };
    } catch (error) {
      return { file, error: String(error?.message ?? error) };
    }
  });
  process.stdout.write(JSON.stringify(results) + '\n');
});
