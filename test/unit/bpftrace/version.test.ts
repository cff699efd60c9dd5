import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpftraceFeatures, parseBpftraceVersion, parseKfuncSupport, requireSupported } from '../../../cli/bpftrace/version.js';
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

test('kfunc support from the --info of 0.23 (two columns) and 0.27 (no fentry line): real output on 6.18, 2026-11-30', () => {
  const pad = (a: string, b = '') => `  ${a.padEnd(33)}${b.padEnd(35)}`;
  const v023 = ['Probe types', pad('kprobe: yes', 'tracepoint: yes'), pad('perf_event: yes', 'fentry: no'), pad('kprobe_multi: no', 'uprobe_multi: yes'), pad('iter: no'), ''].join('\n');
  assert.equal(parseKfuncSupport(v023), false);
  assert.equal(parseKfuncSupport(v023.replace('fentry: no', 'fentry: yes')), true);
  const v027 = ['Probe types'.padEnd(35), pad('kprobe_multi: no', 'uprobe_multi: yes'), pad('kprobe_session: no', 'iter: no'), ''].join('\n');
  assert.equal(parseKfuncSupport(v027), null, '0.27 does not say: a test load decides');
  assert.equal(parseKfuncSupport('  nofentry: yes\n'), null);
});

test('features by version: 0.27 needs the filter list and returns from delete(); 0.17 and 0.23 do neither', () => {
  for (const v of ['0.17.0', '0.23.2', '0.26.9']) assert.deepEqual(bpftraceFeatures(v), { kprobesNeedFilterList: false, deleteReturnsValue: false }, v);
  for (const v of ['0.27.1', '0.28.0-rc1', '1.0.0']) assert.deepEqual(bpftraceFeatures(v), { kprobesNeedFilterList: true, deleteReturnsValue: true }, v);
  assert.deepEqual(bpftraceFeatures('garbage'), { kprobesNeedFilterList: false, deleteReturnsValue: false });
});
