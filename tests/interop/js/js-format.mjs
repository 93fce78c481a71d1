// Prints how JavaScript spells numbers and dates in JSON, for the C# tests of PeatMesh's JS-compatible JSON writer.
// Usage: node js-format.mjs INPUT.json, where INPUT is {"doubles": [hex of the 8 IEEE 754 bytes, big-endian], "dates": [ms as
// decimal strings]}; prints {"doubles": [JSON.stringify(x)], "dates": [JSON.stringify(new Date(ms))]}.
import fs from 'node:fs';
import { parseArgs, run } from './lib/args.mjs';

run(() => {
  const { _: [file] } = parseArgs(process.argv.slice(2), {});
  const input = JSON.parse(fs.readFileSync(file, 'utf8'));
  const doubles = input.doubles.map((hex) => JSON.stringify(Buffer.from(hex, 'hex').readDoubleBE(0)));
  const dates = input.dates.map((ms) => JSON.stringify(new Date(Number(ms))));
  process.stdout.write(JSON.stringify({ doubles, dates }) + '\n');
});
