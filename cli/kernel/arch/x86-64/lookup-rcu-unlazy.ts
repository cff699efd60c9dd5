// LOOKUP_RCU read from the kernel's own code, FALLBACK decoder (the primary one is lookup-rcu-revalidate.ts,
// on proc_misc_d_revalidate). LOOKUP_RCU is a #define (not in BTF) and its value changed (0x40 -> BIT(8) =
// 0x100 in the 6.15 flags repack). try_to_unlazy_next / try_to_unlazy (unlazy_child / unlazy_walk) open
// with BUG_ON(!(nd->flags & LOOKUP_RCU)) on their first argument (%rdi = nd) on the kernels recorded up to
// 6.18. On 7.3 that BUG_ON is gone and the first single-bit test of nd->flags is another flag (`test
// $0x2,%ah; jne` = 0x200, LOOKUP_CACHED; measured in a 7.3 guest: test/fixtures/vm/7.3.4+deb13-amd64/
// lookup-rcu-check.txt). So a test counts only when it is that BUG_ON: `je` to a `ud2` (0f 0b) in the
// bytes read, or `jne` over a `ud2` right after it. x86-64 test forms recognised:
//   f6 47 d8 ib            testb $ib, d8(%rdi)          6.1: f6 47 38 40; 6.18: f6 47 39 01 (byte 1 -> 0x100)
//   f7 47 d8 id            testl $id, d8(%rdi)
//   8b 47 d8 .. a8 ib      mov d8(%rdi),%eax; test $ib,%al        5.10: 8b 47 38 a8 40
//   8b 47 d8 .. a9 id      mov d8(%rdi),%eax; test $id,%eax
//   8b 47 d8 .. f6 c4 ib   mov d8(%rdi),%eax; test $ib,%ah
// followed by  74 rb / 0f 84 rd (je) whose target is 0f 0b, or 75 rb / 0f 85 rd (jne) followed by 0f 0b.
// PURE. The flags field offset (struct nameidata.flags) comes from BTF when known.

import { isBit, type LookupRcuGuess } from '../machine-code.js';

const s8 = (b: number) => (b << 24) >> 24;
const u32 = (code: Uint8Array, i: number) => (code[i]! | (code[i + 1]! << 8) | (code[i + 2]! << 16) | (code[i + 3]! << 24)) >>> 0;
const isUd2 = (code: Uint8Array, i: number) => i >= 0 && i + 1 < code.length && code[i] === 0x0f && code[i + 1] === 0x0b;

/** PURE: a conditional jump at `i`: je/jne, rel8 or rel32, with where it goes and where it falls through. */
export function condJump(code: Uint8Array, i: number): { op: 'je' | 'jne'; target: number; next: number } | null {
  if ((code[i] === 0x74 || code[i] === 0x75) && i + 2 <= code.length) {
    return { op: code[i] === 0x74 ? 'je' : 'jne', target: i + 2 + s8(code[i + 1]!), next: i + 2 };
  }
  if (code[i] === 0x0f && (code[i + 1] === 0x84 || code[i + 1] === 0x85) && i + 6 <= code.length) {
    return { op: code[i + 1] === 0x84 ? 'je' : 'jne', target: i + 6 + (u32(code, i + 2) | 0), next: i + 6 };
  }
  return null;
}

/** The BUG_ON(!(flags & bit)) shape after a test ending at `end`: the branch taken when the bit is clear is ud2. */
function bugOnAfter(code: Uint8Array, end: number): string | null {
  const j = condJump(code, end);
  if (!j) return null;
  if (j.op === 'je' && isUd2(code, j.target)) return 'je -> ud2';
  if (j.op === 'jne' && isUd2(code, j.next)) return 'jne; ud2';
  return null;
}

/**
 * Scans the first `window` bytes for a BUG_ON test of the field at `flagsOffset` (+0..3 for byte tests)
 * off %rdi with a single-bit mask (the ud2 it jumps to may lie anywhere in `code`: pass the whole
 * function). Without the offset nothing can be told apart: null. Any other shape: null.
 */
export function lookupRcuFromCode(code: Uint8Array, flagsOffset: number | null, window = 48): LookupRcuGuess | null {
  const n = Math.min(code.length, window);
  const fieldByte = (d8: number): number | null => {
    if (flagsOffset === null) return null;
    const k = d8 - flagsOffset;
    return k >= 0 && k < 4 ? k : null;
  };
  for (let i = 0; i + 4 <= n; i++) {
    if (code[i] === 0xf6 && code[i + 1] === 0x47) {
      const k = fieldByte(code[i + 2]!);
      const bug = k !== null && isBit(code[i + 3]!) ? bugOnAfter(code, i + 4) : null;
      if (k !== null && bug) return { value: code[i + 3]! * 2 ** (8 * k), at: i, form: `testb $0x${code[i + 3]!.toString(16)},0x${code[i + 2]!.toString(16)}(%rdi); ${bug}` };
    }
    if (code[i] === 0xf7 && code[i + 1] === 0x47 && i + 7 <= code.length && fieldByte(code[i + 2]!) === 0) {
      const v = u32(code, i + 3);
      const bug = isBit(v) ? bugOnAfter(code, i + 7) : null;
      if (bug) return { value: v, at: i, form: `testl $0x${v.toString(16)},0x${code[i + 2]!.toString(16)}(%rdi); ${bug}` };
    }
    if (code[i] === 0x8b && code[i + 1] === 0x47 && fieldByte(code[i + 2]!) === 0) {
      // the loaded register must be tested within the next few bytes
      const mov = `mov 0x${code[i + 2]!.toString(16)}(%rdi),%eax`;
      for (let j = i + 3; j < Math.min(n, i + 12); j++) {
        if (code[j] === 0xa8 && j + 2 <= code.length && isBit(code[j + 1]!)) {
          const bug = bugOnAfter(code, j + 2);
          if (bug) return { value: code[j + 1]!, at: i, form: `${mov}; test $0x${code[j + 1]!.toString(16)},%al; ${bug}` };
        }
        if (code[j] === 0xa9 && j + 5 <= code.length && isBit(u32(code, j + 1))) {
          const bug = bugOnAfter(code, j + 5);
          if (bug) return { value: u32(code, j + 1), at: i, form: `${mov}; test $0x${u32(code, j + 1).toString(16)},%eax; ${bug}` };
        }
        if (code[j] === 0xf6 && code[j + 1] === 0xc4 && j + 3 <= code.length && isBit(code[j + 2]!)) {
          const bug = bugOnAfter(code, j + 3);
          if (bug) return { value: code[j + 2]! << 8, at: i, form: `${mov}; test $0x${code[j + 2]!.toString(16)},%ah; ${bug}` };
        }
      }
    }
  }
  return null;
}
