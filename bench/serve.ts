// rcuwalk serve's cost, side by side in one run (`node dist/bench/serve.js [rounds] [seconds] [longMinutes]`):
//  1. one scrape's render for 128 CPUs (synthetic capture, every target available), Prometheus text and OpenMetrics;
//  2. serve's own CPU at 1 s intervals scraped every 1 s against a headless capture of the same length, both with no
//     workload and a `kill -0 -1` loop making spinlock contention, in interleaved rounds (order rotated), measured
//     from 10 s after attach (V8 compiling hot paths before that);
//  3. serve at 100 ms intervals for longMinutes, scraped every 1 s: RSS slope and peak; then 50 concurrent scrapes a
//     second for 30 s: intervals missed and RSS growth.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { totalsOfCapture } from '../cli/export/openmetrics.js';
import { buildRegistry } from '../cli/serve/exposition.js';
import { syntheticCapture } from '../test/unit/compare/synthetic.js';
import { loadAverage, machine, median, procSample, sleep, slope, spawnCli, type ProcSample } from './lib.js';

const log = (l: string) => process.stderr.write(`bench serve: ${l}\n`);
const rounds = Number(process.argv[2] ?? 2);
const seconds = Number(process.argv[3] ?? 40);
const longMinutes = Number(process.argv[4] ?? 10);

async function renderTime(): Promise<string[]> {
  const c = syntheticCapture({ cpus: 128, intervals: 2 });
  const out: string[] = [];
  for (const format of ['prometheus', 'openmetrics'] as const) {
    // a render as serve does it: the totals snapshot (summed from 128 CPU rows), then the text
    let totals = totalsOfCapture(c);
    const reg = buildRegistry(format, () => ({ totals, status: null, perCpu: true }), false);
    for (let i = 0; i < 50; i++) await reg.metrics(); // warm-up
    const wall: number[] = [];
    const cpu: number[] = [];
    let bytes = 0, lines = 0;
    for (let i = 0; i < 300; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      totals = totalsOfCapture(c);
      const text = await reg.metrics();
      wall.push(performance.now() - t0);
      const d = process.cpuUsage(c0);
      cpu.push((d.user + d.system) / 1000);
      bytes = text.length; lines = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    }
    wall.sort((a, b) => a - b);
    out.push(`| one scrape's render (totals snapshot + text), 128 CPUs, ${format} (${lines} samples, ${(bytes / 1024).toFixed(0)} KB) | median ${median(wall).toFixed(2)} ms wall, ${median(cpu).toFixed(2)} CPU-ms; p99 ${wall[Math.floor(wall.length * 0.99)]!.toFixed(2)} ms | < 5 ms | ${median(wall) < 5 ? 'met' : 'NOT met'} |`);
  }
  return out;
}

function portOf(stderr: string): number | null {
  const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
  return m ? Number(m[1]) : null;
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (cond()) return true; await sleep(100); }
  return cond();
}

/** CPU fraction of one CPU used by the rcuwalk process from attach+10 s for `seconds` s. */
async function measure(kind: 'serve' | 'capture', dir: string): Promise<number> {
  const args = kind === 'serve'
    ? ['serve', '--listen', '127.0.0.1:0', '-i', '1s', '--lockref-strategy', 'contention']
    : ['capture', '--workload', 'none', '-d', `${seconds + 15}s`, '-i', '1s', '--lockref-strategy', 'contention', '-o', join(dir, `c-${Date.now()}.json`)];
  const c = spawnCli(args);
  const t0 = performance.now();
  try {
    if (!(await waitFor(() => /probes attached/.test(c.stderr()), 60_000))) throw new Error(`${kind}: no attach: ${c.stderr()}`);
    const port = kind === 'serve' ? portOf(c.stderr()) : null;
    let scraping = true;
    const scraper = (async () => { while (scraping && port) { await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => ''); await sleep(1000); } })();
    await sleep(10_000);
    const a = procSample(c.child.pid!, t0)!;
    await sleep(seconds * 1000);
    const z = procSample(c.child.pid!, t0)!;
    scraping = false;
    await scraper;
    return (z.cpuSec - a.cpuSec) / ((z.tMs - a.tMs) / 1000);
  } finally {
    c.child.kill('SIGTERM');
    await c.exited;
  }
}

async function cpuSideBySide(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-bench-serve-'));
  const got: Record<'serve' | 'capture', number[]> = { serve: [], capture: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      const order: ('serve' | 'capture')[] = r % 2 === 0 ? ['capture', 'serve'] : ['serve', 'capture'];
      for (const k of order) {
        log(`round ${r + 1}/${rounds}: ${k} (${seconds} s after 10 s of warm-up)`);
        got[k].push(await measure(k, dir));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const diffs = got.serve.map((s, i) => (s - got.capture[i]!) * 100);
  return [`| serve (scraped every 1 s) vs a headless capture, 1 s intervals, no workload, own CPU (${rounds} rounds x ${seconds} s, after 10 s warm-up) | serve ${got.serve.map((x) => `${(x * 100).toFixed(2)}%`).join(' / ')}; capture ${got.capture.map((x) => `${(x * 100).toFixed(2)}%`).join(' / ')}; serve minus capture ${diffs.map((d) => d.toFixed(2)).join(' / ')} points (median ${median(diffs).toFixed(2)}) | <= 0.3 points | ${median(diffs) <= 0.3 ? 'met' : 'NOT met'} |`];
}

async function longRun(): Promise<string[]> {
  const c = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '100ms', '--lockref-strategy', 'contention']);
  const t0 = performance.now();
  const samples: ProcSample[] = [];
  const scrapeText = async (port: number) => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const intervalsOf = (text: string) => Number(/^rcuwalk_intervals_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  const skippedOf = (text: string) => Number(/^rcuwalk_skipped_intervals_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  try {
    if (!(await waitFor(() => /probes attached/.test(c.stderr()), 60_000))) throw new Error(`no attach: ${c.stderr()}`);
    const port = portOf(c.stderr())!;
    const attachMs = performance.now() - t0;
    log(`long run: ${longMinutes} min at 100 ms, scraped every 1 s`);
    const end = performance.now() + (longMinutes > 0 ? longMinutes * 60_000 : 20_000);
    while (performance.now() < end) {
      await scrapeText(port);
      const s = procSample(c.child.pid!, t0);
      if (s) samples.push(s);
      await sleep(1000);
    }
    const after1 = samples.filter((s) => s.tMs >= attachMs + 60_000);
    const sl = slope(after1.map((s) => s.tMs / 60_000), after1.map((s) => s.rssKb)); // KB per minute
    const peak = Math.max(...samples.map((s) => s.hwmKb)) / 1024;
    const rows = longMinutes <= 0 ? [] : [`| serve at 100 ms intervals for ${longMinutes} min, scraped every 1 s: RSS | ${(after1[0]!.rssKb / 1024).toFixed(1)} -> ${(after1.at(-1)!.rssKb / 1024).toFixed(1)} MB over minutes 1-${longMinutes}, slope ${sl.toFixed(0)} KB/min; peak (VmHWM) ${peak.toFixed(1)} MB | flat | ${Math.abs(sl) < 200 ? 'met' : 'NOT met'} |`];

    log('50 concurrent scrapes a second for 30 s');
    const before = procSample(c.child.pid!, t0)!;
    const t0text = await scrapeText(port);
    const i0 = intervalsOf(t0text), k0 = skippedOf(t0text);
    const s0 = performance.now();
    let failed = 0, done = 0;
    for (let k = 0; k < 30; k++) {
      const tick = performance.now();
      const rs = await Promise.allSettled(Array.from({ length: 50 }, () => scrapeText(port)));
      failed += rs.filter((r) => r.status === 'rejected').length;
      done += rs.length;
      await sleep(Math.max(0, 1000 - (performance.now() - tick)));
    }
    const t1text = await scrapeText(port);
    const i1 = intervalsOf(t1text), k1 = skippedOf(t1text);
    const secs = (performance.now() - s0) / 1000;
    const after = procSample(c.child.pid!, t0)!;
    const expected = Math.floor(secs * 10);
    rows.push(`| 50 concurrent scrapes a second for 30 s (100 ms intervals) | ${done - failed}/${done} answered; ${i1 - i0} intervals + ${k1 - k0} skipped (merged into the next: bpftrace catching up) in ${secs.toFixed(1)} s (${expected} at 10/s); RSS ${(before.rssKb / 1024).toFixed(1)} -> ${(after.rssKb / 1024).toFixed(1)} MB | no missed interval, no growth | ${failed === 0 && i1 - i0 + (k1 - k0) >= expected - 2 && after.rssKb - before.rssKb < 8192 ? 'met' : 'NOT met'} |`);
    return rows;
  } finally {
    c.child.kill('SIGTERM');
    await c.exited;
  }
}

async function main(): Promise<void> {
  const reader = spawn('bash', ['-c', 'while :; do kill -0 -1 2>/dev/null; done'], { stdio: 'ignore' });
  try {
    const rows = ['| what | measured | goal | |', '|---|---|---|---|'];
    rows.push(...(await renderTime()));
    if (process.getuid?.() === 0) {
      if (rounds > 0) rows.push(...(await cpuSideBySide()));
      // longMinutes 0: only the 50 concurrent scrapes (after 20 s)
      rows.push(...(await longRun()));
    } else log('not root: only the render time');
    process.stdout.write(`${machine()}\nload average at the end: ${loadAverage()}\n\n${rows.join('\n')}\n`);
  } finally {
    reader.kill('SIGTERM');
  }
}

void main();
