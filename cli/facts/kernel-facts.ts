// KernelFacts: everything the resolver needs to know about one kernel, as a plain serialisable object. cli/kernel
// gathers them (from the running kernel, or from a recorded folder) and cli/probes resolves from them: this file is
// the contract between the two and imports neither.
import type { Bpftrace, CallsiteCache } from '../schema/types.generated.js';

export interface SymbolFact {
  name: string;
  base: string;
  kind: 'exact' | 'clone';
  /** hex, no 0x */
  address: string;
  size: number | null;
  nextSymbol: string | null;
  passedOver: { name: string; reason: string }[];
}

export interface BtfParam { name: string; type: string }
export interface BtfFunc {
  linkage: 'static' | 'global' | 'extern' | 'unknown';
  params: BtfParam[];
  /** bool: INT with BTF_INT_BOOL or named _Bool/bool; int: any other integer; void; other */
  returns: 'bool' | 'int' | 'void' | 'other';
  returnType: string;
}

export interface BtfFacts {
  source: string;
  available: boolean;
  sizeBytes: number | null;
  /** every function of the facts (FACT_FUNCTIONS, cli/kernel/fact-names.ts); null: no FUNC of that name in BTF */
  funcs: Record<string, BtfFunc | null>;
  enums: Record<string, number | null>;
  /** "struct.member" -> byte offset (STRUCT_MEMBERS); absent in folders recorded before it existed */
  members?: Record<string, number | null>;
  error?: string;
}

export interface TracefsFacts {
  tracefs: string | null;
  debugfs: string | null;
  /** the selected mode of /sys/kernel/security/lockdown ("none", "integrity", "confidentiality"), or null */
  lockdown: string | null;
  kprobeEvents: boolean;
  /** "ok" | "missing" | "error: <message>" */
  availableFilterFunctions: string;
  /** by base name: listed in available_filter_functions (any clone counts); null when unreadable */
  traceable: Record<string, boolean | null>;
  /** by base name: listed in <debugfs>/kprobes/blacklist; null when unreadable */
  kprobeBlacklist: Record<string, boolean | null>;
  tracepoints: Record<string, boolean>;
}

/**
 * LOOKUP_RCU as read from the kernel's code (cli/kernel/lookup-rcu-code.ts). kind 'revalidate': the
 * `flags & LOOKUP_RCU` test opening proc_misc_d_revalidate (flags argument position from BTF); 'unlazy' (fallback):
 * the BUG_ON(!(nd->flags & LOOKUP_RCU)) opening an unlazy function (nameidata.flags offset from BTF). value null: no
 * function gave one; then symbol/source are the last one tried.
 */
export type LookupRcuCode = NonNullable<CallsiteCache['lookupRcuCode']>;

export interface CallsiteFacts {
  target: string;
  /** where the caller bytes came from */
  source: string;
  sites: { caller: string; offset: number; nextOffset: number }[];
  /** callers that exist but could not be read, with why */
  errors: { caller: string; error: string }[];
}

/** The kernel's own verdict on registering a kprobe event on a function. */
export interface KprobeTest { ok: boolean; error: string | null; dmesg: string | null }

export interface ProbeFacts {
  /** registering a kprobe event on lockref_get_not_dead (null: not tried) */
  kprobeLockref: KprobeTest | null;
  /** loading a tiny fentry/kfunc program on pid_revalidate (null: not tried) */
  fentry: { ok: boolean; error: string | null } | null;
}

/** PREEMPT_RT (cli/kernel/preempt-rt.ts): spinlock_t is a sleeping rt lock, its contention traced with LCB_F_RT. */
export interface PreemptRt {
  /** null: no sign either way (no /sys/kernel/realtime, no config, kallsyms hidden or not read) */
  value: boolean | null;
  /** what decided it */
  evidence: string;
}

export interface KernelFacts {
  release: string;
  version: string;
  arch: string;
  /** by base name (FACT_FUNCTIONS): the chosen entry symbol, or null when the kernel has none */
  symbols: Record<string, SymbolFact | null>;
  addressesHidden: boolean;
  config: { source: string | null; values: Record<string, string> };
  btf: BtfFacts;
  tracefs: TracefsFacts;
  bpftrace: (Bpftrace & { kfunc: boolean | null }) | null;
  probes: ProbeFacts;
  callsites: CallsiteFacts | null;
  lookupRcuCode: LookupRcuCode | null;
  preemptRt: PreemptRt;
}

/** true for =y/=m, false for "is not set", null when the config does not mention it or is unknown. */
export function configFlag(f: KernelFacts, key: string): boolean | null {
  if (f.config.source === null) return null;
  const v = f.config.values[key];
  if (v === undefined) return null;
  return v === 'y' || v === 'm';
}
