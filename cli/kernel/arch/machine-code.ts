// The one interface every architecture's machine-code readers implement (x86-64/, arm64/ beside this file).
// rcuwalk reads two facts from the kernel's own code: the direct calls to lockref_get_not_dead inside the
// path-walk callers (the callsite strategy's kprobe points) and the LOOKUP_RCU bit from a flags test. PURE.

/** Architectures by the kernel's own names (one mapping from uname -m: archName() in ./index.ts). */
export type ArchName = 'x86_64' | 'arm64';

export interface CallSite {
  /** offset of the call instruction from the caller's start */
  offset: number;
  /** offset of the instruction after the call (x86-64: offset + 5; arm64: offset + 4) */
  nextOffset: number;
}

export interface LookupRcuGuess { value: number; at: number; form: string }

export interface MachineCode {
  arch: ArchName;
  /** Direct calls in `code` (a caller starting at `start`) whose destination is exactly `target`. */
  scanCallSites(code: Uint8Array, start: bigint, target: bigint): CallSite[];
  /**
   * LOOKUP_RCU from proc_misc_d_revalidate's opening `if (flags & LOOKUP_RCU) return -ECHILD;`: `flagsArg`
   * is the 0-based position of its flags parameter (from BTF). null: no recognised single-bit test.
   */
  lookupRcuFromRevalidate(code: Uint8Array, flagsArg: number | null): LookupRcuGuess | null;
  /**
   * Fallback: LOOKUP_RCU from an unlazy function's BUG_ON(!(nd->flags & LOOKUP_RCU)) (`flagsOffset`:
   * nameidata.flags from BTF). null when this architecture has no such reader.
   */
  lookupRcuFromUnlazy: ((code: Uint8Array, flagsOffset: number | null) => LookupRcuGuess | null) | null;
}

/** Bumped whenever a decoder's rules change: cached results of another version are not used. */
export const LOOKUP_RCU_DECODER_VERSION = 2;

export const isBit = (v: number) => v > 0 && (v & (v - 1)) === 0;
