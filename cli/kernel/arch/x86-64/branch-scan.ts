// Direct branches of x86-64 code to any of a set of destinations: `e8 rel32` (call) and `e9 rel32` (jmp: a tail
// call, or a jump inside the function). A linear sweep without decoding, like callsite-scan.ts: a false match
// needs an e8/e9 byte inside another instruction whose next 4 bytes land exactly on a wanted destination. PURE.
import type { Branch } from '../branch.js';

export function scanBranches(code: Uint8Array, start: bigint, wanted: (dest: bigint) => boolean): Branch[] {
  const out: Branch[] = [];
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i + 5 <= code.length; i++) {
    const op = code[i];
    if (op !== 0xe8 && op !== 0xe9) continue;
    const rel = (code[i + 1]! | (code[i + 2]! << 8) | (code[i + 3]! << 16) | (code[i + 4]! << 24)) | 0;
    const dest = (start + BigInt(i + 5) + BigInt(rel)) & mask;
    if (wanted(dest)) out.push({ offset: i, nextOffset: i + 5, kind: op === 0xe8 ? 'call' : 'jump', dest });
  }
  return out;
}
