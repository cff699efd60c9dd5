import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupRcuFromCode } from '../../../cli/kernel/lookup-rcu.js';
import { parseHexDump } from '../../../cli/kernel/callsite-scan.js';
import { FIXTURES_DIR } from '../../../cli/paths.js';

const head = (k: string) => parseHexDump(readFileSync(join(FIXTURES_DIR, 'kernels', k, 'text', 'try_to_unlazy_next.hex'), 'utf8')).bytes;

// nameidata.flags is at 0x38 on all three: BTF on 6.18 (btf.json members), the gdb disassembly of
// try_to_unlazy_next on 5.10/6.1 (text/disassembly.txt: `0x38(%rdi)`).
test('recorded kernels: LOOKUP_RCU read from try_to_unlazy_next opening test', () => {
  assert.deepEqual(lookupRcuFromCode(head('5.10.0-46-amd64'), 0x38), { value: 0x40, at: 5, form: 'mov 0x38(%rdi),%eax; test $0x40,%al' });
  assert.deepEqual(lookupRcuFromCode(head('6.1.0-56-amd64'), 0x38), { value: 0x40, at: 5, form: 'testb $0x40,0x38(%rdi)' });
  assert.deepEqual(lookupRcuFromCode(head('6.18'), 0x38), { value: 0x100, at: 5, form: 'testb $0x1,0x39(%rdi)' });
});

test('without the field offset, or at another offset, nothing is claimed', () => {
  assert.equal(lookupRcuFromCode(head('6.18'), null), null);
  assert.equal(lookupRcuFromCode(head('6.1.0-56-amd64'), 0x40), null);
  // multi-bit masks are not a flag test
  assert.equal(lookupRcuFromCode(new Uint8Array([0xf6, 0x47, 0x38, 0x41]), 0x38), null);
  assert.deepEqual(lookupRcuFromCode(new Uint8Array([0xf7, 0x47, 0x38, 0, 1, 0, 0]), 0x38)?.value, 0x100);
});
