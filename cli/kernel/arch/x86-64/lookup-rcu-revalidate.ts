// LOOKUP_RCU read from the kernel's own code, PRIMARY decoder: proc_misc_d_revalidate (fs/proc/generic.c,
// there since long before 5.10) opens with `if (flags & LOOKUP_RCU) return -ECHILD;`, a test of its flags
// argument register. The argument position comes from BTF (caller's job): 1 (%esi) with
// d_revalidate(struct dentry *, unsigned int), 3 (%ecx) with d_revalidate(struct inode *, const struct
// qstr *, struct dentry *, unsigned int). Real openings:
//   7.3:  f3 0f 1e fa | 0f 1f 44 00 00 | 80 e5 01 | 75 14   endbr64; nopl; and $0x1,%ch; jne   (0x100)
//   6.18: 0f 1f 44 00 00 | 80 e5 01 | 75 18                  nopl; and $0x1,%ch; jne           (0x100)
// x86-64 forms recognised, on the flags register only, single-bit masks only, each followed by je/jne:
//   arg 1: 40 f6 c6 ib test $ib,%sil | f7 c6 id test $id,%esi | 40 80 e6 ib and $ib,%sil
//          81 e6 id and $id,%esi     | 83 e6 ib and $ib,%esi (ib < 0x80: sign-extended)
//   arg 3: f6 c1 ib test $ib,%cl     | f6 c5 ib test $ib,%ch  | f7 c1 id test $id,%ecx
//          80 e1 ib and $ib,%cl      | 80 e5 ib and $ib,%ch   | 81 e1 id and $id,%ecx | 83 e1 ib and $ib,%ecx
// Forms without REX must not follow a REX byte (40..4f), which would make them another register.
// Anything else (another register, a multi-bit mask, no jump after it, beyond the window): null.
// PURE.
import { isBit, type LookupRcuGuess } from '../machine-code.js';
import { condJump } from './lookup-rcu-unlazy.js';

interface Form { bytes: number[]; imm: 1 | 4; shift: number; asm: string; rex: boolean; signExt?: boolean }

const FORMS: Record<number, Form[]> = {
  1: [
    { bytes: [0x40, 0xf6, 0xc6], imm: 1, shift: 0, asm: 'test $IMM,%sil', rex: true },
    { bytes: [0xf7, 0xc6], imm: 4, shift: 0, asm: 'test $IMM,%esi', rex: false },
    { bytes: [0x40, 0x80, 0xe6], imm: 1, shift: 0, asm: 'and $IMM,%sil', rex: true },
    { bytes: [0x81, 0xe6], imm: 4, shift: 0, asm: 'and $IMM,%esi', rex: false },
    { bytes: [0x83, 0xe6], imm: 1, shift: 0, asm: 'and $IMM,%esi', rex: false, signExt: true },
  ],
  3: [
    { bytes: [0xf6, 0xc1], imm: 1, shift: 0, asm: 'test $IMM,%cl', rex: false },
    { bytes: [0xf6, 0xc5], imm: 1, shift: 8, asm: 'test $IMM,%ch', rex: false },
    { bytes: [0xf7, 0xc1], imm: 4, shift: 0, asm: 'test $IMM,%ecx', rex: false },
    { bytes: [0x80, 0xe1], imm: 1, shift: 0, asm: 'and $IMM,%cl', rex: false },
    { bytes: [0x80, 0xe5], imm: 1, shift: 8, asm: 'and $IMM,%ch', rex: false },
    { bytes: [0x81, 0xe1], imm: 4, shift: 0, asm: 'and $IMM,%ecx', rex: false },
    { bytes: [0x83, 0xe1], imm: 1, shift: 0, asm: 'and $IMM,%ecx', rex: false, signExt: true },
  ],
};

const isRex = (b: number | undefined) => b !== undefined && b >= 0x40 && b <= 0x4f;

/**
 * The first single-bit test of the flags argument (`flagsArg`: 0-based position from BTF) in the first
 * `window` bytes of proc_misc_d_revalidate, followed by je/jne; null when there is none or the position has
 * no known register.
 */
export function lookupRcuFromRevalidate(code: Uint8Array, flagsArg: number | null, window = 32): LookupRcuGuess | null {
  const forms = flagsArg === null ? undefined : FORMS[flagsArg];
  if (!forms) return null;
  const n = Math.min(code.length, window);
  for (let i = 0; i < n; i++) {
    for (const f of forms) {
      if (!f.bytes.every((b, k) => code[i + k] === b)) continue;
      if (!f.rex && i > 0 && isRex(code[i - 1])) continue;
      const at = i + f.bytes.length;
      if (at + f.imm > code.length) continue;
      const imm = f.imm === 1 ? code[at]! : (code[at]! | (code[at + 1]! << 8) | (code[at + 2]! << 16) | (code[at + 3]! << 24)) >>> 0;
      if (f.signExt && imm >= 0x80) continue;
      if (!isBit(imm)) continue;
      const j = condJump(code, at + f.imm);
      if (!j) continue;
      return { value: imm * 2 ** f.shift, at: i, form: `${f.asm.replace('IMM', `0x${imm.toString(16)}`)}; ${j.op}` };
    }
  }
  return null;
}
