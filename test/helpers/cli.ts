// Test helpers: run the built CLI, find processes rcuwalk started, know what this machine can do.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../cli/paths.js';

export const BIN = join(PACKAGE_ROOT, 'dist', 'cli', 'bin.js');

export function runCli(args: string[], opts: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, cwd: opts.cwd, env: opts.env ?? process.env });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], opts: { cwd?: string } = {}): ChildProcess & { stderrText: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { err += d; });
  child.stdout!.resume();
  return Object.assign(child, { stderrText: () => err });
}

/** Processes rcuwalk starts, recognised by their command lines: the worker/ballast shells (and their ps/sleep children by group) and bpftrace running an rcuwalk script. */
export function rcuwalkProcesses(): string[] {
  const out: string[] = [];
  for (const pid of execFileSync('ps', ['-e', '-o', 'pid='], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter(Boolean)) {
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { continue; }
    if (/rcuwalk-(workers|ballast)|sleep 2147483|rcuwalk-tick/.test(cmd)) out.push(`${pid} ${cmd.slice(0, 100)}`);
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
