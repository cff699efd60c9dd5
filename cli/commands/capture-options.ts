// Flags (and --config) of `rcuwalk capture` and `rcuwalk run`, turned into CaptureOptions. Flags given win over the file.
import os from 'node:os';
import { UserError } from '../errors.js';
import { loadConfig, mergeConfig, parseDuration } from '../capture/load-config.js';
import type { CaptureOptions } from '../capture/engine-api.js';
import { lockrefChoice, parseFlags } from './parse-flags.js';
import type { CaptureConfig } from '../schema/types.generated.js';
import { PS_COMMAND } from '../system/workload-process.js';

const CAPTURE_FLAGS = {
  workload: { type: 'string' },
  cmd: { type: 'string' },
  parallel: { type: 'string', short: 'j' },
  ballast: { type: 'string' },
  duration: { type: 'string', short: 'd' },
  interval: { type: 'string', short: 'i' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean', short: 'f' },
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  'lockref-strategy': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CAPTURE_FLAGS_HELP = `  --workload ps|none|cmd     ps (default): N loops of 'TZ=/etc/localtime ps -fe'; none: observe only
  --cmd 'COMMAND'            loop your own shell command in each worker (implies --workload cmd)
  -j, --parallel N           workers (default: the number of online CPUs)
  --ballast N                N idle processes during the run, so /proc is as large as on a busy host (default 0)
  -d, --duration 30s         how long to measure (ms, s, m, h; default 30s)
  -i, --interval 1s          interval length (default 1s, at least 10ms)
  -o, --out FILE             write the capture here (a journal FILE.journal is kept while running)
  -f, --force                overwrite an existing --out file
  -c, --config FILE          read these settings from a JSON file (schemas/config.schema.json)
  --json                     print the capture JSON on stdout
  --lockref-strategy S       auto (default), direct, callsite or contention`;

function positiveInt(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UserError(`--${flag} must be a whole number, got '${text}'`, `e.g. --${flag} ${Math.max(min, 4)}`);
  const n = Number(text);
  if (n < min || n > max) throw new UserError(`--${flag} must be between ${min} and ${max}, got ${n}`, `choose a value in range`);
  return n;
}

export interface ParsedCaptureArgs {
  options: CaptureOptions;
  json: boolean;
  help: boolean;
  /** flags this command understood but CAPTURE_FLAGS does not know (the caller's own) */
  extra: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

/** Parse argv with the capture flags plus `extraFlags`. Throws UserError (exit 2) with one clear line. */
export function parseCaptureArgs(argv: string[], extraFlags: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {}): ParsedCaptureArgs {
  const values: Record<string, string | boolean | (string | boolean)[] | undefined> = parseFlags('capture', { args: argv, options: { ...CAPTURE_FLAGS, ...extraFlags }, allowPositionals: false }).values;
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  // the flags as config keys: each one given replaces the config file's (mergeConfig), then defaults apply
  const cfg = mergeConfig(str('config') ? loadConfig(str('config')!) : { schemaVersion: 1 }, {
    workload: str('workload') as CaptureConfig['workload'],
    cmd: str('cmd'),
    parallel: str('parallel') !== undefined ? positiveInt(str('parallel')!, 'parallel', 1, 4096) : undefined,
    ballast: str('ballast') !== undefined ? positiveInt(str('ballast')!, 'ballast', 0, 100000) : undefined,
    duration: str('duration'),
    interval: str('interval'),
    out: str('out'),
    force: values.force === true ? true : undefined,
    json: values.json === true ? true : undefined,
    lockrefStrategy: str('lockref-strategy') as CaptureConfig['lockrefStrategy'],
  });

  const cmd = cfg.cmd;
  const workload = (cfg.workload ?? (cmd !== undefined ? 'cmd' : 'ps')) as string;
  if (!['ps', 'none', 'cmd'].includes(workload)) throw new UserError(`--workload must be ps, none or cmd, got '${workload}'`, "e.g. --workload ps, or --cmd 'ls -R /proc >/dev/null'");
  if (workload === 'cmd' && (cmd === undefined || cmd.trim() === '')) throw new UserError('--workload cmd needs --cmd', "e.g. --cmd 'cat /proc/self/status >/dev/null'");
  if (cmd !== undefined && workload !== 'cmd') throw new UserError(`--cmd goes with --workload cmd, not ${workload}`, 'drop --workload, or drop --cmd');

  const parallel = cfg.parallel ?? os.availableParallelism();
  const ballast = cfg.ballast ?? 0;
  const durationMs = parseDuration(cfg.duration ?? '30s', 'duration');
  const intervalMs = parseDuration(cfg.interval ?? '1s', 'interval');
  if (intervalMs < 10) throw new UserError(`--interval must be at least 10ms, got ${intervalMs}ms`, 'e.g. --interval 100ms');
  if (intervalMs > durationMs) throw new UserError(`--interval (${intervalMs}ms) is longer than --duration (${durationMs}ms)`, 'make the interval shorter than the duration');
  const lockref = lockrefChoice(cfg.lockrefStrategy);

  const json = cfg.json === true;
  const out = cfg.out ?? null;
  return {
    options: {
      settings: {
        workload: workload as 'ps' | 'none' | 'cmd',
        command: workload === 'ps' ? PS_COMMAND : workload === 'cmd' ? cmd! : null,
        parallel: workload === 'none' ? 0 : parallel,
        ballast,
        durationMs,
        intervalMs,
      },
      out,
      force: cfg.force === true,
      lockrefStrategy: lockref,
    },
    json,
    help: values.help === true,
    extra: Object.fromEntries(Object.keys(extraFlags).map((k) => [k, values[k]])),
  };
}

