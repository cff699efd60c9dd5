// rcuwalk report RUN.json [BASE.json] [--sweep SWEEP.json] -o report.html [--force]
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags } from './parse-flags.js';
import { readJsonFile, validateCapture, validateWith } from '../schema/validate.js';
import type { Capture, Sweep } from '../schema/types.generated.js';
import type { LoadedCapture } from '../compare/load.js';
import { buildReport } from '../report/html.js';
import { writeOutput } from '../export/output.js';

export const HELP = `usage: rcuwalk report RUN.json [BASE.json] -o report.html [--force]
       rcuwalk report [RUN.json] --sweep SWEEP.json -o report.html

Writes one self-contained HTML file (inline SVG charts, no network needed to view it): the timeline of
runs/s, ECHILD/s and lockref spin, per-CPU bars, the spin histogram, how each target was measured, and,
with BASE.json, the comparison against the baseline; with a sweep file (rcuwalk sweep), the scaling curve.
A sweep file may also be given in place of RUN.json.

  -o, --out FILE   the HTML file (written atomically)
  --force          overwrite FILE
  --sweep FILE     add the scaling curve of a sweep file
`;

/** A capture or a sweep, told apart by `kind`. */
function loadEither(file: string): { capture: Capture } | { sweep: Sweep } {
  const x = readJsonFile(file);
  if (x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'sweep') return { sweep: validateWith<Sweep>('sweep.schema.json', x, basename(file)) };
  return { capture: validateCapture(x, basename(file)) };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('report', { args: argv, allowPositionals: true, strict: true, options: {
      out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, sweep: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } });
  const { values: v, positionals } = parsed;
  if (v.help) { process.stdout.write(HELP); return EXIT.ok; }
  if (!v.out) throw new UserError('no output file', 'add -o report.html');
  if (positionals.length > 2) throw new UserError(`unexpected argument '${positionals[2]}'`, 'rcuwalk report RUN.json [BASE.json] -o report.html');
  let run: LoadedCapture | null = null, base: LoadedCapture | null = null;
  let sweep: { file: string; sweep: Sweep } | null = null;
  for (const [i, file] of positionals.entries()) {
    const x = loadEither(file);
    if ('sweep' in x) {
      if (sweep) throw new UserError('more than one sweep file given', 'give one sweep file');
      sweep = { file, sweep: x.sweep };
    } else if (!run) run = { file, capture: x.capture };
    else if (!base) base = { file, capture: x.capture };
    else throw new UserError(`unexpected argument '${positionals[i]}'`, 'rcuwalk report RUN.json [BASE.json] -o report.html');
  }
  if (v.sweep) {
    if (sweep) throw new UserError('more than one sweep file given', 'give one sweep file');
    const x = loadEither(v.sweep);
    if (!('sweep' in x)) throw new UserError(`${v.sweep} is a capture, not a sweep file`, 'pass the file rcuwalk sweep wrote');
    sweep = { file: v.sweep, sweep: x.sweep };
  }
  if (!run && !sweep) throw new UserError('no capture or sweep file given', 'rcuwalk report RUN.json -o report.html');
  const html = buildReport({ run, base, sweep, generator: `rcuwalk ${run?.capture.tool.version ?? ''}`.trim() });
  await writeOutput(html, v.out, v.force ?? false);
  process.stderr.write(`rcuwalk: wrote ${v.out}\n`);
  return EXIT.ok;
}
