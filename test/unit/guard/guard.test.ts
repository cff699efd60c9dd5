// The guard every test runs under (test/guard/, preloaded by scripts/test.mjs): the samples in ./samples run through
// scripts/test.mjs as the suite runs, and each comes out passed, refused (failed by the guard), skipped or failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SAMPLES = ['ink.sample.js', 'tests.sample.js'].map((f) => fileURLToPath(new URL(`./samples/${f}`, import.meta.url)));

interface Outcome { ok: boolean; skip: string | null; yaml: string }

/** Each test's outcome in node's TAP output, by name (subtests included). */
function outcomes(tap: string): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  const lines = tap.split('\n');
  lines.forEach((line, i) => {
    const m = /^( *)(not ok|ok) \d+ - (.+?)(?: # SKIP ?(.*))?$/.exec(line);
    if (!m) return;
    const end = lines.findIndex((l, j) => j > i && l === `${m[1]}  ...`);
    out.set(m[3]!, { ok: m[2] === 'ok', skip: m[4] ?? null, yaml: lines.slice(i + 1, end).join('\n') });
  });
  return out;
}

// as a command line runs it: not as a child of this test run (node:test marks its children with NODE_TEST_CONTEXT)
const { NODE_TEST_CONTEXT: _, ...env } = process.env;
const run = spawnSync(process.execPath, ['scripts/test.mjs', '--test-reporter=tap', ...SAMPLES], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
const results = outcomes(run.stdout);
const GUARD = /error: '?test guard: (made no assertion|skipped without saying why)/;
const verdict = (o: Outcome) => o.skip !== null ? 'skipped' : o.ok ? 'passed' : GUARD.test(o.yaml) ? 'refused' : 'failed';

test('scripts/test.mjs runs the samples under the guard and fails the run', () => {
  assert.equal(run.status, 1, run.stderr);
  assert.ok(results.size > 0, `no TAP results:\n${run.stdout}\n${run.stderr}`);
});

test('each sample comes out as its name says: asserting tests pass, unchecked ones (.tsx, subtests, a branch not taken, a reason-less skip) are refused', () => {
  const got = Object.fromEntries([...results].map(([name, o]) => [name, verdict(o)]));
  assert.deepEqual(got, {
    'pass: tsx renders and checks the frame': 'passed',
    'refused: tsx renders and checks nothing': 'refused',
    'pass: asserts': 'passed',
    'refused: asserts nothing': 'refused',
    'refused: asserts only in a branch not taken here': 'refused',
    'skipped: skips saying why': 'skipped',
    'refused: skips without a reason': 'refused',
    'refused: skip option without a reason': 'refused',
    'skipped: skip option with a reason': 'skipped',
    'pass: subtest asserts': 'passed',
    'refused: subtest asserts nothing': 'refused',
    'refused: one subtest asserts nothing': 'failed', // node fails a test whose subtest failed
    'pass: subtest checks after a timer': 'passed',
    'pass: only its subtests assert': 'passed',
    'pass: fc.assert': 'passed',
    'pass: a helper asserts on its behalf': 'passed',
    'pass: asserts in a callback, ends by done': 'passed',
    'refused: ends by done, asserts nothing': 'refused',
    'pass: t.assert': 'passed',
    'failed: a failed check keeps its message and the stack starts in the test': 'failed',
  });
});

test('skips keep their reasons; a refused test is reported where it is written, not in the guard', () => {
  assert.equal(results.get('skipped: skips saying why')?.skip, 'this machine has no 2.4 kernel');
  assert.equal(results.get('skipped: skip option with a reason')?.skip, 'needs a 2.4 kernel');
  assert.match(results.get('refused: tsx renders and checks nothing')?.yaml ?? '', /location: '[^']*\/samples\/ink\.sample\.js:\d+:\d+'/);
  assert.match(results.get('refused: subtest asserts nothing')?.yaml ?? '', /location: '[^']*\/samples\/tests\.sample\.js:\d+:\d+'/);
});

test("a failed check keeps node's message, and its stack starts at the test's line, not in the guard", () => {
  const failed = results.get('failed: a failed check keeps its message and the stack starts in the test')?.yaml ?? '';
  assert.match(failed, /Expected values to be strictly equal:[\s\S]*4 !== 5/);
  assert.match(failed, /stack: \|-\n +TestContext\.<anonymous> \(file:\/\/[^)]*\/samples\/tests\.sample\.js:\d+:\d+\)/);
});
