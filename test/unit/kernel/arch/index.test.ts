// The one architecture mapping and the choice of machine-code readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machineCodeFor, SUPPORTED_ARCHES } from '../../../../cli/kernel/arch/index.js';
import { archName } from '../../../../cli/facts/arch-name.js';
import { readLookupRcuCode } from '../../../../cli/kernel/lookup-rcu-code.js';

test('uname -m, Debian and node spellings map to one name each', () => {
  assert.equal(archName('x86_64'), 'x86_64');
  assert.equal(archName('amd64'), 'x86_64');
  assert.equal(archName('x64'), 'x86_64');
  assert.equal(archName('aarch64'), 'arm64');
  assert.equal(archName('arm64'), 'arm64');
  assert.equal(archName('riscv64'), 'riscv64');
});

test('readers exist for the supported architectures only', () => {
  for (const a of SUPPORTED_ARCHES) assert.equal(machineCodeFor(a)?.arch, a);
  assert.equal(machineCodeFor('aarch64')?.arch ?? null, SUPPORTED_ARCHES.includes('arm64') ? 'arm64' : null);
  assert.equal(machineCodeFor('riscv64'), null);
  assert.equal(machineCodeFor(''), null);
});

test('an unsupported architecture: LOOKUP_RCU is not read, and the reason says why', async () => {
  let reads = 0;
  const kallsyms = 'ffffffff81000000 t proc_misc_d_revalidate\nffffffff81000040 t next\n';
  const btf = { source: 'x', available: true, sizeBytes: 1, funcs: {}, enums: { LOOKUP_RCU: null } };
  const r = await readLookupRcuCode(kallsyms, btf, async () => { reads++; return null; }, 'riscv64');
  assert.equal(r?.value, null);
  assert.equal(reads, 0);
  assert.match(r!.passedOver[0]!, /^unsupported architecture riscv64: rcuwalk reads kernel code on x86_64/);
});
