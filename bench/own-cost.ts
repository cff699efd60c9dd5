// rcuwalk's own cost: CPU time of the rcuwalk node process (children excluded, /proc/<pid>/stat utime+stime),
// peak RSS (VmHWM), time to "probes attached" (run.attachMs) and `rcuwalk --help` start-up.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capture } from '../cli/schema/types.generated.js';
import { BIN, QUICK, median, pct, procSample, sampleUntilExit, sleep, spawnCli, verdict, type ProcSample, type Row } from './lib.js';
import { N } from './workload.js';

/** The first seconds of a run include V8 compiling the hot paths (on background threads, counted here): the
 * "after warm-up" rows start this long after attach, the cost of a capture that runs for minutes. */
const WARM_MS = 20_000;

export interface OwnCost { intervalMs: number; durationS: number; cpuPerMin: number; steadyCpuFrac: number; warmCpuFrac: number | null; hwmMb: number; runRssMb: number; attachMs: number | null; intervals: number; code: number | null }

/** One capture with the ps workload, sampled every 250 ms, by `bin` (default: this checkout's). */
export async function measureCapture(intervalMs: number, durationS: number, extra: string[] = [], bin = BIN): Promise<OwnCost> {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-bench-'));
  const out = join(dir, 'run.json');
  const c = spawnCli(['capture', '--workload', 'ps', '--parallel', String(N), '--duration', `${durationS}s`, '--interval', `${intervalMs}ms`, '--lockref-strategy', 'contention', '--out', out, ...extra], { bin });
  let atAttach: ProcSample | null = null;
  let atLastInterval: ProcSample | null = null;
  let seen = 0;
  const { samples, code } = await sampleUntilExit(c.child, 250, (s) => {
    const e = c.stderr();
    if (atAttach === null && e.includes('probes attached')) atAttach = s;
    // the sample right after the newest interval line: the run before the final write
    const n = (e.match(/runs\/s/g) ?? []).length;
    if (n > seen) { seen = n; atLastInterval = s; }
  });
  await c.exited;
  if (code !== 0) throw new Error(`capture exited ${code}: ${c.stderr().trim().split('\n').slice(-3).join(' | ')}`);
  const cap = JSON.parse(readFileSync(out, 'utf8')) as Capture;
  rmSync(dir, { recursive: true, force: true });
  const last = samples[samples.length - 1]!;
  const a = (atAttach ?? samples[0]!) as ProcSample;
  const z = (atLastInterval ?? last) as ProcSample;
  const minutes = durationS / 60;
  const w = samples.find((s) => s.tMs >= a.tMs + WARM_MS);
  return {
    intervalMs, durationS,
    cpuPerMin: last.cpuSec / minutes,
    steadyCpuFrac: (z.cpuSec - a.cpuSec) / ((z.tMs - a.tMs) / 1000),
    warmCpuFrac: w && z.tMs > w.tMs + 10_000 ? (z.cpuSec - w.cpuSec) / ((z.tMs - w.tMs) / 1000) : null,
    hwmMb: Math.max(...samples.map((s) => s.hwmKb).filter(Number.isFinite)) / 1024,
    runRssMb: z.rssKb / 1024,
    attachMs: cap.run.attachMs,
    intervals: cap.intervals.length,
    code,
  };
}

/** `rcuwalk run` (the live UI) in a tmux pane: the node process's CPU while running, peak RSS. */
/** The live UI of `bin` (default: this checkout's) in a tmux pane. */
export async function measureTui(intervalMs: number, durationS: number, bin = BIN): Promise<{ steadyCpuFrac: number; warmCpuFrac: number | null; hwmMb: number } | null> {
  if (spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status !== 0) return null;
  const sock = `rcuwalk-bench-${process.pid}`;
  const tag = `bench-${process.pid}-${Date.now()}`;
  const cmd = `RCUWALK_BENCH_TAG=${tag} ${bin} run --workload ps --parallel ${N} --duration ${durationS}s --interval ${intervalMs}ms --lockref-strategy contention`;
  spawnSync('tmux', ['-L', sock, 'new-session', '-d', '-x', '120', '-y', '40', 'env', 'TERM=xterm-256color', 'bash', '--norc', '-c', cmd]);
  try {
    const t0 = performance.now();
    let pid = -1;
    while (pid < 0 && performance.now() - t0 < 10_000) {
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          if (readFileSync(`/proc/${d}/environ`, 'latin1').includes(`RCUWALK_BENCH_TAG=${tag}`) && readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'node') { pid = Number(d); break; }
        } catch { /* gone */ }
      }
      await sleep(50);
    }
    if (pid < 0) return null;
    const samples: ProcSample[] = [];
    // the UI stays open on its last screen after the run: quit it with q once the run must be over
    const quitAt = (durationS + 10) * 1000;
    for (;;) {
      const s = procSample(pid, t0);
      if (!s) break;
      samples.push(s);
      if (s.tMs > quitAt) spawnSync('tmux', ['-L', sock, 'send-keys', 'q']);
      if (s.tMs > quitAt + 30_000) break;
      await sleep(250);
    }
    // running: probes attach within ~2 s of the start; the run lasts durationS from there
    const a = samples.find((s) => s.tMs >= 5000);
    const z = [...samples].reverse().find((s) => s.tMs <= (durationS + 1) * 1000);
    if (!a || !z || z.tMs <= a.tMs) return null;
    const w = samples.find((s) => s.tMs >= a.tMs + WARM_MS);
    const warmCpuFrac = w && z.tMs > w.tMs + 10_000 ? (z.cpuSec - w.cpuSec) / ((z.tMs - w.tMs) / 1000) : null;
    return { steadyCpuFrac: (z.cpuSec - a.cpuSec) / ((z.tMs - a.tMs) / 1000), warmCpuFrac, hwmMb: Math.max(...samples.map((s) => s.hwmKb).filter(Number.isFinite)) / 1024 };
  } finally {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
  }
}

/** Median wall time of `rcuwalk --help` next to `node -e 0` (node's own start-up floor). */
export function helpStartup(runs: number): { helpMs: number; nodeMs: number } {
  const time = (cmd: string, args: string[]) => {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = spawnSync(cmd, args, { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  const nodeMs = time(process.execPath, ['-e', '0']);
  const helpMs = time(BIN, ['--help']);
  return { helpMs, nodeMs };
}

export async function benchOwnCost(log: (l: string) => void): Promise<Row[]> {
  const dur = Number(process.env.BENCH_CAPTURE_SECONDS ?? (QUICK ? 6 : 60));
  const rows: Row[] = [];
  for (const iv of [1000, 100]) {
    log(`own cost: ${dur} s capture at ${iv} ms intervals (${N} x ps)`);
    const m = await measureCapture(iv, dur);
    const a = `rcuwalk's own cost (${dur} s capture, ${iv >= 1000 ? `${iv / 1000} s` : `${iv} ms`} intervals)`;
    rows.push(
      { area: a, measure: 'CPU s per minute of capture (whole process life: start-up, attach, run, write)', value: `${m.cpuPerMin.toFixed(2)} s/min = ${pct(m.cpuPerMin / 60, 2)} of one CPU`, goal: iv === 1000 ? '< 1% of one CPU' : '', verdict: iv === 1000 ? verdict(m.cpuPerMin / 60 < 0.01) : '' },
      { area: a, measure: 'CPU while running (probes attached -> last interval line)', value: `${pct(m.steadyCpuFrac, 2)} of one CPU`, goal: iv === 1000 ? '< 1% of one CPU' : '', verdict: iv === 1000 ? verdict(m.steadyCpuFrac < 0.01) : '' },
      { area: a, measure: `CPU after warm-up (${WARM_MS / 1000} s after attach -> last interval line)`, value: m.warmCpuFrac === null ? 'n/a (run too short)' : `${pct(m.warmCpuFrac, 2)} of one CPU`, goal: iv === 1000 ? '< 1% of one CPU' : '', verdict: iv === 1000 && m.warmCpuFrac !== null ? verdict(m.warmCpuFrac < 0.01) : '' },
      { area: a, measure: 'peak RSS (VmHWM; RSS while running)', value: `${m.hwmMb.toFixed(1)} MB (${m.runRssMb.toFixed(1)} MB)`, goal: '< 120 MB', verdict: verdict(m.hwmMb < 120) },
      { area: a, measure: 'start -> probes attached (run.attachMs)', value: m.attachMs === null ? 'n/a' : `${(m.attachMs / 1000).toFixed(2)} s`, goal: '', verdict: '' },
      { area: a, measure: 'intervals written', value: `${m.intervals} (planned ${Math.round(dur * 1000 / iv)})`, goal: '', verdict: '' },
    );
  }
  for (const iv of [1000, 100]) {
    log(`own cost: rcuwalk run (live UI in tmux), ${dur} s at ${iv} ms intervals`);
    const m = await measureTui(iv, dur);
    const a = `rcuwalk run, live UI in a tmux pane (${dur} s, ${iv >= 1000 ? `${iv / 1000} s` : `${iv} ms`} intervals)`;
    if (!m) rows.push({ area: a, measure: 'skipped', value: 'tmux missing or the UI did not start', goal: '', verdict: '' });
    else rows.push(
      { area: a, measure: 'CPU while running (5 s after start -> duration + 1 s)', value: `${pct(m.steadyCpuFrac, 2)} of one CPU`, goal: iv === 1000 ? '< 1% of one CPU' : '', verdict: iv === 1000 ? verdict(m.steadyCpuFrac < 0.01) : '' },
      { area: a, measure: `CPU after warm-up (${WARM_MS / 1000 + 5} s after start -> duration + 1 s)`, value: m.warmCpuFrac === null ? 'n/a (run too short)' : `${pct(m.warmCpuFrac, 2)} of one CPU`, goal: iv === 1000 ? '< 1% of one CPU' : '', verdict: iv === 1000 && m.warmCpuFrac !== null ? verdict(m.warmCpuFrac < 0.01) : '' },
      { area: a, measure: 'peak RSS (VmHWM)', value: `${m.hwmMb.toFixed(1)} MB`, goal: '< 120 MB', verdict: verdict(m.hwmMb < 120) },
    );
  }
  const s = helpStartup(QUICK ? 3 : 10);
  rows.push({ area: 'start-up', measure: '`rcuwalk --help` wall time, median (node -e 0 alone)', value: `${s.helpMs.toFixed(0)} ms (${s.nodeMs.toFixed(0)} ms)`, goal: '', verdict: '' });
  return rows;
}
