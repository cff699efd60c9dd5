// The bpftrace executables tests can run: the system one (on PATH) and the Debian trees that
// scripts/install-bpftrace-debian.sh builds (${RCUWALK_BPFTRACE_CACHE:-/var/cache/rcuwalk}/bpftrace-SUITE/bpftrace).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBpftraceVersion, type BpftraceVersion } from '../../cli/bpftrace/version.js';

/** The suites the tests expect (one bpftrace version each); others found in the cache are listed too. */
export const DEBIAN_SUITES = ['trixie', 'sid'] as const;
export const INSTALL_COMMAND = `bash scripts/install-bpftrace-debian.sh ${DEBIAN_SUITES.join(' ')}`;

export interface BpftraceExe {
  /** 'system' or the Debian suite */
  label: string;
  path: string;
  version: BpftraceVersion;
}

/** A bpftrace the tests expect: found (exe) or why not (missing). */
export type BpftraceSlot = { label: string; exe: BpftraceExe; missing: null } | { label: string; exe: null; missing: string };

export function bpftraceCache(): string {
  return process.env.RCUWALK_BPFTRACE_CACHE ?? '/var/cache/rcuwalk';
}

/** `path --version` parsed; null when it does not run or says no version. */
export function versionOf(path: string): BpftraceVersion | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error || r.status !== 0) return null;
  return parseBpftraceVersion(`${r.stdout}${r.stderr}`);
}

function systemSlot(): BpftraceSlot {
  const which = spawnSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' });
  const path = which.status === 0 ? which.stdout.trim() : '';
  if (!path) return { label: 'system', exe: null, missing: 'bpftrace is not installed (scripts/install.sh installs it)' };
  const version = versionOf(path);
  return version ? { label: 'system', exe: { label: 'system', path, version }, missing: null } : { label: 'system', exe: null, missing: `${path} --version gave no version` };
}

function suiteSlot(suite: string): BpftraceSlot {
  const path = join(bpftraceCache(), `bpftrace-${suite}`, 'bpftrace');
  if (!existsSync(path)) return { label: suite, exe: null, missing: `bpftrace from Debian ${suite} is not installed (${path}): run \`${INSTALL_COMMAND}\` as root` };
  const version = versionOf(path);
  if (!version) return { label: suite, exe: null, missing: `${path} does not run (\`${path} --version\`): rerun \`${INSTALL_COMMAND}\`` };
  return { label: suite, exe: { label: suite, path, version }, missing: null };
}

/** The system bpftrace, each expected suite, then any other bpftrace-* tree in the cache: found or why not. */
export function bpftraceSlots(): BpftraceSlot[] {
  let extra: string[] = [];
  try {
    extra = readdirSync(bpftraceCache()).filter((d) => d.startsWith('bpftrace-')).map((d) => d.slice('bpftrace-'.length))
      .filter((s) => !(DEBIAN_SUITES as readonly string[]).includes(s) && existsSync(join(bpftraceCache(), `bpftrace-${s}`, 'bpftrace')));
  } catch { /* no cache */ }
  return [systemSlot(), ...DEBIAN_SUITES.map(suiteSlot), ...extra.sort().map(suiteSlot)];
}

/** Only the bpftraces found. */
export function availableBpftraces(): BpftraceExe[] {
  return bpftraceSlots().flatMap((s) => (s.exe ? [s.exe] : []));
}
