// CSV/NDJSON export of SYNTHETIC captures, parsed back with csv-parse and checked column by column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { checkCsvTablesDir, toCsv, toNdjson, writeCaptureCsvTables } from '../../../cli/export/csv.js';
import { COLUMNS, FIELD_COLUMNS, TABLES } from '../../../cli/export/tables.js';
import { syntheticCapture } from '../compare/synthetic.js';

const num = (s: string) => (s === '' ? null : Number(s));

test('intervals: RFC 4180 (CRLF, header), one row per interval x CPU, every field column equals the capture', () => {
  const c = syntheticCapture({ cpus: 3, intervals: 7, unavailable: ['prRcuCalls'] });
  const text = toCsv(c, 'intervals');
  assert.ok(text.includes('\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...COLUMNS.intervals]);
  assert.equal(rows.length, 7 * 3);
  let i = 0;
  for (const iv of c.intervals) {
    for (const r of iv.cpus) {
      const row = rows[i++]!;
      assert.equal(Number(row.seq), iv.seq);
      assert.equal(Number(row.cpu), r.cpu);
      assert.equal(Number(row.start_ms), iv.startMs);
      for (const [f, col] of FIELD_COLUMNS) assert.equal(num(row[col]!), r[f], `${col} interval ${iv.seq} cpu ${r.cpu}`);
      assert.equal(row.pr_rcu_calls, '', 'unavailable metric: empty cell');
      assert.equal(Number(row.runs), iv.runs);
      assert.ok(Math.abs(Number(row.runs_per_s) - iv.runs! / ((iv.endMs - iv.startMs) / 1000)) < 1e-9);
      assert.ok(Math.abs(Number(row.spin_ms_per_s) - r.lockrefNs! / 1e6 / ((iv.endMs - iv.startMs) / 1000)) < 1e-9, 'the catalogue metric by its stable name');
    }
  }
});

test('cpus, histogram and resolution tables parse back with the capture values', () => {
  const c = syntheticCapture({ cpus: 2, intervals: 5 });
  c.resolution[0]!.rejected = [{ strategy: 'direct', reason: 'kprobes off, "quoted", comma, and\nnewline' }];
  const cpus = parse(toCsv(c, 'cpus'), { columns: true }) as Record<string, string>[];
  assert.equal(cpus.length, 2);
  for (const [k, r] of c.totals.cpus.entries()) for (const [f, col] of FIELD_COLUMNS) assert.equal(num(cpus[k]![col]!), r[f], col);
  const hist = parse(toCsv(c, 'histogram'), { columns: true }) as Record<string, string>[];
  const h = c.histograms.lockrefNs;
  assert.equal(hist.length, h.all.length + h.cpus.reduce((a, x) => a + x.buckets.length, 0));
  assert.deepEqual(hist.slice(0, h.all.length).map((r) => [r.scope, r.cpu, num(r.min_ns!), num(r.max_ns!), num(r.count!)]), h.all.map((b) => ['all', '', b.min, b.max, b.count]));
  const res = parse(toCsv(c, 'resolution'), { columns: true }) as Record<string, string>[];
  assert.equal(res.length, c.resolution.length);
  assert.equal(res[0]!.rejected, 'direct: kprobes off, "quoted", comma, and\nnewline');
  assert.equal(res[0]!.target, c.resolution[0]!.target);
});

test('NDJSON: one object per line with the CSV columns, null for unavailable', () => {
  const c = syntheticCapture({ cpus: 2, intervals: 3, unavailable: ['prEchild'] });
  const lines = toNdjson(c, 'intervals').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 6);
  assert.deepEqual(Object.keys(lines[0]!), [...COLUMNS.intervals]);
  assert.equal(lines[0]!.pr_echild, null);
  assert.equal(lines[0]!.echild_per_s, null);
  assert.equal(lines[1]!.lockref_ns, c.intervals[0]!.cpus[1]!.lockrefNs);
});

test('writeCaptureCsvTables writes every table, and nothing else (no temp files left)', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'rcuwalk-export-')), 'sub');
  const c = syntheticCapture({ cpus: 2, intervals: 4 });
  const files = await writeCaptureCsvTables(c, dir);
  assert.deepEqual(readdirSync(dir).sort(), TABLES.map((t) => `${t}.csv`).sort());
  assert.equal(files.length, TABLES.length);
  assert.equal(readFileSync(join(dir, 'intervals.csv'), 'utf8'), toCsv(c, 'intervals'));
  await assert.rejects(writeCaptureCsvTables(c, dir), /intervals\.csv exists/);
  assert.throws(() => checkCsvTablesDir(dir, false), /intervals\.csv exists/);
  checkCsvTablesDir(dir, true);
  await writeCaptureCsvTables(c, dir, { force: true });
  assert.deepEqual(readdirSync(dir).sort(), TABLES.map((t) => `${t}.csv`).sort(), 'no temp files left');
  assert.throws(() => checkCsvTablesDir(join(dir, 'intervals.csv'), true), /not a directory|cannot create/);
});
