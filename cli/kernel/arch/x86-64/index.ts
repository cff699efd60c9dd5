// x86-64's machine-code readers behind the MachineCode interface.
import type { MachineCode } from '../machine-code.js';
import { scanCallSites } from './callsite-scan.js';
import { lookupRcuFromRevalidate } from './lookup-rcu-revalidate.js';
import { lookupRcuFromCode } from './lookup-rcu-unlazy.js';

export const x86_64: MachineCode = { arch: 'x86_64', scanCallSites, lookupRcuFromRevalidate, lookupRcuFromUnlazy: lookupRcuFromCode };
