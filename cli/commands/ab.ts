// rcuwalk ab --a A.json --b B.json [--trials K] [--out-dir DIR]: two capture configs, interleaved A B A B, then compared.
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags } from './parse-flags.js';
import { formatCsv, formatJson, formatTable } from '../compare/format.js';
import { applyGates, parseGate } from '../compare/gate.js';
import { writeAtomic } from '../export/output.js';
import { runAb, abCapturePath } from '../plans/ab.js';
import { INTERRUPTED, withEngineRunner } from '../plans/runner.js';
import { loadPlan, parseTrials, preparePlanOutputs, timestamp } from '../plans/plan-file.js';
import { parseCaptureArgs } from './capture-options.js';

export const HELP = `usage: rcuwalk ab --a A.json --b B.json [--trials K] [--out-dir DIR] [options]
       rcuwalk ab --plan PLAN.json [options]

Runs two capture configs (schemas/config.schema.json, the flags of rcuwalk capture) interleaved, A B A B ...,
so slow drift of the machine hits both alike; writes DIR/a-1.json, DIR/b-1.json, ... and DIR/comparison.json,
and prints the comparison (B against A, one whole-run value per trial; see rcuwalk compare --help).

  --a FILE, --b FILE   the two capture config files (A is the base)
  --trials K           captures per side (default 5; at least 4 per side can reach p < 0.05)
  --out-dir DIR        where the captures go (default rcuwalk-ab-YYYYmmdd-HHMMSS)
  --force              overwrite files of an earlier run in DIR
  --plan FILE          read a, b, trials, outDir, failIf, alpha from a plan file (schemas/plan.schema.json)
  --format table|json|csv, --alpha A, --fail-if EXPR   as for rcuwalk compare (exit ${EXIT.gate} when a gate trips)

Ctrl-C stops the current capture (it is kept) and starts no more; captures done so far are compared.
`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('ab', { args: argv, strict: true, allowPositionals: false, options: {
      a: { type: 'string' }, b: { type: 'string' }, trials: { type: 'string' }, 'out-dir': { type: 'string' }, force: { type: 'boolean', default: false },
      plan: { type: 'string' }, format: { type: 'string', default: 'table' }, alpha: { type: 'string' }, 'fail-if': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    } });
  const v = parsed.values;
  if (v.help) { process.stdout.write(HELP); return EXIT.ok; }
  const plan = v.plan ? loadPlan(v.plan, 'ab') : null;
  const aFile = v.a ?? plan?.a, bFile = v.b ?? plan?.b;
  if (!aFile || !bFile) throw new UserError('ab needs two capture configs', 'rcuwalk ab --a A.json --b B.json (or --plan PLAN.json)');
  const format = v.format!;
  if (!['table', 'json', 'csv'].includes(format)) throw new UserError(`bad --format '${format}'`, 'use --format table, json or csv');
  const alpha = v.alpha !== undefined ? Number(v.alpha) : plan?.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new UserError(`bad --alpha '${v.alpha}': must be between 0 and 1`, 'e.g. --alpha 0.05');
  const gates = [...(plan?.failIf ?? []), ...(v['fail-if'] ?? [])].map(parseGate);
  const trials = parseTrials(v.trials, plan?.trials ?? 5);
  const a = parseCaptureArgs(['--config', aFile]).options;
  const b = parseCaptureArgs(['--config', bFile]).options;
  const outDir = v['out-dir'] ?? plan?.outDir ?? `rcuwalk-ab-${timestamp()}`;
  const force = v.force ?? false;
  const cmpPath = join(outDir, 'comparison.json');
  const files = [cmpPath];
  for (let i = 1; i <= trials; i++) files.push(abCapturePath(outDir, 'a', i), abCapturePath(outDir, 'b', i));
  preparePlanOutputs(outDir, files, force);

  const log = (line: string) => process.stderr.write(`rcuwalk: ${line}\n`);
  const result = await withEngineRunner((runner) => runAb(runner, { a: { ...a, force: true }, b: { ...b, force: true }, trials, outDir, compare: { alpha }, log }));
  const stop = result.stoppedBy;
  log(`captures in ${outDir}: A ${result.a.length}, B ${result.b.length}${stop ? ` (stopped: ${stop.reason})` : ''}`);
  if (!result.comparison) {
    process.stderr.write(`rcuwalk: no comparison: the plan stopped before both sides had a capture (${stop?.reason ?? 'no capture'})\n  next: run it again; captures done are in ${outDir}\n`);
    return stop?.exitCode ?? EXIT.commandFailed;
  }
  const cmp = applyGates(gates, result.comparison);
  writeAtomic(cmpPath, formatJson(cmp), true);
  log(`wrote ${cmpPath}`);
  process.stdout.write(format === 'json' ? formatJson(cmp) : format === 'csv' ? formatCsv(cmp) : formatTable(cmp));
  if (stop) {
    if (stop !== INTERRUPTED) process.stderr.write(`rcuwalk: the plan stopped early: ${stop.reason}\n  next: the captures done so far were compared; see ${outDir}\n`);
    return stop.exitCode;
  }
  const tripped = cmp.gates.filter((g) => g.tripped);
  if (tripped.length > 0) {
    process.stderr.write(tripped.map((g) => `rcuwalk: --fail-if '${g.expr}' tripped: ${g.detail}\n`).join(''));
    return EXIT.gate;
  }
  return EXIT.ok;
}
