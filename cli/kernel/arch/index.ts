// Which machine-code readers apply: chosen by the running kernel's architecture. The one place that maps
// uname -m (os.machine()) and node's os.arch() names to the architecture names rcuwalk shows.
import { machine } from 'node:os';
import type { ArchName, MachineCode } from './machine-code.js';
import { x86_64 } from './x86-64/index.js';
import { arm64 } from './arm64/index.js';

export type { ArchName, CallSite, LookupRcuGuess, MachineCode } from './machine-code.js';

const NAMES: Record<string, string> = { x86_64: 'x86_64', amd64: 'x86_64', x64: 'x86_64', aarch64: 'arm64', arm64: 'arm64', i686: 'i686', ia32: 'i686' };

/** PURE: an architecture name as uname -m, Debian or node spell it -> rcuwalk's (x86_64, arm64, else as given). */
export function archName(name: string): string {
  return NAMES[name] ?? name;
}

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
