// Finds direct calls to a target inside a caller's machine code (x86-64): `e8 rel32` whose destination
// (address of the next instruction + rel32) is exactly the target. Pure.
import type { CallSite } from '../machine-code.js';

/**
 * Scans every byte position (a linear sweep without decoding): an `e8` whose rel32 lands exactly on the
 * target. A false match needs an e8 byte inside another instruction followed by the exact 32-bit distance
 * to the target, which the tests cross-check against a disassembler on real kernels.
 */
export function scanCallSites(code: Uint8Array, start: bigint, target: bigint): CallSite[] {
  const out: CallSite[] = [];
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i + 5 <= code.length; i++) {
    if (code[i] !== 0xe8) continue;
    const rel = (code[i + 1]! | (code[i + 2]! << 8) | (code[i + 3]! << 16) | (code[i + 4]! << 24)) | 0; // int32
    const dest = (start + BigInt(i + 5) + BigInt(rel)) & mask;
    if (dest === target) out.push({ offset: i, nextOffset: i + 5 });
  }
  return out;
}
