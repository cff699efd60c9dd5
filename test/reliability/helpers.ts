// Reliability-test helpers: runs of the built CLI tagged through the environment, so that every process it starts
// (bpftrace, worker shells, ps, ballast sleepers: they all inherit the environment) can be found even when other
// captures run on the same machine at the same time.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BIN } from '../helpers/cli.js';

export const TAG_VAR = 'RCUWALK_RELIABILITY_TAG';

export function newTag(): string {
  return `t${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface Tagged extends ChildProcess { tag: string; stderrText(): string; stdoutText(): string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

/** Spawns `node dist/cli/bin.js ...args` with a unique tag in its environment. */
export function spawnTagged(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; tag?: string } = {}): Tagged {
  const tag = opts.tag ?? newTag();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env, [TAG_VAR]: tag } });
  let err = ''; let out = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  return Object.assign(child, { tag, stderrText: () => err, stdoutText: () => out, exit });
}

export function runTagged(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; tag?: string } = {}) {
  const tag = opts.tag ?? newTag();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, env: { ...process.env, ...opts.env, [TAG_VAR]: tag } });
  return { tag, code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export interface ProcInfo { pid: number; comm: string; cmdline: string; state: string; ppid: number; fds: string }

/** Live (non-zombie) processes whose environment holds TAG_VAR=tag. */
export function taggedProcesses(tag: string): ProcInfo[] {
  const needle = `${TAG_VAR}=${tag}\0`;
  const out: ProcInfo[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'latin1');
      if (!(env + '\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
      let fds = '';
      try { fds = ['0', '1', '2'].map((f) => { try { return readlinkSync(`/proc/${d}/fd/${f}`); } catch { return '-'; } }).join(' '); } catch { /* */ }
      out.push({ pid: Number(d), comm: readFileSync(`/proc/${d}/comm`, 'utf8').trim(), cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '), state, ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), fds });
    } catch { /* gone, or a kernel thread */ }
  }
  return out;
}

export function describe(ps: ProcInfo[]): string {
  return ps.map((p) => `${p.pid} (ppid ${p.ppid}, ${p.state}, fds ${p.fds}) ${p.comm}: ${p.cmdline.slice(0, 60)}`).join('\n');
}

export async function waitFor(cond: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}

/** rcuwalk entries in kprobe_events (none may be left behind); null when this kernel has no kprobe_events. */
export function leftoverKprobes(): string[] | null {
  for (const p of ['/sys/kernel/tracing/kprobe_events', '/sys/kernel/debug/tracing/kprobe_events']) {
    if (!existsSync(p)) continue;
    return readFileSync(p, 'utf8').split('\n').filter((l) => /rcuwalk|lockref|pid_revalidate|unlazy/.test(l));
  }
  return null;
}

/** Interval lines printed so far ("[3/60s] runs/s ..."). */
export function intervalLines(stderr: string): number {
  return (stderr.match(/\] runs\/s/g) ?? []).length;
}

export const REAL_BPFTRACE = spawnSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/bpftrace';

/**
 * A fake bpftrace (RCUWALK_BPFTRACE): the real one answers every call (--version, --info, -d, -l ...) except the
 * capture itself (`-f json -e SCRIPT`), which misbehaves as FAKE_MODE says:
 *   die        the real bpftrace for FAKE_AFTER s, then it is SIGKILLed and the fake exits 1 with an error on stderr
 *   garbage    the real bpftrace's first 2 lines (attached, ready), then garbage instead of every further line
 *   wrongcount claims 1 attached probe, says ready, then hangs
 *   early      exits 1 with "ERROR: Could not attach probe" before attaching
 *   hang       prints nothing, never attaches
 */
export function fakeBpftrace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-fakebt-'));
  const p = join(dir, 'bpftrace');
  writeFileSync(p, `#!/bin/bash
real=${JSON.stringify(REAL_BPFTRACE)}
if [ "$1" = "-f" ] && [ "$2" = "json" ] && [ "$3" = "-e" ]; then
  case "$FAKE_MODE" in
    die) "$real" "$@" & pid=$!; sleep "\${FAKE_AFTER:-4}"; kill -KILL "$pid"; wait "$pid"; echo "ERROR: fake bpftrace: lost its BPF program" >&2; exit 1 ;;
    garbage) "$real" "$@" | { n=0; while IFS= read -r l; do n=$((n+1)); if [ "$n" -le 2 ]; then printf '%s\\n' "$l"; else printf '%s\\n' "#@! garbage {{{ $n \\x00"; fi; done; } ; exit 0 ;;
    wrongcount) echo '{"type": "attached_probes", "data": {"probes": 1}}'; echo '{"type": "printf", "data": "rcuwalk-ready\\n"}'; exec sleep 1000 ;;
    early) echo "ERROR: Could not attach probe tracepoint:lock:contention_begin" >&2; exit 1 ;;
    hang) exec sleep 1000 ;;
  esac
fi
exec "$real" "$@"
`);
  chmodSync(p, 0o755);
  return p;
}
