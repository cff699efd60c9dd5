// tracefs/debugfs facts: where they are mounted (mounting them if needed), which functions ftrace can trace
// (available_filter_functions: a function missing there is notrace), the kprobe blacklist, kprobe_events,
// the lock:contention_* tracepoints, and the lockdown mode. Pure parsers + small readers.
import { readFile, access, appendFile } from 'node:fs/promises';
import { runCommand } from '../system/run-command.js';
import type { KprobeTest, TracefsFacts } from '../facts/kernel-facts.js';

/** PURE: the mount point of the first filesystem of `fstype` in /proc/self/mounts text. */
export function findMount(mountsText: string, fstype: string): string | null {
  for (const line of mountsText.split('\n')) {
    const f = line.split(' ');
    if (f[2] === fstype && f[1]) return f[1].replace(/\\040/g, ' ');
  }
  return null;
}

/** PURE: the [selected] word of /sys/kernel/security/lockdown ("none [integrity] confidentiality"). */
export function parseLockdown(text: string): string | null {
  return /\[([a-z]+)\]/.exec(text)?.[1] ?? null;
}

/** PURE: base names (text before the first '.') of available_filter_functions lines ("name [module]" too). */
export function traceableBaseNames(text: string, want: readonly string[]): Record<string, boolean> {
  const set = new Set(want);
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.split(/[\s]/, 1)[0] ?? '';
    const dot = name.indexOf('.');
    const base = dot < 0 ? name : name.slice(0, dot);
    if (set.has(base)) found.add(base);
  }
  return Object.fromEntries(want.map((n) => [n, found.has(n)]));
}

/** PURE: names in <debugfs>/kprobes/blacklist ("0xffff...-0xffff...\tname"). */
export function blacklistedNames(text: string, want: readonly string[]): Record<string, boolean> {
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.trim().split(/\s+/)[1];
    if (name) found.add(name.split('.')[0]!);
  }
  return Object.fromEntries(want.map((n) => [n, found.has(n)]));
}

async function exists(p: string): Promise<boolean> {
  try { await access(p); return true; } catch { return false; }
}

/** Finds tracefs and debugfs, mounting them at their usual places when absent (root). */
export async function ensureTracingMounts(): Promise<{ tracefs: string | null; debugfs: string | null; mounted: string[] }> {
  const mounted: string[] = [];
  const mounts = async () => readFile('/proc/self/mounts', 'utf8').catch(() => '');
  let text = await mounts();
  if (!findMount(text, 'debugfs') && (await exists('/sys/kernel/debug'))) {
    const r = await runCommand('mount', ['-t', 'debugfs', 'debugfs', '/sys/kernel/debug'], { allowFailure: true });
    if (r.exitCode === 0) mounted.push('/sys/kernel/debug');
  }
  text = await mounts();
  if (!findMount(text, 'tracefs') && (await exists('/sys/kernel/tracing'))) {
    const r = await runCommand('mount', ['-t', 'tracefs', 'tracefs', '/sys/kernel/tracing'], { allowFailure: true });
    if (r.exitCode === 0) mounted.push('/sys/kernel/tracing');
  }
  text = await mounts();
  // prefer /sys/kernel/tracing when tracefs is mounted in several places
  const tracefs = text.includes(' /sys/kernel/tracing tracefs ') ? '/sys/kernel/tracing' : findMount(text, 'tracefs');
  return { tracefs, debugfs: findMount(text, 'debugfs'), mounted };
}

const CONTENTION_TRACEPOINTS = ['lock:contention_begin', 'lock:contention_end'] as const;

/** Gathers TracefsFacts for the given function base names (I/O). */
export async function readTracefsFacts(names: readonly string[]): Promise<TracefsFacts> {
  const { tracefs, debugfs } = await ensureTracingMounts();
  const lockdownText = await readFile('/sys/kernel/security/lockdown', 'utf8').catch(() => null);
  const nulls = Object.fromEntries(names.map((n) => [n, null]));
  let availableFilterFunctions = 'missing';
  let traceable: Record<string, boolean | null> = { ...nulls };
  if (tracefs) {
    try {
      traceable = traceableBaseNames(await readFile(`${tracefs}/available_filter_functions`, 'utf8'), names);
      availableFilterFunctions = 'ok';
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      availableFilterFunctions = e.code === 'ENOENT' ? 'missing' : `error: ${e.code ?? ''} ${e.message}`.trim();
    }
  }
  let kprobeBlacklist: Record<string, boolean | null> = { ...nulls };
  if (debugfs) {
    try { kprobeBlacklist = blacklistedNames(await readFile(`${debugfs}/kprobes/blacklist`, 'utf8'), names); } catch { /* unreadable */ }
  }
  const tracepoints: Record<string, boolean> = {};
  for (const tp of CONTENTION_TRACEPOINTS) {
    const [cat, name] = tp.split(':') as [string, string];
    tracepoints[tp] = tracefs ? await exists(`${tracefs}/events/${cat}/${name}/format`) : false;
  }
  return {
    tracefs, debugfs,
    lockdown: lockdownText === null ? null : parseLockdown(lockdownText),
    kprobeEvents: tracefs ? await exists(`${tracefs}/kprobe_events`) : false,
    availableFilterFunctions, traceable, kprobeBlacklist, tracepoints,
  };
}

/**
 * Registers and removes one kprobe event on `fn` through kprobe_events: the kernel's own verdict on whether
 * it can be kprobed (trace_kprobe refuses notrace functions unless CONFIG_KPROBE_EVENTS_ON_NOTRACE=y).
 */
export async function testKprobeEvent(tracefs: string, fn: string): Promise<KprobeTest> {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(fn)) throw new Error(`not a symbol name: ${fn}`);
  const file = `${tracefs}/kprobe_events`;
  const ev = 'rcuwalk_factprobe';
  try {
    await appendFile(file, `p:${ev} ${fn}\n`);
  } catch (err) {
    const log = await readFile(`${tracefs}/error_log`, 'utf8').catch(() => '');
    const last = log.trim().split('\n').filter((l) => l.includes(fn) || l.includes('kprobe')).slice(-2).join(' | ') || null;
    return { ok: false, error: (err as Error).message, dmesg: last };
  }
  await appendFile(file, `-:${ev}\n`).catch(() => undefined);
  return { ok: true, error: null, dmesg: null };
}
