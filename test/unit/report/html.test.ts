// The HTML report from SYNTHETIC captures: charts present, untrusted strings escaped, nothing fetched from the network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../../cli/report/html.js';
import { niceTicks, lineChart } from '../../../cli/report/svg.js';
import { syntheticCapture } from '../compare/synthetic.js';
import { schemaErrors } from '../compare/schema-check.js';
import { syntheticSweep } from './synthetic-sweep.js';

test('synthetic sweep is schema-valid', () => { assert.deepEqual(schemaErrors('sweep.schema.json', syntheticSweep()), []); });

test('report holds the timeline, per-CPU, histogram and sweep charts; comparison with a baseline', () => {
  const run = { file: 'run.json', capture: syntheticCapture({ seed: 2, echildPerRun: 80 }) };
  const base = { file: 'base.json', capture: syntheticCapture({ seed: 1 }) };
  const html = buildReport({ run, base, sweep: { file: 'sweep.json', sweep: syntheticSweep() } });
  for (const id of ['timeline-runs_per_s', 'timeline-echild_per_s', 'timeline-spin_ms_per_s', 'timeline-spinlock_ms_per_s', 'cpu-echild', 'cpu-spin', 'cpu-sys', 'spin-histogram', 'sweep-runs_per_s', 'sweep-echild_per_s', 'sweep-spin_ms_per_s', 'sweep-spinlock_ms_per_s']) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
  assert.equal((html.match(/<svg class="chart/g) ?? []).length, 12);
  assert.match(html, /class="comparison"/);
  assert.match(html, /\+99\.\d%/, 'the 2x ECHILD change is shown');
  // 30 intervals -> 30 points on each timeline series (one M, 29 L)
  const path = /id="timeline-runs_per_s".*?<path class="series" data-series="[^"]*" d="([^"]*)"/s.exec(html)![1]!;
  assert.equal((path.match(/[ML]/g) ?? []).length, 30);
});

test('no network: every URL is the SVG namespace; a CSP forbids fetches', () => {
  const html = buildReport({ run: { file: 'r.json', capture: syntheticCapture() }, base: null, sweep: null });
  const urls = html.match(/(https?:)?\/\/[^\s"'<>)]+/g) ?? [];
  assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg']);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!/<(link|img|iframe)\b/.test(html));
  assert.ok(!/<script[^>]+src=/.test(html));
  // no script at all: the CSP allows none (script-src falls back to default-src 'none')
  assert.ok(!/<script/i.test(html), 'no script element');
  assert.ok(!/script-src|'unsafe-inline'[^;]*script/.test(html.slice(0, html.indexOf('</head>'))), 'no script-src in the CSP');
});

test('strings from the capture are escaped', () => {
  const c = syntheticCapture();
  c.host.hostname = '<script>alert(1)</script>';
  c.resolution[0]!.reason = '"quoted" & <b>bold</b>';
  const html = buildReport({ run: { file: 'x<y>.json', capture: c }, base: null, sweep: null });
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;'));
});

test('unavailable metrics render as "unavailable", not as zero lines', () => {
  const c = syntheticCapture({ unavailable: ['prEchild'], lockrefStrategy: 'unavailable' });
  const html = buildReport({ run: { file: 'r.json', capture: c }, base: null, sweep: null });
  const chart = /<svg[^>]*id="timeline-echild_per_s".*?<\/svg>/s.exec(html)![0];
  assert.match(chart, /unavailable on this run/);
  assert.match(chart, /d=""/);
});

test('niceTicks cover the range with round steps', () => {
  assert.deepEqual(niceTicks(0, 97), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 0), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const t = niceTicks(3, 12345);
  assert.ok(t[0]! <= 3 && t[t.length - 1]! >= 12345);
  assert.ok(lineChart({ id: 'x', title: 't', xLabel: 'x', yLabel: 'y' }, []).startsWith('<svg'));
});

test('sweep points with several trials get min..max whiskers', () => {
  const html = buildReport({ run: null, base: null, sweep: { file: 's.json', sweep: syntheticSweep() } });
  const chart = /<svg[^>]*id="sweep-spinlock_ms_per_s".*?<\/svg>/s.exec(html)![0];
  assert.equal((chart.match(/<line class="range"/g) ?? []).length, 4);
  assert.equal((chart.match(/<circle class="point"/g) ?? []).length, 4);
});
