// LOOKUP_RCU from proc_misc_d_revalidate's arm64 code: real openings of Debian's 5.10 and 6.1 arm64 kernels
// (6.1: read from /proc/kcore in a qemu guest; 5.10: from the package's Image, image/*.hex, as the guest did not
// read it without a flags position in BTF; objdump's listing recorded beside them in objdump-revalidate.txt),
// and each recognised form as GNU as assembled it (insn-forms.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHexDump } from '../../../../../cli/kernel/hex-dump.js';
import { lookupRcuFromRevalidate } from '../../../../../cli/kernel/arch/arm64/lookup-rcu-revalidate.js';
import { FIXTURES_DIR } from '../../../../helpers/fixtures.js';
import { code, W } from './insn-forms.js';

const text = (k: string, f: string) => readFileSync(join(FIXTURES_DIR, 'kernels', k, f.includes('/') ? '' : 'text', f), 'utf8');
const HEAD: Record<string, string> = { '5.10.0-32-arm64': 'image/proc_misc_d_revalidate.hex', '6.1.0-57-arm64': 'proc_misc_d_revalidate.head.hex' };

for (const [k, file] of Object.entries(HEAD)) {
  test(`${k}: the flags test is read from the recorded bytes and agrees with objdump`, () => {
    const { bytes } = parseHexDump(text(k, file));
    const g = lookupRcuFromRevalidate(bytes, 1);
    assert.ok(g, 'a form is recognised');
    assert.equal(g.value, 0x40); // LOOKUP_RCU before the 6.15 repack
    // objdump prints the same instruction at the same offset
    const lines = text(k, 'objdump-revalidate.txt').split('\n').filter((l) => /^\s*[0-9a-f]+:\t/.test(l));
    const at = lines[g.at / 4]!;
    const mnemonic = g.form.split(',')[0]!.split(' ')[0]!;
    assert.match(at, new RegExp(`\\t${mnemonic}\\tw1, #6`), at);
    // the flags argument is w1 (dentry, flags): with another position nothing is read
    assert.equal(lookupRcuFromRevalidate(bytes, 0), null);
    assert.equal(lookupRcuFromRevalidate(bytes, 3), null);
    assert.equal(lookupRcuFromRevalidate(bytes, null), null);
  });
}

test('every recognised form, on the flags register, single bit', () => {
  assert.deepEqual(lookupRcuFromRevalidate(code(W.nop, W.tst_w1_0x40, W.bne_16), 1), { value: 0x40, at: 4, form: 'tst w1, #0x40; b.ne' });
  assert.deepEqual(lookupRcuFromRevalidate(code(W.tst_w3_0x100, W.beq_8), 3), { value: 0x100, at: 0, form: 'tst w3, #0x100; b.eq' });
  assert.deepEqual(lookupRcuFromRevalidate(code(W.and_w8_w1_0x40, W.cbnz_w8_12), 1), { value: 0x40, at: 0, form: 'and w8, w1, #0x40; cbnz w8' });
  assert.deepEqual(lookupRcuFromRevalidate(code(W.and_w9_w3_0x100, W.tbnz_w9_8), 3), { value: 0x100, at: 0, form: 'and w9, w3, #0x100; tbnz w9, #8' });
  assert.deepEqual(lookupRcuFromRevalidate(code(W.paciasp, W.tbz_w1_6), 1), { value: 0x40, at: 4, form: 'tbz w1, #6' });
  assert.deepEqual(lookupRcuFromRevalidate(code(W.nop, W.nop, W.paciasp, W.tbnz_w3_8), 3), { value: 0x100, at: 12, form: 'tbnz w3, #8' });
});

test('anything else is not read: other register, two bits, no branch, the register overwritten first, 64-bit bit', () => {
  assert.equal(lookupRcuFromRevalidate(code(W.tst_w2_0x40, W.bne_16), 1), null);
  assert.equal(lookupRcuFromRevalidate(code(W.tst_w1_0x60, W.bne_16), 1), null);
  assert.equal(lookupRcuFromRevalidate(code(W.tst_w1_0x40, W.nop), 1), null);
  assert.equal(lookupRcuFromRevalidate(code(W.mov_w1_w0, W.tbz_w1_6), 1), null);
  assert.equal(lookupRcuFromRevalidate(code(W.tbnz_x1_38), 1), null);
  // a store of the register does not write it
  assert.equal(lookupRcuFromRevalidate(code(W.str_w1_sp12, W.tbz_w1_6), 1)?.value, 0x40);
  // beyond the window (64 bytes)
  assert.equal(lookupRcuFromRevalidate(code(...new Array<number>(16).fill(W.nop), W.tbz_w1_6), 1), null);
  assert.equal(lookupRcuFromRevalidate(code(W.tbz_w1_6), 8), null);
});
