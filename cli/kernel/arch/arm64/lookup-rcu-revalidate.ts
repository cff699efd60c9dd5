// LOOKUP_RCU read from proc_misc_d_revalidate's arm64 code: it opens with `if (flags & LOOKUP_RCU) return
// -ECHILD;`, a test of its flags argument register (w<flagsArg>: AAPCS64 passes the first eight integer
// arguments in x0-x7). Forms recognised on that register only, single-bit masks only:
//   tbnz/tbz wN, #bit, label                  value 1 << bit
//   tst wN, #imm (ands wzr, wN, #imm); b.ne/b.eq
//   and wD, wN, #imm; cbnz/cbz wD   (or tbnz/tbz wD on that same bit)
// The register must not be written before the test (then it no longer holds the argument): the scan stops
// at the first instruction whose destination is wN/xN. Anything else: null (the caller reports the RCU
// share unavailable with that reason, never a guess). PURE.
import { isBit, type LookupRcuGuess } from '../machine-code.js';
import { compareBranch, condBranch, logicalImm32, testBranch, word } from './insn.js';

const hex = (v: number) => `0x${v.toString(16)}`;
const COND: Record<number, string> = { 0: 'b.eq', 1: 'b.ne' };

/** Destination register of the common data-processing/load forms (approximate: enough to stop the scan). */
function writesReg(w: number, reg: number): boolean {
  const rd = w & 31;
  if (rd !== reg) return false;
  // branches, stores, compares and test-branches have no destination in bits 4-0
  if (testBranch(w) || condBranch(w) || compareBranch(w)) return false;
  if ((w & 0xfc000000) >>> 0 === 0x94000000 || (w & 0xfc000000) >>> 0 === 0x14000000) return false; // bl, b
  if ((w & 0xfffff01f) >>> 0 === 0xd503201f) return false; // hint (nop, bti, paciasp)
  if ((w & 0x0a000000) === 0x08000000 && ((w >>> 22) & 1) === 0) return false; // a store (load/store class, L=0)
  return true;
}

export function lookupRcuFromRevalidate(code: Uint8Array, flagsArg: number | null, window = 64): LookupRcuGuess | null {
  if (flagsArg === null || flagsArg < 0 || flagsArg > 7) return null;
  const reg = flagsArg;
  const n = Math.min(code.length, window);
  for (let i = 0; i + 4 <= n; i += 4) {
    const w = word(code, i)!;
    const tb = testBranch(w);
    if (tb && tb.reg === reg && tb.bit < 32) {
      return { value: 2 ** tb.bit, at: i, form: `${tb.op} w${reg}, #${tb.bit}` };
    }
    const li = logicalImm32(w);
    if (li && li.rn === reg && isBit(li.imm)) {
      const next = word(code, i + 4);
      if (li.op === 'ands' && li.rd === 31 && next !== null) {
        const cb = condBranch(next);
        if (cb && COND[cb.cond]) return { value: li.imm, at: i, form: `tst w${reg}, #${hex(li.imm)}; ${COND[cb.cond]}` };
      }
      if (li.op === 'and' && li.rd !== 31) {
        // the result is tested within the next few instructions
        for (let j = i + 4; j < Math.min(code.length, i + 20); j += 4) {
          const wj = word(code, j)!;
          const cz = compareBranch(wj);
          if (cz && cz.reg === li.rd && !cz.x) return { value: li.imm, at: i, form: `and w${li.rd}, w${reg}, #${hex(li.imm)}; ${cz.op} w${li.rd}` };
          const t2 = testBranch(wj);
          if (t2 && t2.reg === li.rd && 2 ** t2.bit === li.imm) return { value: li.imm, at: i, form: `and w${li.rd}, w${reg}, #${hex(li.imm)}; ${t2.op} w${li.rd}, #${t2.bit}` };
          if (writesReg(wj, li.rd)) break;
        }
      }
    }
    if (writesReg(w, reg)) return null;
  }
  return null;
}
