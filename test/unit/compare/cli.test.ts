// The compare/export/report/ab/sweep commands end to end on SYNTHETIC capture files: outputs, exit codes, one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../../helpers/cli.js';
import { EXIT } from '../../../cli/exit-codes.js';
import { syntheticCapture } from './synthetic.js';
import { schemaErrors } from './schema-check.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-cli-'));
const A = join(dir, 'a.json'), B = join(dir, 'b.json');
writeFileSync(A, JSON.stringify(syntheticCapture({ seed: 1 })));
writeFileSync(B, JSON.stringify(syntheticCapture({ seed: 2, echildPerRun: 80 })));

/** An error is one 'rcuwalk: ...' line plus one '  next: ...' line. */
function assertOneLineError(stderr: string, re: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, stderr);
  assert.match(lines[0]!, re);
  assert.match(lines[1]!, /^ {2}next: /);
}

test('compare: table by default, exit 0; json is schema-valid; csv parses', () => {
  const t = runCli(['compare', A, B]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /echild_per_run\s+\/run\s+\S+\s+\S+\s+\+\d+\.\d%/);
  const j = runCli(['compare', A, B, '--format', 'json', '--per-cpu']);
  assert.equal(j.code, 0);
  assert.deepEqual(schemaErrors('comparison.schema.json', JSON.parse(j.stdout)), []);
  const c = runCli(['compare', '--base', A, '--cand', B, '--format', 'csv']);
  assert.equal((parse(c.stdout, { columns: true }) as unknown[]).length, JSON.parse(j.stdout).metrics.length);
});

test('compare: a tripped gate exits 8 and says which; an untripped one exits 0', () => {
  const r = runCli(['compare', A, B, '--fail-if', 'runs_per_s < -50%', '--fail-if', 'echild_per_run > +10% and significant']);
  assert.equal(r.code, EXIT.gate);
  assert.match(r.stderr, /^rcuwalk: --fail-if 'echild_per_run > \+10% and significant' tripped: change \+\d/m);
  assert.doesNotMatch(r.stderr, /runs_per_s/);
  assert.equal(runCli(['compare', A, A, '--fail-if', 'echild_per_run > +10%']).code, 0);
});

test('compare: bad input is one clear line and exit 2', () => {
  assertOneLineError(runCli(['compare', A, B, '--fail-if', 'echild_per_run >> 10']).stderr, /bad --fail-if 'echild_per_run >> 10': bad value '>'|bad --fail-if .*'>'/);
  const bad = runCli(['compare', A, B, '--fail-if', 'echild > +1%']);
  assert.equal(bad.code, EXIT.usage);
  assertOneLineError(bad.stderr, /unknown metric 'echild'/);
  assert.equal(runCli(['compare', A, join(dir, 'nope.json')]).code, EXIT.usage);
  writeFileSync(join(dir, 'half.json'), readFileSync(A, 'utf8').slice(0, 500));
  const half = runCli(['compare', A, join(dir, 'half.json')]);
  assert.equal(half.code, EXIT.usage);
  assertOneLineError(half.stderr, /half\.json is not valid JSON/);
  assert.equal(runCli(['compare', A, B, '--alpha', '2']).code, EXIT.usage);
  assert.equal(runCli(['compare', A, B, '--format', 'xml']).code, EXIT.usage);
  assert.equal(runCli(['compare', A]).code, EXIT.usage);
});

test('compare -o writes atomically and refuses to overwrite without --force (exit 7)', () => {
  const out = join(dir, 'cmp.json');
  assert.equal(runCli(['compare', A, B, '--format', 'json', '-o', out]).code, 0);
  assert.ok(JSON.parse(readFileSync(out, 'utf8')).metrics.length > 0);
  assert.equal(runCli(['compare', A, B, '-o', out]).code, EXIT.output);
  assert.equal(runCli(['compare', A, B, '-o', out, '--force']).code, 0);
});

test('export: csv tables, ndjson, --dir, and exit codes', () => {
  const csv = runCli(['export', A, '--csv', '--table', 'cpus']);
  assert.equal(csv.code, 0);
  assert.equal((parse(csv.stdout, { columns: true }) as unknown[]).length, 4);
  const nd = runCli(['export', A, '--ndjson']);
  assert.equal(nd.stdout.trimEnd().split('\n').length, 30 * 4);
  const d = join(dir, 'tables');
  assert.equal(runCli(['export', A, '--dir', d]).code, 0);
  assert.deepEqual(readdirSync(d).sort(), ['cpus.csv', 'histogram.csv', 'intervals.csv', 'resolution.csv']);
  assert.equal(runCli(['export', A, '--table', 'nope']).code, EXIT.usage);
  assert.equal(runCli(['export', A, '--csv', '--ndjson']).code, EXIT.usage);
  const o = join(dir, 'i.csv');
  assert.equal(runCli(['export', A, '-o', o]).code, 0);
  assert.equal(runCli(['export', A, '-o', o]).code, EXIT.output);
});

test('report: writes the HTML; needs -o', () => {
  const out = join(dir, 'r.html');
  const r = runCli(['report', B, A, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(out, 'utf8'), /<svg class="chart/);
  assert.equal(runCli(['report', B]).code, EXIT.usage);
  assert.equal(runCli(['report', B, '-o', out]).code, EXIT.output);
});

test('ab and sweep refuse bad flags and existing outputs before any capture starts', () => {
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ schemaVersion: 1, duration: '2s' }));
  assertOneLineError(runCli(['ab', '--a', cfg]).stderr, /ab needs two capture configs/);
  assert.equal(runCli(['ab', '--a', cfg, '--b', cfg, '--trials', '0']).code, EXIT.usage);
  assert.equal(runCli(['ab', '--a', cfg, '--b', cfg, '--fail-if', 'nope > 1']).code, EXIT.usage);
  const out = join(dir, 'abdir');
  writeFileSync(join(dir, 'marker'), '');
  runCli(['export', A, '--dir', out]); // creates the folder
  writeFileSync(join(out, 'a-1.json'), '{}');
  const ex = runCli(['ab', '--a', cfg, '--b', cfg, '--trials', '1', '--out-dir', out]);
  assert.equal(ex.code, EXIT.output, ex.stderr);
  assertOneLineError(ex.stderr, /a-1\.json exists/);
  assertOneLineError(runCli(['sweep', '--parallel', '1,x']).stderr, /bad --parallel '1,x': 'x' is not a whole number/);
  assertOneLineError(runCli(['sweep']).stderr, /sweep needs --parallel/);
  assert.equal(runCli(['sweep', '--parallel', '1,2', '--out', 'x.json']).code, EXIT.usage);
  const plan = join(dir, 'plan.json');
  writeFileSync(plan, JSON.stringify({ schemaVersion: 1, kind: 'sweep', parallel: [1, 2] }));
  assertOneLineError(runCli(['ab', '--plan', plan]).stderr, /is a 'sweep' plan, not 'ab'/);
  writeFileSync(plan, JSON.stringify({ schemaVersion: 1, kind: 'ab', a: 'cfg.json' }));
  assert.equal(runCli(['ab', '--plan', plan]).code, EXIT.usage);
  assert.ok(!existsSync(join(dir, 'rcuwalk-ab')));
});

test('stdout: a reader that quits early (| head) ends output quietly, exit 0; a full disk is exit 7', () => {
  const big = join(dir, 'big.json');
  writeFileSync(big, JSON.stringify(syntheticCapture({ cpus: 16, intervals: 600 })));
  const p = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" export "${big}" --ndjson | head -1 >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  assert.equal(p.stderr, '');
  if (existsSync('/dev/full')) {
    const f = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" export "${A}" > /dev/full`], { encoding: 'utf8' });
    assert.equal(f.status, EXIT.output);
    assertOneLineError(f.stderr, /cannot write to standard output: ENOSPC/);
  }
});
