import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal, readJournal, recoverFromJournal } from '../../../cli/capture/journal.js';
import { reduceAll } from '../../../cli/state/reducer.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { validateCapture, validateWith } from '../../../cli/schema/validate.js';
import { UserError } from '../../../cli/errors.js';
import { contentionMeta, fixtureEvents } from './fixture-replay.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-journal-'));
const meta = contentionMeta();
const state = reduceAll(fixtureEvents('contention-6.18', meta));

function writeJournal(name: string): string {
  const p = join(dir, name);
  const j = openJournal(p, meta);
  for (const iv of state.intervals) j.append(iv, { attachMs: state.attachMs, lostEvents: 0 });
  j.close();
  return p;
}

test('a meta line, then one schema-valid line per interval', () => {
  const p = writeJournal('run.json.journal');
  const lines = readFileSync(p, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 1 + state.intervals.length);
  for (const l of lines) validateWith('journal.schema.json', JSON.parse(l), 'journal');
  assert.equal(JSON.parse(lines[0]!).kind, 'meta');
});

test('recovery rebuilds a valid, incomplete capture with the same intervals and counters', () => {
  const p = writeJournal('rec.json.journal');
  const c = validateCapture(recoverFromJournal(p), 'recovered');
  const full = toCapture(state);
  assert.equal(c.run.complete, false);
  assert.equal(c.run.endReason, 'interrupted');
  assert.match(c.run.error!, /recovered from rec.json.journal: 7 intervals/);
  assert.deepEqual(c.intervals, full.intervals);
  for (const k of ['spinWaits', 'spinNs', 'lockrefWaits', 'lockrefNs', 'lockrefMaxNs', 'prCalls'] as const) assert.equal(c.totals.all[k], full.totals.all[k], k);
  assert.equal(c.totals.runs, full.totals.runs);
  assert.equal(c.run.attachMs, state.attachMs);
  assert.equal(c.run.elapsedMs, full.run.elapsedMs);
  assert.equal(c.histograms.lockrefNs.strategy, 'contention');
});

test('a truncated last line (rcuwalk killed mid-write) is ignored', () => {
  const p = writeJournal('trunc.json.journal');
  const size = statSync(p).size;
  truncateSync(p, size - 40);
  const j = readJournal(p);
  assert.equal(j.truncated, true);
  assert.equal(j.intervals.length, state.intervals.length - 1);
  const c = validateCapture(recoverFromJournal(p), 'recovered');
  assert.match(c.run.error!, /cut short/);
});

test('a damaged line before the last is an error; no meta line is an error', () => {
  const p = writeJournal('bad.json.journal');
  const text = readFileSync(p, 'utf8').split('\n');
  text[2] = '{"kind": "interval", "interval": {';
  writeFileSync(p, text.join('\n'));
  assert.throws(() => readJournal(p), (e: unknown) => e instanceof UserError && /line 3 is not valid JSON/.test(e.message));
  const q = join(dir, 'nometa.journal');
  writeFileSync(q, '');
  assert.throws(() => readJournal(q), (e: unknown) => e instanceof UserError && /no meta line/.test(e.message));
});

test('an existing journal is refused (it may be the only copy of a run) unless force; remove() deletes it', () => {
  const p = writeJournal('exists.json.journal');
  assert.throws(() => openJournal(p, meta), (e: unknown) => e instanceof UserError && /exists/.test(e.message));
  const j = openJournal(p, meta, { force: true });
  j.append(state.intervals[0]!);
  appendFileSync(p, '');
  j.remove();
  assert.equal(existsSync(p), false);
  j.append(state.intervals[0]!); // after remove: a no-op, never throws
});
