// arm64's machine-code readers behind the MachineCode interface. No BUG_ON reader for the unlazy
// functions: arm64's BUG_ON is a `brk` whose shape was never recorded, and proc_misc_d_revalidate is there
// on every kernel rcuwalk supports.
import type { MachineCode } from '../machine-code.js';
import { scanCallSites } from './callsite-scan.js';
import { lookupRcuFromRevalidate } from './lookup-rcu-revalidate.js';

export const arm64: MachineCode = { arch: 'arm64', scanCallSites, lookupRcuFromRevalidate, lookupRcuFromUnlazy: null };
