// Which machine-code readers apply: chosen by the running kernel's architecture (named by archName,
// cli/facts/arch-name.ts).
import { machine } from 'node:os';
import { archName } from '../../facts/arch-name.js';
import type { ArchName, MachineCode } from './machine-code.js';
import { x86_64 } from './x86-64/index.js';
import { arm64 } from './arm64/index.js';

export type { ArchName, CallSite, LookupRcuGuess, MachineCode } from './machine-code.js';

/** The running kernel's architecture (uname -m through os.machine()). */
export function runningArch(): string {
  return archName(machine());
}

const READERS: Partial<Record<ArchName, MachineCode>> = { x86_64, arm64 };

/** PURE: the machine-code readers of an architecture; null when rcuwalk cannot read its code. */
export function machineCodeFor(arch: string): MachineCode | null {
  return READERS[archName(arch) as ArchName] ?? null;
}

/** Architectures whose code rcuwalk reads. */
export const SUPPORTED_ARCHES: readonly string[] = Object.keys(READERS);

/** PURE: the reason given wherever the kernel's code would be read on an architecture rcuwalk cannot read. */
export function unsupportedArch(arch: string): string {
  return `unsupported architecture ${arch || '(unknown)'}: rcuwalk reads kernel code on ${SUPPORTED_ARCHES.join(' and ')} only`;
}
