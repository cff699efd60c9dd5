// `rcuwalk serve` scraped by a real Prometheus (Debian's package, its own process on a free loopback port with a
// temporary config and storage; the packaged service plays no part): scrapes every 1 s for ~20 s, then the test asks
// Prometheus's HTTP API and compares with what rcuwalk's own reducer counted, interval by interval
// (`serve --interval-log`), over the same seconds. Prometheus asks for OpenMetrics, so this is also its parser
// reading rcuwalk's OpenMetrics; `promtool check metrics` reads a live scrape in the Prometheus text format.
//
// Contention here (see capture-modern-bpftrace.test.ts): a `kill -0 -1` loop holds tasklist_lock for reading while
// one ps worker's forks take it for writing: tens of spinning waits a second.
//
// Tolerances: a sample's counter delta between two scrapes must equal the reducer's sum over the intervals that
// became visible between them, give or take the intervals that closed within 250 ms of either scrape (a scrape's
// timestamp is taken just before rcuwalk renders it); rate() over 15 s must be within 15% of the reducer's rate
// over the same samples' span (rate() extrapolates to the window's edges).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureUnsupportedReason, rcuwalkProcesses, spawnCli, waitFor } from '../helpers/cli.js';
import { validateWith } from '../../cli/schema/validate.js';
import type { ServeInterval } from '../../cli/schema/types.generated.js';
import { parseExposition, pick } from '../helpers/exposition.js';

const prometheus = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
const skip = captureUnsupportedReason() ?? (prometheus && promtool ? null : "Prometheus is not installed (Debian package 'prometheus': scripts/install-test-deps.sh installs it)");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

function exited(p: ChildProcess, ms: number): Promise<{ code: number | null; signal: string | null } | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve({ code: p.exitCode, signal: p.signalCode });
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), ms);
    p.once('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal }); });
  });
}

async function api<T>(port: number, path: string): Promise<T> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  const j = (await r.json()) as { status: string; data: { result: T }; error?: string };
  if (j.status !== 'success') throw new Error(`prometheus ${path}: ${j.error}`);
  return j.data.result;
}
type Matrix = { metric: Record<string, string>; values: [number, string][] }[];
type Vector = { metric: Record<string, string>; value: [number, string] }[];

/** Per scrape timestamp (s), the sum over the series (every CPU of one scrape shares its timestamp). */
function sumByTime(m: Matrix): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of m) for (const [t, v] of s.values) out.set(t, (out.get(t) ?? 0) + Number(v));
  return out;
}

test('rcuwalk serve scraped by a real Prometheus for ~20 s: rates match the reducer, target info, promtool, nothing left', { skip: skip ?? false, timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-prom-'));
  const reader = spawn('timeout', ['150', 'bash', '-c', 'while :; do kill -0 -1 2>/dev/null; done'], { stdio: 'ignore' });
  let serve: ReturnType<typeof spawnCli> | null = null;
  let prom: ChildProcess | null = null;
  let stdout = '';
  try {
    serve = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '1s', '--interval-log', '--workload', 'ps', '-j', '1', '--lockref-strategy', 'auto']);
    serve.stdout!.removeAllListeners('data');
    serve.stdout!.setEncoding('utf8');
    serve.stdout!.on('data', (d: string) => { stdout += d; });
    const s = serve;
    assert.ok(await waitFor(() => /serving http:\/\/127\.0\.0\.1:\d+\/metrics/.test(s.stderrText()), 60_000), `serve did not start: ${s.stderrText()}`);
    const port = Number(/serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(s.stderrText())![1]);
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).status === 200;
    const end = Date.now() + 60_000;
    while (!(await ready().catch(() => false)) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.ok(await ready(), `not ready: ${s.stderrText()}`);

    const pport = await freePort();
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: rcuwalk',
      '    scrape_interval: 1s',
      '    scrape_timeout: 900ms',
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
      '',
    ].join('\n'));
    prom = spawn(prometheus, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${pport}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let promErr = '';
    prom.stderr!.setEncoding('utf8');
    prom.stderr!.on('data', (d: string) => { promErr = (promErr + d).slice(-4000); });
    const pready = async () => (await fetch(`http://127.0.0.1:${pport}/-/ready`)).status === 200;
    const pend = Date.now() + 60_000;
    while (!(await pready().catch(() => false)) && Date.now() < pend) await new Promise((r) => setTimeout(r, 250));
    assert.ok(await pready(), `prometheus not ready: ${promErr}`);

    await new Promise((r) => setTimeout(r, 21_000));
    const now = Date.now() / 1000;

    // Prometheus scraped it and read it (OpenMetrics, by its Accept header)
    const up = await api<Vector>(pport, `/api/v1/query?query=${encodeURIComponent('up{job="rcuwalk"}')}&time=${now}`);
    assert.equal(up[0]?.value[1], '1', `up: ${JSON.stringify(up)} ${promErr}`);
    const rup = await api<Vector>(pport, `/api/v1/query?query=rcuwalk_up&time=${now}`);
    assert.equal(rup[0]?.value[1], '1');

    // what each target is measured by here: lockref by contention, the kprobe targets unavailable (no kprobes)
    const info = await api<Vector>(pport, `/api/v1/query?query=rcuwalk_target_info&time=${now}`);
    const strategy = Object.fromEntries(info.map((v) => [v.metric.target!, v.metric.strategy!]));
    assert.equal(strategy.lockref, 'contention');
    assert.equal(strategy.spin, 'contention');
    for (const t of ['pid_revalidate', 'unlazy_next', 'unlazy']) assert.equal(strategy[t], 'unavailable', t);
    // unavailable is absent, never zero
    const echild = await api<Vector>(pport, `/api/v1/query?query=rcuwalk_pid_revalidate_echild_total&time=${now}`);
    assert.equal(echild.length, 0, 'no -ECHILD series where pid_revalidate cannot be probed');

    // the reducer's own intervals, with when each became visible to scrapes
    const log = stdout.trim().split('\n').map((l, i) => validateWith<ServeInterval>('serve-interval.schema.json', JSON.parse(l), `interval log line ${i + 1}`));
    // a loaded machine makes bpftrace skip ticks (a longer interval, nothing lost): what counts is the time covered
    const coveredMs = log.reduce((n, e) => n + e.interval.endMs - e.interval.startMs, 0);
    assert.ok(log.length >= 5 && coveredMs >= 18_000, `intervals logged: ${log.length} over ${coveredMs} ms (${log.map((e) => e.interval.endMs - e.interval.startMs).join(" ")} ms)`);
    const reducerSum = (field: 'spinWaits' | 'spinNs' | 'lockrefWaits', fromMs: number, toMs: number) =>
      log.filter((e) => e.atUnixMs > fromMs && e.atUnixMs <= toMs).reduce((n, e) => n + e.interval.cpus.reduce((m, r) => m + (r[field] ?? 0), 0), 0);

    const checks: { metric: string; field: 'spinWaits' | 'spinNs' | 'lockrefWaits'; scale: number }[] = [
      { metric: 'rcuwalk_spinlock_waits_total', field: 'spinWaits', scale: 1 },
      { metric: 'rcuwalk_spinlock_wait_seconds_total', field: 'spinNs', scale: 1e-9 },
      { metric: 'rcuwalk_lockref_waits_total', field: 'lockrefWaits', scale: 1 },
    ];
    const SLACK_MS = 250;
    for (const c of checks) {
      const m = await api<Matrix>(pport, `/api/v1/query?query=${encodeURIComponent(`${c.metric}[25s]`)}&time=${now}`);
      const byTime = [...sumByTime(m).entries()].sort((a, b) => a[0] - b[0]);
      assert.ok(byTime.length >= 15, `${c.metric}: ${byTime.length} scrapes in 25 s`);
      const [t1, v1] = byTime[0]!, [t2, v2] = byTime.at(-1)!;
      const delta = (v2 - v1) / c.scale;
      const inner = reducerSum(c.field, t1 * 1000 + SLACK_MS, t2 * 1000 - SLACK_MS);
      const outer = reducerSum(c.field, t1 * 1000 - SLACK_MS, t2 * 1000 + SLACK_MS);
      assert.ok(delta >= inner - 1e-3 && delta <= outer + 1e-3, `${c.metric}: Prometheus saw ${delta} over ${(t2 - t1).toFixed(1)} s, the reducer ${inner}..${outer}`);
      if (c.field === 'spinWaits') assert.ok(delta > 0, 'spinning waits were counted');
      t.diagnostic(`${c.metric}: Prometheus ${delta} over ${(t2 - t1).toFixed(1)} s (${byTime.length} scrapes); reducer ${inner}..${outer}`);

      // rate() over 15 s against the reducer's rate over the span of the same samples
      const r = await api<Vector>(pport, `/api/v1/query?query=${encodeURIComponent(`sum(rate(${c.metric}[15s]))`)}&time=${t2}`);
      const inWindow = byTime.filter(([t]) => t > t2 - 15);
      const [w1] = inWindow[0]!;
      const want = reducerSum(c.field, w1 * 1000, t2 * 1000) / (t2 - w1) * c.scale;
      const got = Number(r[0]?.value[1] ?? NaN);
      if (want === 0) assert.equal(got, 0, `${c.metric}: rate`);
      else assert.ok(Math.abs(got - want) / want <= 0.15, `${c.metric}: rate() ${got} vs the reducer's ${want}`);
      t.diagnostic(`${c.metric}: rate() over 15 s ${got.toPrecision(4)}/s, reducer ${want.toPrecision(4)}/s`);
    }

    // a live scrape in the Prometheus text format passes promtool
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const pt = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(pt.status, 0, `promtool check metrics: ${pt.stdout}${pt.stderr}`);
    assert.equal(pick(parseExposition(text), 'rcuwalk_up')[0]?.value, 1);

    // SIGTERM: exit 0, bpftrace and the workload gone
    serve.kill('SIGTERM');
    const e = await exited(serve, 30_000);
    assert.deepEqual(e, { code: 0, signal: null }, s.stderrText());
    assert.ok(await waitFor(() => rcuwalkProcesses().length === 0, 5000), `left running: ${rcuwalkProcesses().join('; ')}`);
  } finally {
    if (serve && serve.exitCode === null && serve.signalCode === null) { serve.kill('SIGKILL'); await exited(serve, 5000); }
    if (prom) { prom.kill('SIGTERM'); if (!(await exited(prom, 20_000))) { prom.kill('SIGKILL'); await exited(prom, 5000); } }
    reader.kill('SIGTERM');
    await exited(reader, 5000);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(prom!.exitCode !== null || prom!.signalCode !== null, true, 'prometheus stopped');
});
