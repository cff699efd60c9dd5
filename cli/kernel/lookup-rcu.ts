// LOOKUP_RCU read from the kernel's own code. It is a #define (not in BTF), and its value changed
// (0x40 -> BIT(8) = 0x100 in the 6.15 flags repack), so rcuwalk looks at how try_to_unlazy_next /
// try_to_unlazy (unlazy_child / unlazy_walk) open: each first tests `nd->flags & LOOKUP_RCU` on its first
// argument (%rdi = nd). x86-64 forms recognised (seen on the recorded kernels):
//   f6 47 d8 ib            testb $ib, d8(%rdi)          6.1: f6 47 38 40; 6.18: f6 47 39 01 (byte 1 -> 0x100)
//   f7 47 d8 id            testl $id, d8(%rdi)
//   8b 47 d8 .. a8 ib      mov d8(%rdi),%eax; test $ib,%al        5.10: 8b 47 38 a8 40
//   8b 47 d8 .. a9 id      mov d8(%rdi),%eax; test $id,%eax
//   8b 47 d8 .. f6 c4 ib   mov d8(%rdi),%eax; test $ib,%ah
// PURE. The flags field offset (struct nameidata.flags) comes from BTF when known.

export interface LookupRcuGuess { value: number; at: number; form: string }

const isBit = (v: number) => v > 0 && (v & (v - 1)) === 0;

/**
 * Scans the first `window` bytes for the first test of the field at `flagsOffset` (+0..3 for byte tests)
 * off %rdi with a single-bit mask. Without the offset nothing can be told apart: null.
 */
export function lookupRcuFromCode(code: Uint8Array, flagsOffset: number | null, window = 48): LookupRcuGuess | null {
  const n = Math.min(code.length, window);
  const fieldByte = (d8: number): number | null => {
    if (flagsOffset === null) return null;
    const k = d8 - flagsOffset;
    return k >= 0 && k < 4 ? k : null;
  };
  const u32 = (i: number) => (code[i]! | (code[i + 1]! << 8) | (code[i + 2]! << 16) | (code[i + 3]! << 24)) >>> 0;
  for (let i = 0; i + 4 <= n; i++) {
    if (code[i] === 0xf6 && code[i + 1] === 0x47) {
      const k = fieldByte(code[i + 2]!);
      const v = code[i + 3]! * 2 ** (8 * (k ?? 0));
      if (k !== null && isBit(code[i + 3]!)) return { value: v, at: i, form: `testb $0x${code[i + 3]!.toString(16)},0x${code[i + 2]!.toString(16)}(%rdi)` };
    }
    if (code[i] === 0xf7 && code[i + 1] === 0x47 && i + 7 <= n && fieldByte(code[i + 2]!) === 0) {
      const v = u32(i + 3);
      if (isBit(v)) return { value: v, at: i, form: `testl $0x${v.toString(16)},0x${code[i + 2]!.toString(16)}(%rdi)` };
    }
    if (code[i] === 0x8b && code[i + 1] === 0x47 && fieldByte(code[i + 2]!) === 0) {
      // the loaded register must be tested within the next few bytes
      for (let j = i + 3; j < Math.min(n, i + 12); j++) {
        if (code[j] === 0xa8 && j + 2 <= n && isBit(code[j + 1]!)) return { value: code[j + 1]!, at: i, form: `mov 0x${code[i + 2]!.toString(16)}(%rdi),%eax; test $0x${code[j + 1]!.toString(16)},%al` };
        if (code[j] === 0xa9 && j + 5 <= n && isBit(u32(j + 1))) return { value: u32(j + 1), at: i, form: `mov; test $0x${u32(j + 1).toString(16)},%eax` };
        if (code[j] === 0xf6 && code[j + 1] === 0xc4 && j + 3 <= n && isBit(code[j + 2]!)) return { value: code[j + 2]! << 8, at: i, form: `mov; test $0x${code[j + 2]!.toString(16)},%ah` };
      }
    }
  }
  return null;
}
