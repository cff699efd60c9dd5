import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPrivileged, effectiveCaps, missingPrivilege } from '../../../cli/capture/privilege.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';

const status = (capEff: string) => `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;

test('root (all caps) is allowed', () => {
  assert.equal(missingPrivilege(effectiveCaps(status('000001ffffffffff'))), null);
});

test('CAP_BPF + CAP_PERFMON + CAP_SYSLOG without CAP_SYS_ADMIN is allowed', () => {
  const mask = (1n << 38n) | (1n << 39n) | (1n << 34n);
  assert.equal(missingPrivilege(effectiveCaps(status(mask.toString(16).padStart(16, '0')))), null);
});

test('CAP_BPF + CAP_PERFMON without CAP_SYSLOG is refused naming CAP_SYSLOG (no kernel symbols for stacks)', () => {
  const mask = (1n << 38n) | (1n << 39n);
  assert.match(missingPrivilege(mask) ?? '', /CAP_SYSLOG/);
  assert.throws(() => assertPrivileged(status(mask.toString(16))), (e: unknown) => e instanceof UserError && e.exitCode === EXIT.privilege);
});

test('CAP_BPF alone is refused with exit code 3 and a next step', () => {
  const mask = 1n << 39n;
  assert.match(missingPrivilege(mask) ?? '', /CAP_PERFMON/);
  assert.throws(() => assertPrivileged(status(mask.toString(16))), (e: unknown) => e instanceof UserError && e.exitCode === EXIT.privilege && /sudo|root/.test(e.next));
});

test('an unprivileged user is refused', () => {
  assert.throws(() => assertPrivileged(status('0000000000000000')), UserError);
});
