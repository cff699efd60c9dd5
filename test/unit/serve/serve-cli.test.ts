// `rcuwalk serve` refusing bad input before anything is attached: capture-only flags, a bad --listen, and (as an
// unprivileged user, through setpriv) missing privileges: one clear line and the documented exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../../helpers/cli.js';

test('capture-only flags and a bad --listen: exit 2, one line and the next step', () => {
  for (const [args, re] of [
    [['--out', 'x.json'], /--out is a capture flag/],
    [['-d', '10s'], /-d is a capture flag/],
    [['--listen', 'nohost'], /--listen must be HOST:PORT/],
    [['--interval', '5ms'], /--interval must be at least 10ms/],
  ] as [string[], RegExp][]) {
    const r = runCli(['serve', ...args], { timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 2, r.stderr);
  }
});

test('not root: exit 3 with the privilege message, nothing attached', { skip: process.getuid?.() !== 0 ? 'needs root to drop to an unprivileged user' : false }, () => {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'serve', '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /needs root, or CAP_BPF and CAP_PERFMON/);
});
