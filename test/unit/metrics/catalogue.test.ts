// The metric catalogue read by every output, on REAL captures recorded in the qemu rig (test/fixtures/vm/:
// Debian 5.10 before "proc: allow pid_revalidate() during LOOKUP_RCU", 6.1 after; SOURCE.txt says how).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../cli/paths.js';
import { parse } from 'csv-parse/sync';
import { METRICS, formatValue, metric, type MetricDef } from '../../../cli/metrics/catalogue.js';
import { COUNTERS } from '../../../cli/metrics/counters.js';
import { intervalSample, runSecs, runValue } from '../../../cli/metrics/capture-values.js';
import { verdict } from '../../../cli/metrics/verdict.js';
import { compareCaptures } from '../../../cli/compare/compare.js';
import { formatCsv } from '../../../cli/compare/format.js';
import { toCsv } from '../../../cli/export/csv.js';
import { buildReport } from '../../../cli/report/html.js';
import { summaryLines } from '../../../cli/commands/capture-summary.js';
import { columnMetrics, metricValues, rowMetrics, METRIC_COLUMNS } from '../../../cli/tui/view-model/column-metrics.js';
import { loadCapture } from '../../../cli/schema/validate.js';
import { VM_FIXTURES } from '../compare/vm-replay.js';

const BEFORE = '5.10.0-46-amd64', AFTER = '6.1.0-56-amd64';
const load = (release: string) => ({ file: `${release}/capture.json`, capture: loadCapture(join(VM_FIXTURES, release, 'capture.json')) });

test('the catalogue: unique stable names, every field a counter, every non-histogram metric a formula', () => {
  assert.equal(new Set(METRICS.map((m) => m.id)).size, METRICS.length);
  const fields = new Set(COUNTERS.map((c) => c.field));
  for (const m of METRICS) {
    for (const f of m.fields) assert.ok(fields.has(f), `${m.id}: ${f}`);
    assert.ok(m.histogram || m.value, `${m.id} has neither a formula nor a histogram quantile`);
    assert.ok(!(m.perCpu && m.usesRuns), `${m.id}: runs are not per CPU`);
  }
  const prom = COUNTERS.flatMap((c) => (c.prom ? [`${c.prom.name}${JSON.stringify(c.prom.labels ?? {})}`] : []));
  assert.equal(new Set(prom).size, prom.length, 'Prometheus name + labels unique');
  for (const c of COUNTERS) if (c.prom?.type === 'counter') assert.match(c.prom.name, /_total$/, c.field);
});

// Expected values worked out by hand from the 5.10 capture's recorded counters (copied below from
// test/fixtures/vm/5.10.0-46-amd64/capture.json; the first assertion checks they are still what it holds), so the
// catalogue is checked against arithmetic, not against itself. null: a counter this capture did not measure
// (lockrefWaits, spinWaits, spinNs: lockref timed by the callsite strategy), or runs asked of one CPU.
const RUN_SECS = 8658.9788 / 1000; // run.elapsedMs
const IV_SECS = (2668.17621 - 1654.70696) / 1000; // intervals[3]: endMs - startMs

const BY_HAND: Record<string, { run: number | null; cpu0: number | null; interval3?: number | null }> = {
  runs_per_s: { run: 7 / RUN_SECS, cpu0: null, interval3: 1 / IV_SECS },
  sys_pct: { run: 73.61376673040154, cpu0: 81.03837471783295, interval3: (72.61904761904762 + 65.55555555555556) / 2 },
  // 100 - idle (/proc/stat idle + iowait): the run's idlePct, CPU 0's, and interval 3's two CPUs' mean
  busy_pct: { run: 100 - 6.405353728489484, cpu0: 100 - 8.352144469525959, interval3: 100 - (8.333333333333332 + 11.11111111111111) / 2 },
  pr_calls_per_s: { run: 39182 / RUN_SECS, cpu0: 11583 / RUN_SECS, interval3: (5234 + 4375) / IV_SECS },
  echild_per_s: { run: 15255 / RUN_SECS, cpu0: 4346 / RUN_SECS, interval3: (1963 + 2184) / IV_SECS },
  echild_share_pct: { run: (100 * 15255) / 39182, cpu0: (100 * 4346) / 11583, interval3: (100 * (1963 + 2184)) / (5234 + 4375) },
  echild_per_run: { run: 15255 / 7, cpu0: null, interval3: (1963 + 2184) / 1 },
  unlazy_calls_per_s: { run: (16684 + 113) / RUN_SECS, cpu0: (4865 + 42) / RUN_SECS, interval3: (2069 + 2295 + 7 + 14) / IV_SECS },
  unlazy_fails_per_s: { run: 0, cpu0: 0, interval3: 0 },
  unlazy_next_per_run: { run: 16684 / 7, cpu0: null, interval3: (2069 + 2295) / 1 },
  unlazy_next_fails_per_run: { run: 0, cpu0: null, interval3: 0 },
  unlazy_per_run: { run: 113 / 7, cpu0: null, interval3: (7 + 14) / 1 },
  unlazy_fails_per_run: { run: 0, cpu0: null, interval3: 0 },
  lockref_calls_per_s: { run: 50712 / RUN_SECS, cpu0: 14820 / RUN_SECS, interval3: (6264 + 6919) / IV_SECS },
  lockref_waits_per_s: { run: null, cpu0: null, interval3: null },
  spin_ms_per_s: { run: 518430150 / 1e6 / RUN_SECS, cpu0: 100473060 / 1e6 / RUN_SECS, interval3: (42525930 + 34525500) / 1e6 / IV_SECS },
  // ns spun over the CPU time of the CPUs covered (2 for the run, 1 for CPU 0)
  spin_pct_of_cpu: { run: (100 * 518430150) / (RUN_SECS * 1e9 * 2), cpu0: (100 * 100473060) / (RUN_SECS * 1e9), interval3: (100 * (42525930 + 34525500)) / (IV_SECS * 1e9 * 2) },
  spinlock_waits_per_s: { run: null, cpu0: null, interval3: null },
  spinlock_ms_per_s: { run: null, cpu0: null, interval3: null },
  // log2 buckets, the upper edge of the bucket holding the rank. Run: 50811 waits; the 25406th (p50) is in
  // [2048, 4095] (28 + 47030 = 47058 >= 25406); the 50303rd (p99): 47058 + 2434 = 49492 < 50303 <= 49492 + 824 =
  // 50316, [8192, 16383]. CPU 0: 14912 waits; p50 the 7456th, 4 + 13321 = 13325 >= 7456, [2048, 4095]; p99 the
  // 14763rd: 13325 + 990 + 390 = 14705 < 14763 <= 14705 + 123 = 14828, [16384, 32767]. No quantile per interval.
  spin_p50_ns: { run: 4095, cpu0: 4095 },
  spin_p99_ns: { run: 16383, cpu0: 32767 },
  spin_max_ns: { run: 21546460, cpu0: 4574270, interval3: Math.max(4123490, 3181150) },
};

test('every metric of the 5.10 capture equals its value worked out by hand: the run, CPU 0, and one interval', () => {
  const c = load(BEFORE).capture;
  const counters = (r: object) => Object.fromEntries(Object.entries(r).filter(([k]) => ['prCalls', 'prEchild', 'unlazyNextCalls', 'unlazyCalls', 'lockrefCalls', 'lockrefNs', 'lockrefMaxNs', 'sysPct', 'idlePct'].includes(k)));
  // the recorded counters the values above are worked out from
  assert.deepEqual([c.run.elapsedMs, c.totals.runs, c.totals.cpus.length], [8658.978799999997, 7, 2]);
  assert.deepEqual(counters(c.totals.all), { prCalls: 39182, prEchild: 15255, unlazyNextCalls: 16684, unlazyCalls: 113, lockrefCalls: 50712, lockrefNs: 518430150, lockrefMaxNs: 21546460, sysPct: 73.61376673040154, idlePct: 6.405353728489484 });
  assert.deepEqual(counters(c.totals.cpus.find((r) => r.cpu === 0)!), { prCalls: 11583, prEchild: 4346, unlazyNextCalls: 4865, unlazyCalls: 42, lockrefCalls: 14820, lockrefNs: 100473060, lockrefMaxNs: 4574270, sysPct: 81.03837471783295, idlePct: 8.352144469525959 });
  const iv = c.intervals[3]!;
  assert.deepEqual([iv.startMs, iv.endMs, iv.runs, iv.cpus.map(counters)], [1654.706959999996, 2668.176209999998, 1, [
    { prCalls: 5234, prEchild: 1963, unlazyNextCalls: 2069, unlazyCalls: 7, lockrefCalls: 6264, lockrefNs: 42525930, lockrefMaxNs: 4123490, sysPct: 72.61904761904762, idlePct: 8.333333333333332 },
    { prCalls: 4375, prEchild: 2184, unlazyNextCalls: 2295, unlazyCalls: 14, lockrefCalls: 6919, lockrefNs: 34525500, lockrefMaxNs: 3181150, sysPct: 65.55555555555556, idlePct: 11.11111111111111 },
  ]]);
  assert.ok(iv.cpus.every((r) => r.unlazyNextFails === 0 && r.unlazyFails === 0 && r.lockrefWaits === null && r.spinWaits === null && r.spinNs === null), 'no unlazy failures, waits or spin time measured');

  assert.deepEqual(Object.keys(BY_HAND).sort(), METRICS.map((m) => m.id).sort(), 'a value by hand for every metric of the catalogue');
  const near = (got: number | null, want: number | null, what: string) => {
    if (want === null) return assert.equal(got, null, what);
    assert.ok(got !== null && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${got}, by hand ${want}`);
  };
  for (const m of METRICS) {
    const want = BY_HAND[m.id]!;
    near(runValue(c, m), want.run, `${m.id} over the run`);
    near(runValue(c, m, 0), want.cpu0, `${m.id} on CPU 0`);
    if (m.value) near(m.value(intervalSample(iv)), want.interval3 ?? null, `${m.id} in interval 3`);
  }
});

test('every output names the same metrics with the same values (5.10 VM capture)', () => {
  const run = load(BEFORE);
  const c = run.capture;
  // compare: every catalogue metric, by id, label and unit, in catalogue order
  const cmp = compareCaptures([run], [run]);
  assert.deepEqual(cmp.metrics.map((m) => [m.metric, m.label, m.unit, m.direction]), METRICS.map((m) => [m.id, m.label, m.unit, m.direction]));
  const csvCmp = parse(formatCsv(cmp), { columns: true }) as Record<string, string>[];
  assert.deepEqual(csvCmp.map((r) => r.metric), METRICS.map((m) => m.id));

  // CSV cpus table: each per-CPU metric column equals the catalogue's whole-run value for that CPU
  const rows = parse(toCsv(c, 'cpus'), { columns: true }) as Record<string, string>[];
  const perCpu = METRICS.filter((m) => m.perCpu && m.value);
  let checked = 0;
  for (const r of rows) {
    for (const m of perCpu) {
      assert.ok(m.id in r, `CSV has no column ${m.id}`);
      const want = runValue(c, m, Number(r.cpu));
      const got = r[m.id] === '' ? null : Number(r[m.id]);
      if (want === null) { assert.equal(got, null, `${m.id} cpu ${r.cpu}`); continue; }
      assert.ok(Math.abs(got! - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${m.id} cpu ${r.cpu}: csv ${got} catalogue ${want}`);
      checked++;
    }
  }
  assert.ok(checked >= 2 * 8, `${checked} CSV cells checked`);

  // the report's summary: every metric by name, its whole-run value formatted by the catalogue
  const html = buildReport({ run, base: null, sweep: null });
  for (const m of METRICS) {
    const v = runValue(c, m);
    const cell = v === null ? 'unavailable' : formatValue(m, v);
    assert.ok(html.includes(`<td>${m.label}</td><td class="num">${v === null ? '<span' : cell}`), `report summary row of ${m.id}`);
    if (v !== null) assert.ok(html.includes(cell), `${m.id} = ${cell} in the report`);
  }
  assert.doesNotMatch(html, /\d\.\d+e\d+ ?ns/, 'no 1.194e7 ns in the report');

  // the capture summary and the live UI's table: per-CPU values of the same metrics
  const lines = summaryLines(c);
  for (const cpu of c.totals.cpus) {
    const line = lines.find((l) => l.startsWith(`${cpu.cpu} `))!;
    for (const id of ['echild_per_s', 'spin_ms_per_s', 'spin_max_ns']) assert.ok(line.includes(formatValue(metric(id), runValue(c, metric(id), cpu.cpu))), `summary cpu ${cpu.cpu} ${id}: ${line}`);
    const cols = columnMetrics(c.resolution.find((r) => r.target === 'lockref')?.strategy ?? null);
    const tui = metricValues(rowMetrics(cols), cpu, runSecs(c));
    for (const k of METRIC_COLUMNS) assert.equal(tui[cols[k].id], runValue(c, cols[k], cpu.cpu), `TUI column ${k} (${cols[k].id}) cpu ${cpu.cpu}`);
  }
  assert.ok(runValue(c, metric('echild_per_s'))! > 0, '5.10 falls out of RCU-walk');
});

test('adding a metric is one catalogue entry: a fake one shows in compare, CSV and the report', () => {
  const fake: MetricDef = {
    id: 'fake_rcu_calls_per_s', label: 'pid_revalidate calls under LOOKUP_RCU/s (test)', short: 'rcu/s', unit: '/s', fields: ['prRcuCalls'],
    direction: 'neutral', perCpu: true, value: (s) => (s.agg.prRcuCalls === null || !(s.secs > 0) ? null : s.agg.prRcuCalls / s.secs),
  };
  const metrics = [...METRICS, fake];
  const run = load(BEFORE), base = load(AFTER);
  const cmp = compareCaptures([base], [run], { metrics });
  const row = cmp.metrics.find((m) => m.metric === fake.id)!;
  assert.equal(row.status, 'compared');
  assert.ok(row.candidate!.median > 0 && row.base!.median > 0);
  const csv = parse(toCsv(run.capture, 'cpus', metrics), { columns: true }) as Record<string, string>[];
  assert.equal(Number(csv[0]![fake.id]), runValue(run.capture, fake, Number(csv[0]!.cpu)));
  assert.ok(!(fake.id in (parse(toCsv(run.capture, 'cpus'), { columns: true }) as Record<string, string>[])[0]!), 'only in the copy');
  const html = buildReport({ run, base, sweep: null, metrics });
  assert.ok(html.includes(`<code>${fake.id}</code>`), 'report summary');
  assert.ok(html.includes(`<td>${fake.label}</td><td class="num">${formatValue(fake, row.base!.median)}`), 'report comparison');
});

test('better or worse by direction: the fix reads as improved (green) in compare and the report', () => {
  const run = load(AFTER), base = load(BEFORE);
  const cmp = compareCaptures([base], [run]);
  const by = (id: string) => cmp.metrics.find((m) => m.metric === id)!;
  assert.equal(by('echild_per_s').verdict, 'improved', 'ECHILD/s fell to zero');
  assert.equal(by('runs_per_s').verdict, 'improved', `runs/s rose: ${by('runs_per_s').changePct}% p=${by('runs_per_s').pValue}`);
  assert.ok(by('runs_per_s').changePct! > 0 && by('echild_per_s').changePct! < 0, 'one up, one down, both improved');
  const html = buildReport({ run, base, sweep: null });
  for (const id of ['runs_per_s', 'echild_per_s']) {
    const label = metric(id).label;
    const tr = html.split('<tr>').find((r) => r.startsWith(`<td>${label}</td>`) && r.includes('verdict') === false && r.includes('class="num improved"'));
    assert.ok(tr, `${id}: its comparison row is coloured improved`);
  }
  assert.match(html, /\.improved\{color:#070\}/, 'improved is green');
  assert.match(html, /\.regressed\{color:#b00\}/, 'regressed is red');
  // the reverse comparison (the fix undone) is regressed
  const back = compareCaptures([run], [base]);
  assert.equal(back.metrics.find((m) => m.metric === 'runs_per_s')!.verdict, 'regressed');
});

test('verdict: direction decides, not the sign; not significant is ~', () => {
  assert.equal(verdict('higher-better', 154, true), 'improved');
  assert.equal(verdict('lower-better', 154, true), 'regressed');
  assert.equal(verdict('lower-better', -100, true), 'improved');
  assert.equal(verdict('neutral', 20, true), 'changed');
  assert.equal(verdict('lower-better', 50, false), '~');
  assert.equal(verdict('lower-better', null, true), '~');
});

test('the README lists every metric of the catalogue with its direction', () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const words = { 'higher-better': 'higher', 'lower-better': 'lower', neutral: '-' } as const;
  for (const m of METRICS) assert.ok(readme.includes(`| \`${m.id}\` | ${m.label} | ${m.unit} | ${words[m.direction]} |`), `README row of ${m.id}`);
});
