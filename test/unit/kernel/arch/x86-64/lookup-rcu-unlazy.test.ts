// The FALLBACK decoder: BUG_ON(!(nd->flags & LOOKUP_RCU)) opening an unlazy function, on recorded bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupRcuFromCode } from '../../../../../cli/kernel/arch/x86-64/lookup-rcu-unlazy.js';
import { parseHexDump } from '../../../../../cli/kernel/hex-dump.js';
import { FIXTURES_DIR } from '../../../../helpers/fixtures.js';

const head = (k: string) => parseHexDump(readFileSync(join(FIXTURES_DIR, 'kernels', k, 'text', 'try_to_unlazy_next.hex'), 'utf8')).bytes;

// nameidata.flags is at 0x38 on all four: BTF on 6.18 (btf.json members), the gdb disassembly of
// try_to_unlazy_next on 5.10/6.1 (text/disassembly.txt: `0x38(%rdi)`), BTF in the 7.3 guest
// (test/fixtures/vm/7.3.4+deb13-amd64/lookup-rcu-check.txt).
test('recorded kernels: LOOKUP_RCU read from the BUG_ON opening try_to_unlazy_next (je -> ud2)', () => {
  assert.deepEqual(lookupRcuFromCode(head('5.10.0-46-amd64'), 0x38), { value: 0x40, at: 5, form: 'mov 0x38(%rdi),%eax; test $0x40,%al; je -> ud2' });
  assert.deepEqual(lookupRcuFromCode(head('6.1.0-56-amd64'), 0x38), { value: 0x40, at: 5, form: 'testb $0x40,0x38(%rdi); je -> ud2' });
  assert.deepEqual(lookupRcuFromCode(head('6.18'), 0x38), { value: 0x100, at: 5, form: 'testb $0x1,0x39(%rdi); je -> ud2' });
});

test('7.3: the opening test of try_to_unlazy_next is not LOOKUP_RCU (test $0x2,%ah; jne: no BUG_ON): nothing claimed, not 0x200', () => {
  // measured in the guest: nd->flags & 0x100 on 710/710 entries, & 0x200 on 0 (lookup-rcu-check.txt)
  assert.equal(lookupRcuFromCode(head('7.3.4+deb13-amd64'), 0x38), null);
});

test('without the field offset, at another offset, without the BUG_ON shape: nothing is claimed', () => {
  assert.equal(lookupRcuFromCode(head('6.18'), null), null);
  assert.equal(lookupRcuFromCode(head('6.1.0-56-amd64'), 0x40), null);
  // only the first 48 bytes: the je target (ud2 at +0x117) is not in the bytes, so the BUG_ON is not confirmed
  assert.equal(lookupRcuFromCode(head('6.18').subarray(0, 48), 0x38), null);
  // multi-bit masks are not a flag test
  assert.equal(lookupRcuFromCode(new Uint8Array([0xf6, 0x47, 0x38, 0x41, 0x74, 0x00, 0x0f, 0x0b]), 0x38), null);
  // testl $0x100,0x38(%rdi); je +0 -> ud2 / jne +2; ud2 / je to something else
  assert.equal(lookupRcuFromCode(new Uint8Array([0xf7, 0x47, 0x38, 0, 1, 0, 0, 0x74, 0x00, 0x0f, 0x0b]), 0x38)?.value, 0x100);
  assert.equal(lookupRcuFromCode(new Uint8Array([0xf7, 0x47, 0x38, 0, 1, 0, 0, 0x75, 0x02, 0x0f, 0x0b]), 0x38)?.form, 'testl $0x100,0x38(%rdi); jne; ud2');
  assert.equal(lookupRcuFromCode(new Uint8Array([0xf7, 0x47, 0x38, 0, 1, 0, 0, 0x74, 0x00, 0x90, 0x90]), 0x38), null);
});
