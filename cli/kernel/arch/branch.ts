// A direct branch found in machine code by an architecture's branch scanner (x86-64/, arm64/ branch-scan.ts),
// and the scanner for an architecture. PURE.
import { archName } from '../../facts/arch-name.js';
import { scanBranches as x86 } from './x86-64/branch-scan.js';
import { scanBranches as arm64 } from './arm64/branch-scan.js';

export interface Branch {
  /** offset of the branch instruction from the code's start */
  offset: number;
  /** offset of the instruction after it: a call's return address is start + nextOffset */
  nextOffset: number;
  /** call: returns here (x86-64 call, arm64 bl); jump: does not (a tail call when it leaves the function) */
  kind: 'call' | 'jump';
  dest: bigint;
}

export type BranchScanner = (code: Uint8Array, start: bigint, wanted: (dest: bigint) => boolean) => Branch[];

const SCANNERS: Record<string, BranchScanner> = { x86_64: x86, arm64 };

/** The branch scanner of an architecture (uname -m or rcuwalk's name), or null. */
export function branchScannerFor(arch: string): BranchScanner | null {
  return SCANNERS[archName(arch)] ?? null;
}
