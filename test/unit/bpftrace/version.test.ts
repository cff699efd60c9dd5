import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBpftraceVersion, parseKfuncSupport, requireSupported } from '../../../cli/bpftrace/version.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';

test('versions and syntax generations', () => {
  assert.deepEqual(parseBpftraceVersion('bpftrace v0.17.0\n'), { version: '0.17.0', major: 0, minor: 17, patch: 0, syntax: 'legacy' });
  assert.equal(parseBpftraceVersion('bpftrace v0.20.1')!.syntax, 'modern');
  assert.equal(parseBpftraceVersion('bpftrace v0.19.1')!.syntax, 'legacy');
  const dev = parseBpftraceVersion('bpftrace v0.24.0-rc1-12-gabcdef0')!;
  assert.equal(dev.version, '0.24.0-rc1-12-gabcdef0');
  assert.equal(dev.syntax, 'modern');
  assert.equal(parseBpftraceVersion('bpftrace 0.16.0')!.minor, 16);
  assert.equal(parseBpftraceVersion('command not found'), null);
});

test('older than 0.16 is a UserError with exit toolMissing and how to install', () => {
  const old = parseBpftraceVersion('bpftrace v0.14.1')!;
  assert.throws(() => requireSupported(old), (e: unknown) => e instanceof UserError && e.exitCode === EXIT.toolMissing && /apt-get install bpftrace/.test(e.next));
  assert.equal(requireSupported(parseBpftraceVersion('bpftrace v0.16.0')!).minor, 16);
});

test('kfunc support from bpftrace --info', () => {
  assert.equal(parseKfuncSupport('Probe types\n  kprobe: yes\n  kfunc: no\n'), false);
  assert.equal(parseKfuncSupport('  fentry: yes\n'), true);
  assert.equal(parseKfuncSupport(''), null);
});
