// rcuwalk sweep: the same capture at several parallelisms; trials run round-robin over the points
// (1 2 4 8, 1 2 4 8, ...) so drift spreads over the curve; per point the median of the whole-run values.
import os from 'node:os';
import { join, relative, dirname } from 'node:path';
import type { CaptureOptions } from '../capture/engine-api.js';
import type { Capture, Sweep } from '../schema/types.generated.js';
import { UserError } from '../errors.js';
import { METRICS } from '../metrics/catalogue.js';
import { runValue } from '../metrics/capture-values.js';
import { summarize } from '../stats/summary.js';
import { INTERRUPTED, PlanRunner, stopReason, type PlanStop } from './runner.js';

/**
 * "1,2,4,8" -> [1,2,4,8]; "1,2,4,...,64": continue the pattern up to the term after '...': doubling when the
 * terms before it double (with two terms: when the second is twice the first), else evenly spaced ("8,16,24,...,64").
 * N (or n) is the number of online CPUs. Sorted, deduplicated.
 */
export function parseParallelList(text: string, cpus = os.availableParallelism()): number[] {
  const bad = (what: string) => new UserError(`bad --parallel '${text}': ${what}`, 'e.g. --parallel 1,2,4,...,N (N: the number of CPUs) or --parallel 1,8,32');
  const parts = text.split(',').map((s) => s.trim());
  const num = (s: string) => {
    if (/^n$/i.test(s)) return cpus;
    if (!/^\d+$/.test(s)) throw bad(`'${s}' is not a whole number`);
    const n = Number(s);
    if (n < 1 || n > 4096) throw bad(`${n} is out of range 1..4096`);
    return n;
  };
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '') throw bad('empty item');
    if (p !== '...') { out.push(num(p)); continue; }
    const last = parts[i + 1];
    if (out.length < 2 || last === undefined || last === '...') throw bad("'...' needs two numbers before it and one after");
    const end = num(last);
    const a = out[out.length - 2]!, b = out[out.length - 1]!;
    const c = out.length >= 3 ? out[out.length - 3]! : null;
    const doubling = b === 2 * a && (c === null || a === 2 * c);
    if (!doubling && c !== null && b - a !== a - c) throw bad(`'${c},${a},${b},...' is neither doubling nor evenly spaced`);
    if (!doubling && b <= a) throw bad(`'${a},${b},...' does not increase`);
    for (let x = doubling ? b * 2 : b + (b - a); x < end; x = doubling ? x * 2 : x + (b - a)) out.push(x);
    out.push(end);
    i++;
  }
  return [...new Set(out)].sort((x, y) => x - y);
}

export interface SweepOptions {
  base: CaptureOptions;
  parallel: number[];
  trials: number;
  outDir: string;
  log?: (line: string) => void;
}

export function sweepCapturePath(outDir: string, parallel: number, index: number): string {
  return join(outDir, `p${parallel}-${index}.json`);
}

function buildSweep(base: CaptureOptions, trials: number, points: { parallel: number; captures: { file: string; capture: Capture }[] }[], sweepFile: string): Sweep {
  const first = points.flatMap((p) => p.captures)[0]?.capture;
  return {
    schemaVersion: 1, kind: 'sweep', createdAt: new Date().toISOString(),
    host: { hostname: first?.host.hostname ?? os.hostname(), kernelRelease: first?.host.kernelRelease ?? os.release(), cpuCount: first?.host.cpuCount ?? os.availableParallelism() },
    settings: { workload: base.settings.workload, command: base.settings.command ?? null, durationMs: base.settings.durationMs, intervalMs: base.settings.intervalMs, trials },
    points: points.filter((p) => p.captures.length > 0).map((p) => ({
      parallel: p.parallel,
      captures: p.captures.map((c) => relative(dirname(sweepFile), c.file)),
      metrics: Object.fromEntries(METRICS.map((m) => {
        const vals = p.captures.map((c) => runValue(c.capture, m)).filter((v): v is number => v !== null);
        if (vals.length === 0) return [m.id, null];
        const s = summarize(vals);
        return [m.id, { n: s.n, median: s.median, min: s.min, max: s.max }];
      })),
    })),
  };
}

export interface SweepResult { sweep: Sweep; stoppedBy: PlanStop | null }

export async function runSweep(runner: PlanRunner, o: SweepOptions, sweepFile = join(o.outDir, 'sweep.json')): Promise<SweepResult> {
  if (o.base.settings.workload === 'none') throw new UserError('sweep needs a workload (--workload ps or cmd)', 'drop --workload none');
  const points = o.parallel.map((parallel) => ({ parallel, captures: [] as { file: string; capture: Capture }[] }));
  let stoppedBy: PlanStop | null = null;
  const total = o.trials * points.length;
  let k = 0;
  outer: for (let t = 1; t <= o.trials; t++) {
    for (const p of points) {
      k++;
      const out = sweepCapturePath(o.outDir, p.parallel, t);
      const tag = `[parallel ${p.parallel}, trial ${t}/${o.trials}, capture ${k}/${total}]`;
      o.log?.(`${tag} starting -> ${out}`);
      const r = await runner.run({
        ...o.base, out, settings: { ...o.base.settings, parallel: p.parallel },
        trial: { index: t, count: o.trials, label: `parallel ${p.parallel}` },
        log: o.log ? (line) => o.log!(`${tag} ${line}`) : undefined,
      });
      if (!r) { stoppedBy = INTERRUPTED; break outer; }
      p.captures.push({ file: r.outPath ?? out, capture: r.capture });
      const why = stopReason(r);
      if (why) { stoppedBy = why; break outer; }
    }
  }
  return { sweep: buildSweep(o.base, o.trials, points, sweepFile), stoppedBy };
}
