// Refuse to load probes without the capabilities bpftrace needs, rather than half-working.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

const CAP_SYSLOG = 34n;
const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** Effective capability mask from /proc/self/status text. */
export function effectiveCaps(statusText: string): bigint {
  const m = /^CapEff:\s*([0-9a-fA-F]+)$/m.exec(statusText);
  return m ? BigInt('0x' + m[1]) : 0n;
}

function hasCap(mask: bigint, cap: bigint): boolean {
  return (mask & (1n << cap)) !== 0n;
}

/**
 * What is missing to trace, or null when allowed: CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN (kernels before 5.8, and
 * for kprobes on some); and CAP_SYSLOG: without it /proc/kallsyms reads as zeros (perf_event_paranoid >= 2), kernel
 * stacks cannot be symbolized, and bpftrace 0.17 printed no interval at all (test/reliability/privilege.test.ts).
 */
export function missingPrivilege(mask: bigint): string | null {
  const tracing = hasCap(mask, CAP_SYS_ADMIN) || (hasCap(mask, CAP_BPF) && hasCap(mask, CAP_PERFMON));
  if (tracing && hasCap(mask, CAP_SYSLOG)) return null;
  if (tracing) return 'rcuwalk needs CAP_SYSLOG as well (kernel symbols for stacks: /proc/kallsyms reads as zeros without it)';
  return 'rcuwalk needs root, or CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels older than 5.8) and CAP_SYSLOG';
}

export function assertPrivileged(statusText = readFileSync('/proc/self/status', 'utf8')): void {
  const missing = missingPrivilege(effectiveCaps(statusText));
  if (missing) {
    throw new UserError(missing, "run it with sudo: as root, with CAP_BPF, CAP_PERFMON and CAP_SYSLOG kept (bpftrace 0.17 runs only as root)", EXIT.privilege);
  }
}
