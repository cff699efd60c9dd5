import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, mergeConfig, parseDuration } from '../../../cli/capture/load-config.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-config-'));
const usage = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === EXIT.usage && re.test(e.message);

test('durations', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('30'), 30_000, 'a bare number is seconds');
  assert.equal(parseDuration(' 10s '), 10_000);
  assert.equal(parseDuration('168h'), 7 * 24 * 3_600_000);
  assert.throws(() => parseDuration('0s'), usage(/longer than 0/));
  assert.throws(() => parseDuration('0'), usage(/longer than 0/));
  assert.throws(() => parseDuration('-5s'), usage(/positive/));
  assert.throws(() => parseDuration('169h'), usage(/longer than 7 days/));
  assert.throws(() => parseDuration('30x', 'interval'), usage(/--interval '30x' is not a duration/));
  assert.throws(() => parseDuration(''), usage(/not a duration/));
});

test('a valid config file loads; errors name the file and the JSON path', () => {
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ schemaVersion: 1, workload: 'cmd', cmd: 'ls -R /proc', parallel: 8, duration: '10s', interval: '500ms', lockrefStrategy: 'contention' }));
  assert.deepEqual(loadConfig(good), { schemaVersion: 1, workload: 'cmd', cmd: 'ls -R /proc', parallel: 8, duration: '10s', interval: '500ms', lockrefStrategy: 'contention' });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ schemaVersion: 1, parallel: 1.5 }));
  assert.throws(() => loadConfig(bad), usage(/^bad\.json: \/parallel must be integer$/));
  writeFileSync(bad, JSON.stringify({ schemaVersion: 1, paralel: 2 }));
  assert.throws(() => loadConfig(bad), usage(/^bad\.json: \/ has an unknown property 'paralel'$/));
  writeFileSync(bad, JSON.stringify({ schemaVersion: 1, duration: '0s' }));
  assert.throws(() => loadConfig(bad), usage(/^bad\.json: \/duration must be longer than 0/));
  writeFileSync(bad, JSON.stringify({ schemaVersion: 1, duration: '30d' }));
  assert.throws(() => loadConfig(bad), usage(/^bad\.json: \/duration must match pattern/));
  writeFileSync(bad, JSON.stringify({ schemaVersion: 3 }));
  assert.throws(() => loadConfig(bad), usage(/schemaVersion 3 is not supported/));
  writeFileSync(bad, '{"schemaVersion": 1, "parallel": ');
  assert.throws(() => loadConfig(bad), usage(/is not valid JSON \(the file looks truncated\)/));
  assert.throws(() => loadConfig(join(dir, 'missing.json')), usage(/cannot read .*missing\.json: no such file/));
});

test('flags win over the file; --cmd implies workload cmd', () => {
  const file = { schemaVersion: 1 as const, duration: '10s', parallel: 4, workload: 'ps' as const };
  assert.deepEqual(mergeConfig(file, { duration: '2s', parallel: undefined }), { schemaVersion: 1, duration: '2s', parallel: 4, workload: 'ps' });
  assert.equal(mergeConfig(file, { cmd: 'true' }).workload, 'cmd');
});
