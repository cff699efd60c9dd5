import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture, validateCapture, validateConfig, validateWith } from '../../../cli/schema/validate.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';
import { reduceAll } from '../../../cli/state/reducer.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import type { Capture } from '../../../cli/schema/types.generated.js';
import { contentionMeta, fixtureEvents, standinMeta } from '../capture/fixture-replay.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-schema-'));
const good = (): Capture => JSON.parse(JSON.stringify(toCapture(reduceAll(fixtureEvents('contention-6.18', contentionMeta()))))) as Capture;
const fails = (x: unknown, re: RegExp) => assert.throws(() => validateCapture(x, 'run.json'), (e: unknown) => e instanceof UserError && e.exitCode === EXIT.usage && re.test(e.message), String(re));

test('captures replayed from real recordings validate, and come back as they went in', () => {
  const contention = good();
  assert.doesNotThrow(() => validateCapture(contention, 'contention'));
  assert.equal(validateCapture(contention, 'contention'), contention);
  const standin = JSON.parse(JSON.stringify(toCapture(reduceAll(fixtureEvents('percpu-standin-6.18', standinMeta()))))) as Capture;
  assert.equal(validateCapture(standin, 'standin'), standin);
  assert.ok(standin.intervals.length > 0 && contention.intervals.length > 0);
});

test('bad captures fail with the JSON path of the first problem', () => {
  let c = good();
  (c.intervals[3]!.cpus[0] as { prCalls: unknown }).prCalls = 1.5;
  fails(c, /^run\.json: \/intervals\/3\/cpus\/0\/prCalls must be integer or null$/);
  c = good();
  (c.intervals[1]!.cpus[1] as { spinWaits: unknown }).spinWaits = -1;
  fails(c, /^run\.json: \/intervals\/1\/cpus\/1\/spinWaits must be >= 0$/);
  c = good();
  (c.intervals[0]!.cpus[0] as unknown as Record<string, unknown>).bogus = 1;
  fails(c, /^run\.json: \/intervals\/0\/cpus\/0 has an unknown property 'bogus'$/);
  c = good();
  (c.totals.all as unknown as Record<string, unknown>).cpu = 1;
  fails(c, /^run\.json: \/totals\/all has an unknown property 'cpu'$/);
  c = good();
  delete (c.run as Partial<Capture['run']>).endReason;
  fails(c, /^run\.json: \/run\/endReason is missing$/);
  c = good();
  (c.run as { endReason: string }).endReason = 'crashed';
  fails(c, /^run\.json: \/run\/endReason must be one of "duration", "interrupted", "error", "workload-exited"$/);
  c = good();
  (c.run as { startedAt: string }).startedAt = 'yesterday';
  fails(c, /^run\.json: \/run\/startedAt must match format "date-time"$/);
  c = good();
  (c.intervals[0]!.cpus[0] as { sysPct: unknown }).sysPct = 101;
  fails(c, /\/intervals\/0\/cpus\/0\/sysPct must be <= 100$/);
  fails([], /^run\.json: \/ must be object$/);
});

test('a wrong schemaVersion gets its own message', () => {
  const c = good() as unknown as Record<string, unknown>;
  c.schemaVersion = 3;
  assert.throws(() => validateCapture(c, 'run.json'), (e: unknown) => e instanceof UserError && e.message === 'run.json: schemaVersion 3 is not supported (this rcuwalk reads schemaVersion 1, 2)' && /newer rcuwalk/.test(e.next));
  assert.throws(() => validateConfig({ schemaVersion: 2 }, 'cfg.json'), (e: unknown) => e instanceof UserError && e.message === 'cfg.json: schemaVersion 2 is not supported (this rcuwalk reads schemaVersion 1)');
  c.schemaVersion = '1';
  assert.throws(() => validateCapture(c, 'run.json'), (e: unknown) => e instanceof UserError && /schemaVersion "1" is not supported/.test(e.message));
});

test('loadCapture: good file, truncated file, not JSON, empty, missing', () => {
  const p = join(dir, 'run.json');
  const text = JSON.stringify(good(), null, 1);
  writeFileSync(p, text);
  assert.equal(loadCapture(p).intervals.length, 7);
  writeFileSync(p, text.slice(0, text.length / 2));
  assert.throws(() => loadCapture(p), (e: unknown) => e instanceof UserError && /run\.json is not valid JSON \(the file looks truncated\)/.test(e.message) && !e.message.includes('\n'));
  writeFileSync(p, 'hello');
  assert.throws(() => loadCapture(p), (e: unknown) => e instanceof UserError && /is not valid JSON: /.test(e.message));
  writeFileSync(p, '');
  assert.throws(() => loadCapture(p), (e: unknown) => e instanceof UserError && /is empty/.test(e.message));
  assert.throws(() => loadCapture(join(dir, 'nope.json')), (e: unknown) => e instanceof UserError && /no such file/.test(e.message));
  writeFileSync(p, JSON.stringify({ ...good(), intervals: 'x' }));
  assert.throws(() => loadCapture(p), (e: unknown) => e instanceof UserError && e.message === 'run.json: /intervals must be array');
});

test('config and journal schemas', () => {
  validateConfig({ schemaVersion: 1, duration: '30s', interval: '1s', parallel: 4 });
  assert.throws(() => validateConfig({ schemaVersion: 1, workload: 'fio' }, 'cfg.json'), (e: unknown) => e instanceof UserError && /^cfg\.json: \/workload must be one of "ps", "none", "cmd"$/.test(e.message));
  const c = good();
  validateWith('journal.schema.json', { kind: 'interval', interval: c.intervals[0] });
  assert.throws(() => validateWith('journal.schema.json', { kind: 'interval', interval: { ...c.intervals[0], seq: -1 } }, 'j'), UserError);
});
