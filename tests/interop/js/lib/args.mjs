// Minimal --name value / --flag parsing for the harness scripts.
export function parseArgs(argv, spec) {
  const options = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { options._.push(arg); continue; }
    const name = arg.slice(2);
    if (!(name in spec)) throw new Error(`unknown option --${name}`);
    if (spec[name] === 'flag') { options[name] = true; continue; }
    if (i + 1 >= argv.length) throw new Error(`option --${name} needs a value`);
    options[name] = argv[++i];
  }
  return options;
}

/** Runs main(), printing any error on stderr and exiting 1. */
export function run(main) {
  Promise.resolve().then(main).catch((error) => {
    process.stderr.write(`${process.argv[1].split('/').pop()}: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
