// Test helpers: run the built CLI, find processes rcuwalk started, know what this machine can do.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../cli/paths.js';

export const BIN = join(PACKAGE_ROOT, 'dist', 'cli', 'bin.js');

/** Marks every process this test file starts (children inherit it), so leftovers are ours, not another run's. */
export const TEST_TAG = `RCUWALK_TEST_TAG=${process.pid}-${Date.now()}`;
const [tagKey, tagValue] = TEST_TAG.split('=') as [string, string];
export const TAGGED_ENV: NodeJS.ProcessEnv = { ...process.env, [tagKey]: tagValue };

export function runCli(args: string[], opts: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, cwd: opts.cwd, env: { ...(opts.env ?? process.env), [tagKey]: tagValue } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], opts: { cwd?: string } = {}): ChildProcess & { stderrText: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: TAGGED_ENV });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { err += d; });
  child.stdout!.resume();
  return Object.assign(child, { stderrText: () => err });
}

/**
 * Processes rcuwalk started for this test file, recognised by their command lines (the worker/ballast shells, the
 * sleepers, bpftrace running an rcuwalk script) and by TEST_TAG in their environment (another run's are not ours).
 */
export function rcuwalkProcesses(tag: string | null = TEST_TAG): string[] {
  const out: string[] = [];
  for (const pid of execFileSync('ps', ['-e', '-o', 'pid='], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter(Boolean)) {
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { continue; }
    if (!/rcuwalk-(workers|ballast)|sleep 2147483|rcuwalk-tick/.test(cmd)) continue;
    if (tag !== null) {
      let env = '';
      try { env = readFileSync(`/proc/${pid}/environ`, 'utf8'); } catch { continue; }
      if (!env.split('\0').includes(tag)) continue;
    }
    out.push(`${pid} ${cmd.slice(0, 100)}`);
  }
  return out;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}

/** Why real captures can't run here, or null when they can (root + bpftrace + lock contention tracepoints). */
export function captureUnsupportedReason(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (run the tests as root: the integration tests attach real probes)';
  const which = spawnSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' });
  if (which.status !== 0) return 'bpftrace is not installed (scripts/install.sh installs it)';
  const tp = ['/sys/kernel/tracing/events/lock/contention_begin', '/sys/kernel/debug/tracing/events/lock/contention_begin'];
  if (!tp.some(existsSync) && !existsSync('/sys/kernel/tracing/events') && !existsSync('/sys/kernel/debug/tracing/events')) {
    // tracefs may just be unmounted: rcuwalk mounts it itself, so only a kernel without the tracepoint is a reason
    if (!readFileSync('/proc/filesystems', 'utf8').includes('tracefs')) return 'this kernel has no tracefs';
  }
  return null;
}
