// readJournal (rcuwalk recover's reader): which bad lines count as cut short, which are errors, and in what order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openJournal, readJournal } from '../../../cli/capture/journal.js';
import { reduceAll } from '../../../cli/state/reducer.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';
import { contentionMeta, fixtureEvents } from './fixture-replay.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-read-journal-'));
const meta = contentionMeta();
const state = reduceAll(fixtureEvents('contention-6.18', meta));
const all = state.intervals.length;

/** the lines (no newlines) of a journal written by the real journal code */
const good: string[] = (() => {
  const p = join(dir, 'good.journal');
  const j = openJournal(p, meta);
  for (const iv of state.intervals) j.append(iv, { attachMs: state.attachMs, lostEvents: 0 });
  j.close();
  return readFileSync(p, 'utf8').trimEnd().split('\n');
})();

let files = 0;
function journalOf(content: string | Buffer): string {
  const p = join(dir, `j${files++}.journal`);
  writeFileSync(p, content);
  return p;
}

const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === EXIT.usage && re.test(e.message);
const NOT_JOURNAL = '{"kind":"interval"}'; // JSON, but not a journal line

test('a bad last line followed only by blank lines is cut short, with or without a newline at the end', () => {
  for (const tail of ['\n\n', '\n  \n\r\n', '\n \t']) {
    const j = readJournal(journalOf([...good, '{"kind":"interv'].join('\n') + tail));
    assert.equal(j.truncated, true, JSON.stringify(tail));
    assert.equal(j.intervals.length, all);
  }
});

test('a last line that is JSON but not a journal line: cut short without a newline after it, an error with one', () => {
  assert.equal(readJournal(journalOf([...good, NOT_JOURNAL].join('\n'))).truncated, true);
  assert.equal(readJournal(journalOf([...good, NOT_JOURNAL].join('\n') + '\n  ')).truncated, true);
  for (const tail of ['\n', '\n\n', '\n  \n']) {
    assert.throws(() => readJournal(journalOf([...good, NOT_JOURNAL].join('\n') + tail)), userError(new RegExp(`^j\\d+\\.journal line ${good.length + 1}: `)), JSON.stringify(tail));
  }
});

test('a bad line in the middle is an error naming its line (blank lines counted), even when blank lines follow it', () => {
  const lines = [...good.slice(0, 3), '', '{"kind": "interval", "interval": {', '', '  ', ...good.slice(3)];
  assert.throws(() => readJournal(journalOf(lines.join('\n') + '\n')), userError(/^j\d+\.journal: line 5 is not valid JSON$/));
  const schema = [...good.slice(0, 3), NOT_JOURNAL, ...good.slice(3)];
  assert.throws(() => readJournal(journalOf(schema.join('\n') + '\n')), userError(/^j\d+\.journal line 4: /));
});

test('damage is told before a missing meta line (every line is checked first)', () => {
  assert.throws(() => readJournal(journalOf([good[1], 'garbage', good[2]].join('\n') + '\n')), userError(/line 2 is not valid JSON/));
  assert.throws(() => readJournal(journalOf([good[1], good[2]].join('\n') + '\n')), userError(/no meta line/));
});

test('empty, blank, or only a cut-short meta line: no meta line; only the meta line: no intervals', () => {
  for (const text of ['', '\n\n', '  \n', good[0]!.slice(0, 20)]) {
    assert.throws(() => readJournal(journalOf(text)), userError(/no meta line \(the capture had not started\)/), JSON.stringify(text));
  }
  for (const text of [good[0]!, `${good[0]}\n`]) {
    const j = readJournal(journalOf(text));
    assert.deepEqual([j.intervals.length, j.truncated, j.attachMs, j.lostEvents], [0, false, null, 0]);
    assert.deepEqual(j.meta, meta);
  }
});

test('CRLF line ends read like LF', () => {
  const j = readJournal(journalOf(good.join('\r\n') + '\r\n'));
  assert.deepEqual([j.intervals, j.truncated, j.attachMs], [state.intervals, false, state.attachMs]);
});

test('a missing or unreadable journal: "cannot read PATH: CODE", exit 2', () => {
  assert.throws(() => readJournal(join(dir, 'missing.journal')), userError(/^cannot read .*missing\.journal: ENOENT$/));
  const d = join(dir, 'a-dir.journal');
  mkdirSync(d);
  assert.throws(() => readJournal(d), userError(/^cannot read .*a-dir\.journal: EISDIR$/));
});

test('property: a journal cut anywhere recovers every interval written before the cut', () => {
  const bytes = Buffer.from(good.join('\n') + '\n', 'utf8');
  /** where each line's JSON text ends (its newline's offset) */
  const ends: number[] = [];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) ends.push(i);
  fc.assert(fc.property(fc.integer({ min: 0, max: bytes.length }), (cut) => {
    const p = journalOf(bytes.subarray(0, cut));
    if (cut < ends[0]!) {
      assert.throws(() => readJournal(p), userError(/no meta line/));
      return;
    }
    const j = readJournal(p);
    const whole = ends.filter((e) => e <= cut).length - 1; // interval lines whose JSON is all there (the newline may not be)
    assert.deepEqual(j.intervals, state.intervals.slice(0, whole));
    const cutInALine = !ends.includes(cut) && !ends.includes(cut - 1);
    assert.equal(j.truncated, cutInALine);
  }), { numRuns: 300 });
});
