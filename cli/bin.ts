#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=2 --heap-growing-percent=20
// rcuwalk's entry: dispatch to cli/commands/<name>.js; every error becomes one clear line and an exit code.
// (a 2 MB young generation: V8's default 16 MB semi-spaces kept ~40 MB more RSS than rcuwalk ever holds live)
// (the old generation may grow 20% past what the last full GC left before the next: V8's own factor, up to 4x,
// let the live UI's frame garbage pile up to 130-150 MB of RSS for a live heap of ~18 MB)
// (a fixed malloc mmap threshold: TurboFan's compile zones, freed after each optimisation, go back to the kernel;
// with glibc's sliding threshold they stayed in the heap, an RSS step of ~10 MB minutes into a capture)
import { describeError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { setExitNow } from './exit-now.js';

/** Subcommands and their one-line help. Each lives in cli/commands/<name>.ts and exports `main(argv)`. */
const COMMANDS: Record<string, string> = {
  run: 'live terminal UI (the default with no subcommand)',
  capture: 'capture fallbacks, unlazy failures and lockref spin per CPU while a workload runs',
  doctor: 'what this kernel and bpftrace can measure, and why not',
  probes: 'the bpftrace scripts rcuwalk would load here',
  compare: 'compare a capture against a baseline, with statistics',
  export: 'export a capture as CSV or NDJSON',
  report: 'a self-contained HTML report of a capture',
  ab: 'run two capture configs interleaved and compare them',
  sweep: 'run the workload at several parallelisms and report the scaling curve',
  recover: 'turn the journal of an interrupted capture into a capture file',
  serve: 'a Prometheus exporter: the same probes, running totals on /metrics',
  view: 'the live UI over a recorded capture (or journal), with a time cursor',
};

function usage(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: rcuwalk [command] [options]',
    '',
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(w)}  ${d}`),
    '',
    'rcuwalk <command> --help shows the options of a command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') { process.stdout.write(usage() + '\n'); return EXIT.ok; }
  if (first === '--version' || first === '-V') {
    const { toolVersion } = await import('./version.js');
    process.stdout.write(toolVersion() + '\n');
    return EXIT.ok;
  }
  const name = first === undefined || first.startsWith('-') ? 'run' : first;
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  if (!(name in COMMANDS)) {
    process.stderr.write(`rcuwalk: unknown command '${name}'\n  next: run 'rcuwalk --help' for the list of commands\n`);
    return EXIT.usage;
  }
  const mod = (await import(`./commands/${name}.js`)) as { main(argv: string[]): Promise<number> };
  return mod.main(args);
}

// the threshold is for this process: bpftrace and the workload start with glibc's defaults
delete process.env['MALLOC_MMAP_THRESHOLD_'];

// the one place rcuwalk ends its process at once (a second Ctrl-C, a bug); otherwise main's code is the exit code
setExitNow((code) => process.exit(code));

// A bug must not leave bpftrace or the workload behind: report it, then exit (the 'exit' hook ends every group).
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    const { lines } = describeError(err);
    process.stderr.write(lines.join('\n') + '\n');
    process.exit(EXIT.internal);
  });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const { lines, exitCode } = describeError(err);
    process.stderr.write(lines.join('\n') + '\n');
    process.exitCode = exitCode;
  },
);
