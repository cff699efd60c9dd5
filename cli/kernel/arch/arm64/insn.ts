// arm64 instruction decoding for the readers beside it: fixed 4-byte little-endian words. PURE.

/** The 32-bit instruction word at byte offset i (little-endian), or null past the end. */
export function word(code: Uint8Array, i: number): number | null {
  if (i < 0 || i + 4 > code.length) return null;
  return (code[i]! | (code[i + 1]! << 8) | (code[i + 2]! << 16) | (code[i + 3]! << 24)) >>> 0;
}

/** Sign-extends the low `bits` bits of v. */
export function sext(v: number, bits: number): number {
  const shift = 32 - bits;
  return (v << shift) >> shift;
}

/** bl imm26: the byte displacement of its destination from the bl itself, or null when w is no bl. */
export function blDisplacement(w: number): number | null {
  return (w & 0xfc000000) >>> 0 === 0x94000000 ? sext(w & 0x03ffffff, 26) * 4 : null;
}

/** tbz/tbnz Rt, #bit, label. */
export function testBranch(w: number): { op: 'tbz' | 'tbnz'; reg: number; x: boolean; bit: number; disp: number } | null {
  if ((w & 0x7e000000) >>> 0 !== 0x36000000) return null;
  const b5 = w >>> 31;
  return { op: (w >>> 24) & 1 ? 'tbnz' : 'tbz', reg: w & 31, x: b5 === 1, bit: (b5 << 5) | ((w >>> 19) & 31), disp: sext((w >>> 5) & 0x3fff, 14) * 4 };
}

/** b.cond: the condition number (0 eq, 1 ne, ...). */
export function condBranch(w: number): { cond: number; disp: number } | null {
  if ((w & 0xff000010) >>> 0 !== 0x54000000) return null;
  return { cond: w & 15, disp: sext((w >>> 5) & 0x7ffff, 19) * 4 };
}

/** cbz/cbnz Rt, label. */
export function compareBranch(w: number): { op: 'cbz' | 'cbnz'; reg: number; x: boolean; disp: number } | null {
  if ((w & 0x7e000000) >>> 0 !== 0x34000000) return null;
  return { op: (w >>> 24) & 1 ? 'cbnz' : 'cbz', reg: w & 31, x: w >>> 31 === 1, disp: sext((w >>> 5) & 0x7ffff, 19) * 4 };
}

/**
 * The value of a 32-bit logical immediate (N:immr:imms, the ARM ARM's DecodeBitMasks for datasize 32);
 * null for a reserved encoding.
 */
export function bitmask32(n: number, immr: number, imms: number): number | null {
  if (n !== 0) return null; // N=1 is a 64-bit element: not valid for a w register
  const notImms = ~imms & 0x3f;
  let len = -1;
  for (let b = 5; b >= 0; b--) if (notImms & (1 << b)) { len = b; break; }
  if (len < 1) return null;
  const esize = 1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return null;
  const ones = s + 1;
  let elem = ones >= 32 ? 0xffffffff : (2 ** ones - 1);
  if (r) elem = ((elem >>> r) | (elem << (esize - r))) >>> 0;
  if (esize < 32) elem &= (2 ** esize - 1);
  let v = 0;
  for (let k = 0; k < 32; k += esize) v = (v | (elem << k)) >>> 0;
  return v >>> 0;
}

/** Logical immediate, 32-bit: and (opc 00) or ands (opc 11; tst when Rd is wzr). */
export function logicalImm32(w: number): { op: 'and' | 'ands'; rd: number; rn: number; imm: number } | null {
  const top = (w & 0xff800000) >>> 0; // sf=0, opc, 100100, N=0
  const op = top === 0x12000000 ? 'and' : top === 0x72000000 ? 'ands' : null;
  if (!op) return null;
  const imm = bitmask32((w >>> 22) & 1, (w >>> 16) & 0x3f, (w >>> 10) & 0x3f);
  return imm === null ? null : { op, rd: w & 31, rn: (w >>> 5) & 31, imm };
}
