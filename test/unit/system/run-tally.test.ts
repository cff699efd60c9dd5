import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RunTally } from '../../../cli/system/run-tally.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

test('counts one run per "<index>\\n" line, per worker, and take() resets', () => {
  const t = new RunTally(3);
  t.feed(bytes('0\n2\n2\n1\n0\n'));
  assert.deepEqual(t.take(), [2, 1, 2]);
  assert.deepEqual(t.take(), [0, 0, 0]);
});

test('a line cut between two reads is counted once, when its newline arrives', () => {
  const t = new RunTally(12);
  t.feed(bytes('1'));
  assert.deepEqual(t.take(), new Array(12).fill(0));
  t.feed(bytes('1\n3'));
  t.feed(bytes('\n'));
  const r = t.take();
  assert.equal(r[11], 1);
  assert.equal(r[3], 1);
  assert.equal(r.reduce((a, b) => a + b, 0), 2);
});

test('garbage, empty lines and out-of-range indexes are not runs', () => {
  const t = new RunTally(2);
  t.feed(bytes('\n5\n-1\nx\n1x\n 1\n99999999999999\n1\n'));
  assert.deepEqual(t.take(), [0, 1]);
});

test('only `length` bytes of the buffer are read', () => {
  const t = new RunTally(2);
  t.feed(bytes('0\n1\n1\n'), 4);
  assert.deepEqual(t.take(), [1, 1]);
});

test('any split of a stream of reports into chunks gives the same counts as the whole', () => {
  fc.assert(fc.property(fc.array(fc.nat(7), { maxLength: 200 }), fc.array(fc.nat(50), { maxLength: 20 }), (runs, cuts) => {
    const text = bytes(runs.map((w) => `${w}\n`).join(''));
    const t = new RunTally(8);
    let at = 0;
    for (const c of cuts) { const end = Math.min(text.length, at + c); t.feed(text.subarray(at, end)); at = end; }
    t.feed(text.subarray(at));
    const want = new Array(8).fill(0);
    for (const w of runs) want[w] += 1;
    assert.deepEqual(t.take(), want);
  }));
});
