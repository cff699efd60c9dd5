// Plan files (schemas/plan.schema.json) and what the ab/sweep commands check before the first capture starts.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { readJsonFile, validateWith } from '../schema/validate.js';
import type { Plan } from '../schema/types.generated.js';

/** Reads a plan of the given kind; its paths (a, b, config, outDir) come back resolved against the plan's folder. */
export function loadPlan(file: string, kind: 'ab' | 'sweep'): Plan {
  const plan = validateWith<Plan>('plan.schema.json', readJsonFile(file), basename(file));
  if (plan.kind !== kind) throw new UserError(`${basename(file)} is a '${plan.kind}' plan, not '${kind}'`, `use rcuwalk ${plan.kind} --plan ${file}`);
  const dir = dirname(resolve(file));
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(dir, p));
  return { ...plan, a: abs(plan.a), b: abs(plan.b), config: abs(plan.config), outDir: abs(plan.outDir) };
}

export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Creates outDir and refuses (before anything runs) files of the plan that exist, unless force. */
export function preparePlanOutputs(outDir: string, files: string[], force: boolean): void {
  try { mkdirSync(outDir, { recursive: true }); } catch (err) {
    throw new UserError(`cannot create ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'choose a writable --out-dir', EXIT.output);
  }
  if (!statSync(outDir).isDirectory()) throw new UserError(`${outDir} is not a directory`, 'choose a directory for --out-dir', EXIT.output);
  if (force) return;
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0) throw new UserError(`${existing[0]} exists${existing.length > 1 ? ` (and ${existing.length - 1} more of this plan's files)` : ''}`, 'use --force to overwrite, or choose another --out-dir', EXIT.output);
}

export function parseTrials(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1000) throw new UserError(`--trials must be a whole number from 1 to 1000, got '${text}'`, 'e.g. --trials 5');
  return Number(text);
}
