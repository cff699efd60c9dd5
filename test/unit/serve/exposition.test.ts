// The exporter's exposition from SYNTHETIC captures (test/unit/compare/synthetic.ts): every exported counter equals
// the capture's totals in base units, per CPU and for the host; unavailable targets have no samples (not zeros);
// the histogram is cumulative on the fixed ladder; OpenMetrics and Prometheus text carry the same values; running
// totals over a bpftrace restart add up. promtool (Debian's prometheus package) checks the Prometheus text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { COUNTERS } from '../../../cli/metrics/counters.js';
import { EXPORTER, HIST_LE_SECONDS, LOCKREF_HISTOGRAM } from '../../../cli/metrics/exporter-metrics.js';
import { captureMetricsText, totalsOfCapture } from '../../../cli/export/openmetrics.js';
import { buildRegistry } from '../../../cli/serve/exposition.js';
import { addTotals, toLadder } from '../../../cli/serve/running-totals.js';
import { syntheticCapture } from '../compare/synthetic.js';
import { parseExposition, pick } from '../../helpers/exposition.js';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const promtool = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();

test('per CPU: each exported counter is the capture total x scale, labelled cpu (and function); unavailable: no samples', async () => {
  const c = syntheticCapture({ cpus: 3, intervals: 5, unavailable: ['prRcuCalls'] });
  const p = parseExposition(await captureMetricsText(c, true, 'prometheus'));
  let checked = 0;
  for (const d of COUNTERS) {
    if (!d.prom) continue;
    for (const row of c.totals.cpus) {
      const s = pick(p, d.prom.name, { ...(d.prom.labels ?? {}), cpu: String(row.cpu) });
      const v = row[d.field];
      if (v === null) { assert.equal(s.length, 0, `${d.field}: unmeasured, so no sample`); continue; }
      assert.equal(s.length, 1, `${d.prom.name} cpu ${row.cpu}`);
      assert.ok(close(s[0]!.value, v * d.prom.scale), `${d.prom.name} cpu ${row.cpu}: ${s[0]!.value} vs ${v * d.prom.scale}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 3 * 10, `checked ${checked}`);
  assert.equal(pick(p, 'rcuwalk_pid_revalidate_rcu_calls_total').length, 0);
  assert.equal(p.types.get('rcuwalk_pid_revalidate_echild_total'), 'counter');
  // percents are node_exporter's job (node_cpu_seconds_total): not exported
  assert.ok(!p.samples.some((s) => /pct|percent/.test(s.name)));
});

test('--no-per-cpu: one series per counter (and function), equal to the host total', async () => {
  const c = syntheticCapture({ cpus: 4, intervals: 3 });
  const p = parseExposition(await captureMetricsText(c, false, 'prometheus'));
  for (const d of COUNTERS) {
    if (!d.prom) continue;
    const s = pick(p, d.prom.name, d.prom.labels ?? {});
    const v = c.totals.all[d.field];
    if (v === null) { assert.equal(s.length, 0); continue; }
    assert.equal(s.length, 1, d.prom.name);
    assert.equal(s[0]!.labels.cpu, undefined);
    assert.ok(close(s[0]!.value, v * d.prom.scale), d.prom.name);
  }
});

test('lockref histogram: cumulative on the fixed ladder in seconds, +Inf = _count = the capture\'s bucket counts', async () => {
  const c = syntheticCapture({ cpus: 2, intervals: 4 });
  const p = parseExposition(await captureMetricsText(c, true, 'prometheus'));
  const name = LOCKREF_HISTOGRAM.name;
  const buckets = pick(p, `${name}_bucket`);
  assert.equal(buckets.length, HIST_LE_SECONDS.length + 1);
  assert.deepEqual(buckets.map((b) => b.labels.le), [...HIST_LE_SECONDS.map(String), '+Inf']);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'cumulative');
  const total = c.histograms.lockrefNs.all.reduce((n, b) => n + b.count, 0);
  assert.ok(total > 0);
  assert.equal(buckets.at(-1)!.value, total);
  assert.equal(pick(p, `${name}_count`)[0]!.value, total);
  assert.ok(close(pick(p, `${name}_sum`)[0]!.value, c.totals.all.lockrefNs! / 1e9));
  const none = syntheticCapture({ cpus: 2, intervals: 2, lockrefStrategy: 'unavailable' });
  assert.equal(pick(parseExposition(await captureMetricsText(none, true, 'prometheus')), `${name}_bucket`).length, 0, 'unavailable: no histogram samples');
});

test('toLadder: inclusive maxima go to the first bound at or above them; beyond the ladder to +Inf', () => {
  const counts = toLadder([{ min: 0, max: 0, count: 1 }, { min: 64, max: 127, count: 2 }, { min: 128, max: 255, count: 3 }, { min: 2 ** 40, max: 2 ** 41 - 1, count: 4 }]);
  assert.equal(counts[0], 1); // 0 ns <= 64 ns
  assert.equal(counts[1], 2); // <= 128 ns
  assert.equal(counts[2], 3); // <= 256 ns
  assert.equal(counts[HIST_LE_SECONDS.length], 4);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10);
});

test('info metrics: build info and one target_info per target with its strategy', async () => {
  const c = syntheticCapture({ cpus: 1, intervals: 2, lockrefStrategy: 'contention' });
  const p = parseExposition(await captureMetricsText(c, true, 'prometheus'));
  const info = pick(p, EXPORTER.info.name);
  assert.equal(info.length, 1);
  assert.equal(info[0]!.labels.kernel_release, c.host.kernelRelease);
  assert.equal(info[0]!.labels.bpftrace_version, c.bpftrace.version);
  assert.equal(info[0]!.labels.version, c.tool.version);
  const targets = pick(p, EXPORTER.target.name);
  assert.deepEqual(targets.map((t) => `${t.labels.target}=${t.labels.strategy}`).sort(), c.resolution.map((r) => `${r.target}=${r.strategy}`).sort());
  // the exporter's own status is serve's, not a file's
  assert.equal(pick(p, EXPORTER.up.name).length, 0);
});

test('OpenMetrics: the same values; counter families without _total, samples with it; ends with # EOF', async () => {
  const c = syntheticCapture({ cpus: 2, intervals: 3 });
  const om = parseExposition(await captureMetricsText(c, true, 'openmetrics'));
  const pt = parseExposition(await captureMetricsText(c, true, 'prometheus'));
  assert.ok(om.eof);
  assert.equal(om.types.get('rcuwalk_pid_revalidate_echild'), 'counter');
  assert.equal(om.types.get('rcuwalk_pid_revalidate_echild_total'), undefined);
  const key = (s: { name: string; labels: Record<string, string> }) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
  assert.deepEqual(new Map(om.samples.map((s) => [key(s), s.value])), new Map(pt.samples.map((s) => [key(s), s.value])));
});

test('running totals over a restart: counters add, the run max is the larger, meta is the later run\'s', () => {
  const a = totalsOfCapture(syntheticCapture({ cpus: 2, intervals: 3, seed: 1 }));
  const b = totalsOfCapture(syntheticCapture({ cpus: 2, intervals: 4, seed: 2, kernelRelease: '6.1.0-later' }));
  const sum = addTotals(a, b);
  for (const d of COUNTERS) {
    if (d.unit === 'percent') continue;
    const x = a.all[d.field], y = b.all[d.field];
    if (x == null || y == null) continue;
    assert.equal(sum.all[d.field], d.combine === 'max' ? Math.max(x, y) : x + y, d.field);
    assert.ok(d.combine === 'max' || sum.all[d.field]! >= x, 'monotonic');
  }
  assert.equal(sum.cpus.get(1)!.prEchild, a.cpus.get(1)!.prEchild! + b.cpus.get(1)!.prEchild!);
  assert.equal(sum.hist!.counts.reduce((n, v) => n + v, 0), a.hist!.counts.reduce((n, v) => n + v, 0) + b.hist!.counts.reduce((n, v) => n + v, 0));
  assert.equal(sum.meta!.host.kernelRelease, '6.1.0-later');
});

test('a registry renders what its source holds at render time (a scrape reads the latest totals)', async () => {
  let t = totalsOfCapture(syntheticCapture({ cpus: 1, intervals: 1 }));
  const reg = buildRegistry('prometheus', () => ({ totals: t, status: null, perCpu: false }), false);
  const first = pick(parseExposition(await reg.metrics()), 'rcuwalk_pid_revalidate_echild_total')[0]!.value;
  t = addTotals(t, t);
  const second = pick(parseExposition(await reg.metrics()), 'rcuwalk_pid_revalidate_echild_total')[0]!.value;
  assert.equal(second, 2 * first);
});

test('promtool check metrics accepts the Prometheus text (per CPU and not)', { skip: promtool ? false : 'promtool missing (Debian package prometheus: scripts/install-test-deps.sh installs it)' }, async () => {
  for (const perCpu of [true, false]) {
    const text = await captureMetricsText(syntheticCapture({ cpus: 3, intervals: 2, unavailable: ['unlazyFails'] }), perCpu, 'prometheus');
    const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
  }
});
