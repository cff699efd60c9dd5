// Tests the guard must refuse and tests it must let pass; run by guard.test.ts through scripts/test.mjs, never by
// the suite itself (*.sample.js is not a *.test.js). Each name says what the guard should do with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { assertSorted } from './checks-for-me.js';

test('pass: asserts', () => {
  assert.equal(1 + 1, 2);
});

test('refused: asserts nothing', () => {
  readFileSync('/proc/self/stat', 'utf8');
});

test('refused: asserts only in a branch not taken here', () => {
  const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8');
  if (release.startsWith('2.4.')) assert.match(release, /^2\.4\.\d+/);
});

test('skipped: skips saying why', (t) => {
  t.skip('this machine has no 2.4 kernel');
});

test('refused: skips without a reason', (t) => {
  t.skip();
});

test('refused: skip option without a reason', { skip: true }, () => {
  assert.fail('a skipped test does not run');
});

test('skipped: skip option with a reason', { skip: 'needs a 2.4 kernel' }, () => {
  assert.fail('a skipped test does not run');
});

test('refused: one subtest asserts nothing', async (t) => {
  await t.test('pass: subtest asserts', () => assert.ok(true));
  await t.test('refused: subtest asserts nothing', () => {});
});

test('pass: only its subtests assert', async (t) => {
  await t.test('pass: subtest checks after a timer', async () => {
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual([1], [1]);
  });
});

test('pass: fc.assert', () => {
  fc.assert(fc.property(fc.nat(), (n) => n >= 0));
});

test('pass: a helper asserts on its behalf', () => {
  assertSorted([1, 2, 3]);
});

test('pass: asserts in a callback, ends by done', (_t, done) => {
  setImmediate(() => { assert.ok(true); done(); });
});

test('refused: ends by done, asserts nothing', (_t, done) => {
  setImmediate(() => done());
});

test('pass: t.assert', (t) => {
  t.plan(1);
  t.assert.equal(2, 2);
});

test('failed: a failed check keeps its message and the stack starts in the test', () => {
  assert.equal(2 + 2, 5);
});
