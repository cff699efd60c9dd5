// Direct branches of arm64 code to any of a set of destinations: `bl imm26` (call) and `b imm26` (a tail call,
// or a jump inside the function). Fixed 4-byte instructions: the sweep decodes exactly. PURE.
import type { Branch } from '../branch.js';
import { sext, word } from './insn.js';

export function scanBranches(code: Uint8Array, start: bigint, wanted: (dest: bigint) => boolean): Branch[] {
  const out: Branch[] = [];
  const mask = (1n << 64n) - 1n;
  const first = Number((4n - (start & 3n)) & 3n);
  for (let i = first; i + 4 <= code.length; i += 4) {
    const w = word(code, i)!;
    const top = (w & 0xfc000000) >>> 0;
    if (top !== 0x94000000 && top !== 0x14000000) continue;
    const dest = (start + BigInt(i) + BigInt(sext(w & 0x03ffffff, 26) * 4)) & mask;
    if (wanted(dest)) out.push({ offset: i, nextOffset: i + 4, kind: top === 0x94000000 ? 'call' : 'jump', dest });
  }
  return out;
}
