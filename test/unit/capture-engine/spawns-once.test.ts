// A capture's start spawns `bpftrace --version` once (prepare reads it and hands the text to the kernel facts) and no
// `uname` at all (os.release/os.version). Checked on the real start: bpftrace on PATH behind a wrapper that logs
// each of its invocations, and PATH's uname replaced by one that logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareCapture } from '../../../cli/capture/prepare.js';
import { findOnPath } from '../../../cli/system/find-on-path.js';

const real = findOnPath('bpftrace');
const root = process.getuid?.() === 0;
const skip = !real ? 'bpftrace is not installed (bash scripts/install.sh)' : !root ? 'needs root: prepareCapture reads kallsyms, BTF and tracefs' : false;

test('prepareCapture: one bpftrace --version, no uname', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-spawns-'));
  const log = join(dir, 'calls.log');
  const wrapper = join(dir, 'bpftrace');
  writeFileSync(wrapper, `#!/bin/sh\necho "bpftrace $*" >> '${log}'\nexec '${real!}' "$@"\n`);
  writeFileSync(join(dir, 'uname'), `#!/bin/sh\necho "uname $*" >> '${log}'\nexec /bin/uname "$@"\n`);
  chmodSync(wrapper, 0o755);
  chmodSync(join(dir, 'uname'), 0o755);
  const env = { RCUWALK_BPFTRACE: process.env.RCUWALK_BPFTRACE, PATH: process.env.PATH };
  process.env.RCUWALK_BPFTRACE = wrapper;
  process.env.PATH = `${dir}:${process.env.PATH ?? ''}`;
  try {
    const p = await prepareCapture({ settings: { workload: 'none', command: null, parallel: 1, ballast: 0, durationMs: 1000, intervalMs: 1000 }, lockrefStrategy: 'auto' });
    assert.ok(p.script.length > 0);
  } finally {
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  assert.equal(calls.filter((c) => c === 'bpftrace --version').length, 1, calls.join('\n'));
  assert.deepEqual(calls.filter((c) => c.startsWith('uname')), []);
});
