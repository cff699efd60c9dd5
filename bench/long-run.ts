// Long run: a 10-minute capture at 100 ms intervals (BENCH_LONG=1; BENCH_LONG_SECONDS to change the length).
// RSS of the rcuwalk process sampled every second: the slope after the first minute (KB/min) must be ~flat;
// intervals written == duration / interval (+-1); bpftrace's lost-event records surfaced in run.lostEvents.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capture } from '../cli/schema/types.generated.js';
import { sampleUntilExit, slope, spawnCli, verdict, type Row } from './lib.js';
import { N } from './workload.js';

export async function benchLongRun(log: (l: string) => void): Promise<Row[]> {
  const seconds = Number(process.env.BENCH_LONG_SECONDS ?? 600);
  const intervalMs = 100;
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-long-'));
  const out = join(dir, 'long.json');
  log(`long run: ${seconds} s capture at ${intervalMs} ms intervals (${N} x ps)`);
  const c = spawnCli(['capture', '--workload', 'ps', '--parallel', String(N), '--duration', `${seconds}s`, '--interval', `${intervalMs}ms`, '--lockref-strategy', 'contention', '--out', out]);
  let attachAt = -1;
  const { samples, code } = await sampleUntilExit(c.child, 1000, (s) => {
    if (attachAt < 0 && c.stderr().includes('probes attached')) attachAt = s.tMs;
  });
  await c.exited;
  if (code !== 0) throw new Error(`long capture exited ${code}: ${c.stderr().trim().split('\n').slice(-3).join(' | ')}`);
  const cap = JSON.parse(readFileSync(out, 'utf8')) as Capture;
  rmSync(dir, { recursive: true, force: true });
  // steady state: from one minute after attach (heap warm-up, JIT) to the last sample before the write at the end
  const from = attachAt + 60_000;
  const steady = samples.filter((s) => s.tMs >= from && s.tMs <= attachAt + seconds * 1000 - 2000);
  const kbPerMin = steady.length > 10 ? slope(steady.map((s) => s.tMs / 60_000), steady.map((s) => s.rssKb)) : NaN;
  const all = samples.filter((s) => s.tMs >= attachAt);
  const kbPerMinAll = all.length > 10 ? slope(all.map((s) => s.tMs / 60_000), all.map((s) => s.rssKb)) : NaN;
  const planned = Math.round((seconds * 1000) / intervalMs);
  const ok = Math.abs(cap.intervals.length - planned) <= 1;
  const hwm = Math.max(...samples.map((s) => s.hwmKb).filter(Number.isFinite)) / 1024;
  const rssStart = steady[0]?.rssKb ?? NaN; const rssEnd = steady[steady.length - 1]?.rssKb ?? NaN;
  const a = `long run (${seconds / 60} min at ${intervalMs} ms intervals)`;
  return [
    { area: a, measure: 'RSS slope from minute 1 to the end', value: `${kbPerMin.toFixed(0)} KB/min (${(rssStart / 1024).toFixed(1)} -> ${(rssEnd / 1024).toFixed(1)} MB)`, goal: 'flat', verdict: verdict(Math.abs(kbPerMin) < 100) },
    { area: a, measure: 'RSS slope from attach (incl. warm-up)', value: `${kbPerMinAll.toFixed(0)} KB/min`, goal: '', verdict: '' },
    { area: a, measure: 'peak RSS (VmHWM, incl. the final write)', value: `${hwm.toFixed(1)} MB`, goal: '< 120 MB', verdict: verdict(hwm < 120) },
    { area: a, measure: 'intervals in the capture', value: `${cap.intervals.length} (planned ${planned})`, goal: '+-1', verdict: verdict(ok) },
    { area: a, measure: 'run.lostEvents / complete', value: `${cap.run.lostEvents} / ${cap.run.complete}`, goal: '0 / true', verdict: verdict(cap.run.lostEvents === 0 && cap.run.complete) },
  ];
}
