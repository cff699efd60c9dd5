// --config FILE for `rcuwalk capture` (schemas/config.schema.json), durations, and merging with flags (flags win).
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { readJsonFile, validateConfig } from '../schema/validate.js';
import type { CaptureConfig } from '../schema/types.generated.js';

/** the longest duration or interval accepted */
const MAX_DURATION_MS = 7 * 24 * 3600 * 1000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * "30s", "500ms", "2m", "1.5h", bare "30" (seconds) -> ms (an integer, rounded). Rejects empty text, other units,
 * 0, negatives, and more than 7 days with a UserError naming `what` (the flag or config key).
 */
export function parseDuration(text: string | number, what = 'duration'): number {
  const t = String(text).trim();
  const m = /^(-?[0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?$/.exec(t);
  if (!m) {
    throw new UserError(`--${what} '${t}' is not a duration`, `write it like 30s, 500ms, 2m or 1h (a bare number is seconds)`, EXIT.usage);
  }
  const n = Number(m[1]);
  const ms = Math.round(n * UNIT_MS[m[2] ?? 's']!);
  if (n < 0) throw new UserError(`--${what} must be positive, got '${t}'`, 'e.g. 30s', EXIT.usage);
  if (ms <= 0) throw new UserError(`--${what} must be longer than 0, got '${t}'`, 'e.g. 30s', EXIT.usage);
  if (ms > MAX_DURATION_MS) throw new UserError(`--${what} '${t}' is longer than 7 days`, 'measure for 7 days or less (e.g. 24h)', EXIT.usage);
  return ms;
}

/** Reads and validates a config file. Errors name the file and the JSON path (exit 2). */
export function loadConfig(path: string): CaptureConfig {
  const cfg = validateConfig(readJsonFile(path), basename(path));
  // check the durations now, so the error names the file
  for (const key of ['duration', 'interval'] as const) {
    const v = cfg[key];
    if (v === undefined) continue;
    try {
      parseDuration(v, key);
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${basename(path)}: /${key} ${err.message.replace(/^--\S+ /, '')}`, err.next, EXIT.usage);
      throw err;
    }
  }
  return cfg;
}

/** Config keys given as flags replace the file's; undefined flags leave the file's value. */
export function mergeConfig(file: CaptureConfig, flags: Partial<Omit<CaptureConfig, 'schemaVersion'>>): CaptureConfig {
  const out: CaptureConfig = { ...file };
  for (const [k, v] of Object.entries(flags) as [keyof CaptureConfig, unknown][]) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  if (flags.cmd !== undefined && flags.workload === undefined) out.workload = 'cmd';
  return out;
}
