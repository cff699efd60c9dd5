// Capture flags over a config file (mergeConfig): a flag given replaces the file's key, the rest comes from the
// file, then the defaults; --cmd alone means --workload cmd; --trials is checked by parseTrials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaptureArgs } from '../../../cli/commands/capture-options.js';
import { parseTrials, timestamp } from '../../../cli/plans/plan-file.js';
import { UserError } from '../../../cli/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-options-'));
const cfg = join(dir, 'c.json');
writeFileSync(cfg, JSON.stringify({ schemaVersion: 1, parallel: 4, ballast: 2, duration: '5s', interval: '500ms', cmd: 'true', out: 'file.json', lockrefStrategy: 'contention' }));

test('flags replace the config file\'s keys; the others come from the file', () => {
  const { options, json } = parseCaptureArgs(['--config', cfg, '--parallel', '2', '--out', 'flag.json']);
  assert.deepEqual(options.settings, { workload: 'cmd', command: 'true', parallel: 2, ballast: 2, durationMs: 5000, intervalMs: 500 });
  assert.equal(options.out, 'flag.json');
  assert.equal(options.lockrefStrategy, 'contention');
  assert.equal(json, false);
});

test('--cmd as a flag means --workload cmd over the file\'s workload; --workload ps with the file\'s cmd is refused', () => {
  writeFileSync(join(dir, 'ps.json'), JSON.stringify({ schemaVersion: 1, workload: 'ps' }));
  assert.equal(parseCaptureArgs(['--config', join(dir, 'ps.json'), '--cmd', 'ls']).options.settings.command, 'ls');
  assert.throws(() => parseCaptureArgs(['--config', cfg, '--workload', 'ps']), (e: unknown) => e instanceof UserError && e.message === '--cmd goes with --workload cmd, not ps');
});

test('--trials: 1..1000 whole numbers, one message; the timestamp of default file names', () => {
  assert.equal(parseTrials(undefined, 1), 1);
  assert.equal(parseTrials('7', 1), 7);
  for (const bad of ['0', '1001', '2.5', 'x', '-1']) assert.throws(() => parseTrials(bad, 1), (e: unknown) => e instanceof UserError && e.message === `--trials must be a whole number from 1 to 1000, got '${bad}'`);
  assert.equal(timestamp(new Date(2026, 0, 2, 3, 4, 5)), '20260102-030405');
});
