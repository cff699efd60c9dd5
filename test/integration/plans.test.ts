// ab and sweep with the real engine on this machine (contention strategy): files, schemas, nothing left running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCapture, validateWith } from '../../cli/schema/validate.js';
import { captureUnsupportedReason, rcuwalkProcesses, runCli } from '../helpers/cli.js';

const reason = captureUnsupportedReason();
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-plans-'));
const loadJson = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

test('ab: A B A B with 1 and 2 workers, every capture valid and marked with its trial, a schema-valid comparison', { skip: reason ?? false, timeout: 300_000 }, () => {
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify({ schemaVersion: 1, parallel: 1, duration: '2s', lockrefStrategy: 'contention' }));
  writeFileSync(b, JSON.stringify({ schemaVersion: 1, parallel: 2, duration: '2s', lockrefStrategy: 'contention' }));
  const out = join(dir, 'ab');
  const r = runCli(['ab', '--a', a, '--b', b, '--trials', '2', '--out-dir', out, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  for (const side of ['a', 'b']) {
    for (const i of [1, 2]) {
      const c = validateCapture(loadJson(join(out, `${side}-${i}.json`)), `${side}-${i}`);
      assert.equal(c.settings.parallel, side === 'a' ? 1 : 2);
      assert.equal(c.trial?.index, i);
      assert.ok((c.totals.runs ?? 0) > 0);
    }
  }
  validateWith('comparison.schema.json', loadJson(join(out, 'comparison.json')), 'comparison.json');
  assert.deepEqual(rcuwalkProcesses(), []);
});

test('sweep --parallel 1,2: one capture per point, a schema-valid sweep with runs/s per point', { skip: reason ?? false, timeout: 300_000 }, () => {
  const out = join(dir, 'sweep');
  const r = runCli(['sweep', '--parallel', '1,2', '-d', '2s', '--lockref-strategy', 'contention', '--out-dir', out]);
  assert.equal(r.code, 0, r.stderr);
  const s = validateWith<{ points: { parallel: number }[] }>('sweep.schema.json', loadJson(join(out, 'sweep.json')), 'sweep.json');
  assert.deepEqual(s.points.map((p) => p.parallel), [1, 2]);
  for (const p of [1, 2]) assert.equal(validateCapture(loadJson(join(out, `p${p}-1.json`)), `p${p}`).settings.parallel, p);
  assert.match(r.stdout, /runs\/s/i);
  assert.deepEqual(rcuwalkProcesses(), []);
});
