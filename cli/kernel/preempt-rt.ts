// PREEMPT_RT: is this kernel's spinlock_t a sleeping rt lock? Three signs, strongest first: /sys/kernel/realtime
// (1 on RT kernels; only they have the file), CONFIG_PREEMPT_RT in the kernel config, the rt_spin_lock symbol
// (the RT spinlock_t entry point). On RT, spinlock_t contention is traced with LCB_F_RT, not LCB_F_SPIN.
import { readFile } from 'node:fs/promises';
import type { PreemptRt } from '../facts/kernel-facts.js';

export const REALTIME_FILE = '/sys/kernel/realtime';
/** The RT spinlock_t entry point, in kallsyms only on PREEMPT_RT kernels. */
export const RT_SPIN_LOCK = 'rt_spin_lock';

/** /sys/kernel/realtime's content (trimmed), or null when the file is absent (every non-RT kernel). */
export async function readRealtimeFile(path = REALTIME_FILE): Promise<string | null> {
  try { return (await readFile(path, 'utf8')).trim(); } catch { return null; }
}

/**
 * PURE: the decision. `config`: CONFIG_PREEMPT_RT as configFlag gives it (true =y, false not set, null unknown);
 * `rtSymbol`: rt_spin_lock in kallsyms (null: kallsyms not readable, addresses hidden do not matter for names).
 */
export function preemptRtFact(realtime: string | null | undefined, config: boolean | null, rtSymbol: boolean | null): PreemptRt {
  if (realtime === '1') return { value: true, evidence: `${REALTIME_FILE} = 1` };
  if (config === true) return { value: true, evidence: 'CONFIG_PREEMPT_RT=y' };
  if (rtSymbol === true) return { value: true, evidence: `${RT_SPIN_LOCK} in /proc/kallsyms` };
  if (realtime === '0') return { value: false, evidence: `${REALTIME_FILE} = 0` };
  if (config === false) return { value: false, evidence: 'CONFIG_PREEMPT_RT is not set' };
  if (rtSymbol === false) return { value: false, evidence: `no ${RT_SPIN_LOCK} in /proc/kallsyms` };
  return { value: null, evidence: `no ${REALTIME_FILE}, no kernel config, kallsyms not read` };
}
