// rcuwalk sweep --parallel 1,2,4,...,N [--trials K] [--out-dir DIR] [capture flags]: the scaling curve.
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { fmtNum } from '../compare/format.js';
import { writeAtomic } from '../export/output.js';
import { validateWith } from '../schema/validate.js';
import type { Sweep } from '../schema/types.generated.js';
import { INTERRUPTED, withEngineRunner } from '../plans/runner.js';
import { loadPlan, parseTrials, preparePlanOutputs, timestamp } from '../plans/plan-file.js';
import { parseParallelList, runSweep, sweepCapturePath } from '../plans/sweep.js';
import { CAPTURE_FLAGS_HELP, parseCaptureArgs } from './capture-options.js';

export const HELP = `usage: rcuwalk sweep --parallel 1,2,4,...,N [--trials K] [--out-dir DIR] [capture options]
       rcuwalk sweep --plan PLAN.json

Runs the workload at each parallelism (trials round-robin over the points, so drift spreads over the
curve), writes DIR/pP-T.json per capture and DIR/sweep.json (schemas/sweep.schema.json), and prints the
scaling curve: runs/s, ECHILD/s, spin ms/s vs parallel workers (medians over trials). rcuwalk report
DIR/sweep.json -o sweep.html draws it.

  --parallel LIST      e.g. 1,2,4,8 or 1,2,4,...,N (N: the number of CPUs; '...' continues doubling or even steps)
  --trials K           captures per point (default 1)
  --out-dir DIR        default rcuwalk-sweep-YYYYmmdd-HHMMSS
  --force              overwrite files of an earlier sweep in DIR
  --plan FILE          read parallel, trials, config, outDir from a plan file (schemas/plan.schema.json)
capture options (every point; --parallel and --out are the sweep's own):
${CAPTURE_FLAGS_HELP.split('\n').filter((l) => !/--parallel|--out |--json|--force/.test(l)).join('\n')}
`;

/** Takes --parallel/-j (a list here) out of argv before the capture flags are parsed. */
function takeParallel(argv: string[]): { list: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let list: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--parallel' || a === '-j') { list = argv[++i]; if (list === undefined) throw new UserError(`${a} needs a list`, 'e.g. --parallel 1,2,4,...,N'); continue; }
    if (a.startsWith('--parallel=')) { list = a.slice('--parallel='.length); continue; }
    rest.push(a);
  }
  return { list, rest };
}

export async function main(argv: string[]): Promise<number> {
  const { list, rest } = takeParallel(argv);
  const extra = { trials: { type: 'string' as const }, 'out-dir': { type: 'string' as const }, plan: { type: 'string' as const } };
  const first = parseCaptureArgs(rest, extra);
  if (first.help) { process.stdout.write(HELP); return EXIT.ok; }
  if (first.options.out !== null || first.json) throw new UserError('sweep writes its own files', 'use --out-dir DIR instead of --out/--json');
  const planFile = first.extra.plan as string | undefined;
  const plan = planFile ? loadPlan(planFile, 'sweep') : null;
  // a plan's config applies unless --config was given
  const parsed = plan?.config && !rest.some((x) => x === '--config' || x === '-c' || x.startsWith('--config=')) ? parseCaptureArgs(['--config', plan.config, ...rest], extra) : first;
  const parallel = list !== undefined ? parseParallelList(list) : plan?.parallel?.length ? [...new Set(plan.parallel)].sort((x, y) => x - y) : null;
  if (!parallel) throw new UserError('sweep needs --parallel', 'e.g. rcuwalk sweep --parallel 1,2,4,...,N');
  const trials = parseTrials(parsed.extra.trials as string | undefined, plan?.trials ?? 1);
  const outDir = (parsed.extra['out-dir'] as string | undefined) ?? plan?.outDir ?? `rcuwalk-sweep-${timestamp()}`;
  const force = parsed.options.force;
  const sweepFile = join(outDir, 'sweep.json');
  const files = [sweepFile];
  for (const p of parallel) for (let t = 1; t <= trials; t++) files.push(sweepCapturePath(outDir, p, t));
  preparePlanOutputs(outDir, files, force);

  const log = (line: string) => process.stderr.write(`rcuwalk: ${line}\n`);
  const result = await withEngineRunner((runner) => runSweep(runner, { base: { ...parsed.options, force: true }, parallel, trials, outDir, log }, sweepFile));
  const sweep = validateWith<Sweep>('sweep.schema.json', result.sweep, 'sweep');
  if (sweep.points.length > 0) writeAtomic(sweepFile, JSON.stringify(sweep, null, 1) + '\n', true);
  process.stdout.write(formatSweep(sweep) + (sweep.points.length ? `\nwrote ${sweepFile}\n` : ''));
  const stop = result.stoppedBy;
  if (stop && stop !== INTERRUPTED) process.stderr.write(`rcuwalk: the sweep stopped early: ${stop.reason}\n  next: the points done so far are in ${outDir}\n`);
  return stop?.exitCode ?? EXIT.ok;
}

function formatSweep(s: Sweep): string {
  const cols: [string, string][] = [['runs_per_s', 'runs/s'], ['echild_per_s', 'ECHILD/s'], ['echild_per_run', 'ECHILD/run'], ['spin_ms_per_s', 'spin ms/s'], ['sys_pct', '%sys']];
  const rows = [['parallel', ...cols.map(([, h]) => h), 'trials'], ...s.points.map((p) => [String(p.parallel), ...cols.map(([id]) => fmtNum(p.metrics[id]?.median ?? null)), String(p.captures.length)])];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padStart(w[i]!)).join('  ')).join('\n') + '\n';
}
