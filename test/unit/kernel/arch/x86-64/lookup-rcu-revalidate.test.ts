// The PRIMARY decoder: `if (flags & LOOKUP_RCU) return -ECHILD;` opening proc_misc_d_revalidate, on real bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupRcuFromRevalidate } from '../../../../../cli/kernel/arch/x86-64/lookup-rcu-revalidate.js';
import { parseHexDump } from '../../../../../cli/kernel/hex-dump.js';
import { FIXTURES_DIR } from '../../../../helpers/fixtures.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const text = (k: string, f: string) => parseHexDump(readFileSync(join(FIXTURES_DIR, 'kernels', k, 'text', f), 'utf8')).bytes;

/** flags argument position from a recorded btf.json proto */
function flagsArg(k: string, func: string): number {
  const btf = JSON.parse(readFileSync(join(FIXTURES_DIR, 'kernels', k, 'btf.json'), 'utf8')) as { funcs: Record<string, { params: { name: string }[] }> };
  return btf.funcs[func]!.params.findIndex((p) => p.name === 'flags');
}

/**
 * 7.3's proc_misc_d_revalidate from the gdb disassembly in a real 7.3 guest
 * (test/fixtures/vm/7.3.4+deb13-amd64/lookup-rcu.txt, read from /proc/kcore). gdb prints instructions, not
 * bytes: each listed instruction is encoded here and its length checked against the addresses gdb printed.
 */
function bytes73(): Uint8Array {
  const lines = readFileSync(join(FIXTURES_DIR, 'vm', '7.3.4+deb13-amd64', 'lookup-rcu.txt'), 'utf8').split('\n')
    .map((l) => /^\s+0x([0-9a-f]+):\s+(.+?)\s*$/.exec(l)).filter((m) => m !== null).map((m) => ({ addr: BigInt(`0x${m[1]}`), insn: m[2]!.replace(/\s+/g, ' ') }));
  const enc = (insn: string, addr: bigint): string => {
    if (insn === 'endbr64') return 'f30f1efa';
    if (insn === 'nopl 0x0(%rax,%rax,1)') return '0f1f440000';
    if (insn === 'and $0x1,%ch') return '80e501';
    const j = /^jne 0x([0-9a-f]+)$/.exec(insn);
    if (j) return `75${(Number(BigInt(`0x${j[1]}`) - (addr + 2n)) & 0xff).toString(16).padStart(2, '0')}`;
    if (insn === 'mov 0x30(%rdx),%rax') return '488b4230';
    throw new Error(`not encoded here: ${insn}`);
  };
  let out = '';
  for (let i = 0; i < 5; i++) {
    const e = enc(lines[i]!.insn, lines[i]!.addr);
    assert.equal(BigInt(e.length / 2), lines[i + 1]!.addr - lines[i]!.addr, `length of ${lines[i]!.insn}`);
    out += e;
  }
  return hex(out);
}

test('6.18 (recorded on the dev machine, bpftrace probe_read): and $0x1,%ch; jne on flags = arg 3 -> 0x100', () => {
  const k = '6.18';
  const arg = flagsArg(k, 'proc_misc_d_revalidate');
  assert.equal(arg, 3);
  assert.deepEqual(lookupRcuFromRevalidate(text(k, 'proc_misc_d_revalidate.head.hex'), arg), { value: 0x100, at: 5, form: 'and $0x1,%ch; jne' });
});

test('7.3 (gdb in the qemu guest): endbr64; nopl; and $0x1,%ch; jne -> 0x100, not 0x200', () => {
  const b = bytes73();
  assert.equal(Buffer.from(b).toString('hex'), 'f30f1efa0f1f44000080e5017514488b4230');
  // every d_revalidate has the proto 7.3's BTF gives pid_revalidate: (dir, name, dentry, flags)
  const arg = flagsArg('7.3.4+deb13-amd64', 'pid_revalidate');
  assert.equal(arg, 3);
  assert.deepEqual(lookupRcuFromRevalidate(b, arg), { value: 0x100, at: 9, form: 'and $0x1,%ch; jne' });
});

test('negative: no test of the flags register -> null', () => {
  // the same real bytes read with the flags argument elsewhere: %esi (arg 1) is never tested; arg 2 has no register here
  assert.equal(lookupRcuFromRevalidate(text('6.18', 'proc_misc_d_revalidate.head.hex'), 1), null);
  assert.equal(lookupRcuFromRevalidate(bytes73(), 2), null);
  assert.equal(lookupRcuFromRevalidate(bytes73(), null), null);
  // real code with no flags-register test at all: try_to_unlazy_next's opening (6.18, 6.1)
  assert.equal(lookupRcuFromRevalidate(text('6.18', 'try_to_unlazy_next.hex'), 3), null);
  assert.equal(lookupRcuFromRevalidate(text('6.1.0-56-amd64', 'try_to_unlazy_next.hex'), 1), null);
  // the test beyond the 32-byte window
  assert.equal(lookupRcuFromRevalidate(new Uint8Array([...new Array(32).fill(0x90), 0x80, 0xe5, 0x01, 0x75, 0x14]), 3), null);
});

// Encodings assembled with GNU as 2.40 (`as --64`, then objdump -d), not recorded kernels: the other forms.
test('other x86-64 forms on %esi/%sil and %ecx/%cl/%ch; multi-bit masks, other registers and no jump are refused', () => {
  assert.deepEqual(lookupRcuFromRevalidate(hex('40f6c640 750e'), 1), { value: 0x40, at: 0, form: 'test $0x40,%sil; jne' });
  assert.deepEqual(lookupRcuFromRevalidate(hex('f7c640000000 747e'), 1), { value: 0x40, at: 0, form: 'test $0x40,%esi; je' });
  assert.deepEqual(lookupRcuFromRevalidate(hex('83e640 750e'), 1), { value: 0x40, at: 0, form: 'and $0x40,%esi; jne' });
  assert.deepEqual(lookupRcuFromRevalidate(hex('f6c501 750e'), 3), { value: 0x100, at: 0, form: 'test $0x1,%ch; jne' });
  assert.equal(lookupRcuFromRevalidate(hex('0f1f440000 f6c501 0f8500010000'), 3)?.value, 0x100);
  assert.equal(lookupRcuFromRevalidate(hex('40f6c641 750e'), 1), null); // test $0x41,%sil: two bits
  assert.equal(lookupRcuFromRevalidate(hex('f6c640 750e'), 1), null); // test $0x40,%dh (no REX): not %sil
  assert.equal(lookupRcuFromRevalidate(hex('41f6c501 750e'), 3), null); // test $0x1,%r13b: not %ch
  assert.equal(lookupRcuFromRevalidate(hex('f6c501 90'), 3), null); // no je/jne after it
  assert.equal(lookupRcuFromRevalidate(hex('83e680 750e'), 1), null); // and $0xffffff80,%esi (sign-extended)
});
