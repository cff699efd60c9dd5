// Finds direct calls to a target inside a caller's machine code (arm64): `bl imm26` (0x94000000 | imm26)
// at a 4-byte aligned offset whose destination (the bl's address + imm26 * 4) is exactly the target.
// Every arm64 instruction is one aligned 4-byte word, so a linear sweep decodes exactly. PURE.
import type { CallSite } from '../machine-code.js';
import { blDisplacement, word } from './insn.js';

export function scanCallSites(code: Uint8Array, start: bigint, target: bigint): CallSite[] {
  const out: CallSite[] = [];
  const mask = (1n << 64n) - 1n;
  // a caller's start is 4-byte aligned in a real kernel; the sweep follows the start's alignment
  const first = Number((4n - (start & 3n)) & 3n);
  for (let i = first; i + 4 <= code.length; i += 4) {
    const d = blDisplacement(word(code, i)!);
    if (d === null) continue;
    if (((start + BigInt(i) + BigInt(d)) & mask) === target) out.push({ offset: i, nextOffset: i + 4 });
  }
  return out;
}
