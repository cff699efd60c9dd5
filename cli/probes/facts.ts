// KernelFacts: everything the resolver needs to know about one kernel, as a plain serialisable object,
// and the PURE builder from raw inputs (kallsyms text, config text, BTF extract, tracefs facts, ...).
// The live gatherer (kernel-facts.ts) and the fixture loader (facts-folder.ts) both go through buildKernelFacts.
import { findFunction, parseKallsyms, type FunctionLookup } from '../kernel/kallsyms.js';
import { parseKernelConfig } from '../kernel/kernel-config.js';
import type { BtfFunc } from '../kernel/btf.js';
import { lookupRcuFromCode } from '../kernel/lookup-rcu.js';
import type { TracefsFacts, KprobeTest } from '../kernel/tracefs.js';
import { parseBpftraceVersion, parseKfuncSupport } from '../bpftrace/version.js';
import type { Bpftrace } from '../schema/types.generated.js';

/** Functions whose symbols, BTF protos and traceability are recorded. */
export const TARGET_FUNCTIONS = ['pid_revalidate', 'try_to_unlazy_next', 'unlazy_child', 'try_to_unlazy', 'unlazy_walk', 'lockref_get_not_dead'] as const;
/** Callers of lockref_get_not_dead scanned for call sites (callsite strategy). */
export const LOCKREF_CALLERS = ['try_to_unlazy_next', 'unlazy_child', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'] as const;
export const FACT_FUNCTIONS: readonly string[] = [...new Set<string>([...TARGET_FUNCTIONS, ...LOCKREF_CALLERS])];
export const CONFIG_KEYS = [
  'CONFIG_KPROBES', 'CONFIG_KPROBE_EVENTS', 'CONFIG_KPROBE_EVENTS_ON_NOTRACE', 'CONFIG_KRETPROBES', 'CONFIG_BPF_EVENTS',
  'CONFIG_BPF_SYSCALL', 'CONFIG_BPF_JIT', 'CONFIG_DEBUG_INFO_BTF', 'CONFIG_FTRACE', 'CONFIG_FUNCTION_TRACER',
  'CONFIG_DYNAMIC_FTRACE', 'CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS', 'CONFIG_FPROBE', 'CONFIG_TRACEPOINTS',
  'CONFIG_PROC_KCORE', 'CONFIG_LOCKDEP', 'CONFIG_LOCK_STAT', 'CONFIG_SECURITY_LOCKDOWN_LSM', 'CONFIG_X86_KERNEL_IBT',
  'CONFIG_CALL_PADDING', 'CONFIG_FUNCTION_ALIGNMENT', 'CONFIG_QUEUED_SPINLOCKS', 'CONFIG_ARCH_USE_CMPXCHG_LOCKREF', 'CONFIG_PREEMPT_RCU',
] as const;
export const ENUM_NAMES = ['LOOKUP_RCU'] as const;
export const STRUCT_MEMBERS = [['nameidata', 'flags']] as const;
/** functions that open with a test of nd->flags & LOOKUP_RCU, in order of preference */
export const LOOKUP_RCU_FUNCS = ['try_to_unlazy_next', 'unlazy_child', 'try_to_unlazy', 'unlazy_walk'] as const;

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

export interface BtfFacts {
  source: string;
  available: boolean;
  sizeBytes: number | null;
  /** every FACT_FUNCTIONS name; null: no FUNC of that name in BTF */
  funcs: Record<string, BtfFunc | null>;
  enums: Record<string, number | null>;
  /** "struct.member" -> byte offset (STRUCT_MEMBERS); absent in folders recorded before it existed */
  members?: Record<string, number | null>;
  error?: string;
}

/** LOOKUP_RCU as read from the opening test of an unlazy function (cli/kernel/lookup-rcu.ts). */
export interface LookupRcuCode { symbol: string; value: number | null; form: string | null; flagsOffset: number | null; source: string }

export interface CallsiteFacts {
  target: string;
  /** where the caller bytes came from */
  source: string;
  sites: { caller: string; offset: number; nextOffset: number }[];
  /** callers that exist but could not be read, with why */
  errors: { caller: string; error: string }[];
}

export interface ProbeFacts {
  /** registering a kprobe event on lockref_get_not_dead (null: not tried) */
  kprobeLockref: KprobeTest | null;
  /** loading a tiny fentry/kfunc program on pid_revalidate (null: not tried) */
  fentry: { ok: boolean; error: string | null } | null;
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
}

export interface RawFacts {
  source: { release: string; version: string; arch: string; procVersion?: string; note?: string };
  kallsymsText: string;
  config: { source: string; text: string } | null;
  btf: BtfFacts;
  tracefs: TracefsFacts;
  bpftrace: { path: string; versionText: string; infoText: string } | null;
  probes: ProbeFacts;
  callsites: CallsiteFacts | null;
  lookupRcuCode: LookupRcuCode | null;
}

export function symbolFact(l: FunctionLookup): SymbolFact | null {
  const c = l.chosen;
  if (!c) return null;
  return {
    name: c.name, base: c.base, kind: c.kind, address: c.address.toString(16).padStart(16, '0'),
    size: c.size, nextSymbol: c.nextSymbol, passedOver: l.passedOver,
  };
}

/** PURE: raw inputs -> KernelFacts. */
export function buildKernelFacts(raw: RawFacts): KernelFacts {
  const entries = parseKallsyms(raw.kallsymsText);
  const symbols: Record<string, SymbolFact | null> = {};
  let hidden = false;
  for (const name of FACT_FUNCTIONS) {
    const l = findFunction(entries, name);
    hidden ||= l.addressesHidden;
    symbols[name] = symbolFact(l);
  }
  const values: Record<string, string> = {};
  if (raw.config) {
    const cfg = parseKernelConfig(raw.config.text);
    for (const k of CONFIG_KEYS) { const v = cfg.get(k); if (v !== undefined) values[k] = v; }
  }
  let bpftrace: KernelFacts['bpftrace'] = null;
  if (raw.bpftrace) {
    const v = parseBpftraceVersion(raw.bpftrace.versionText);
    if (v) bpftrace = { path: raw.bpftrace.path, version: v.version, syntax: v.syntax, kfunc: parseKfuncSupport(raw.bpftrace.infoText) };
  }
  return {
    release: raw.source.release, version: raw.source.version, arch: raw.source.arch,
    symbols, addressesHidden: hidden,
    config: { source: raw.config?.source ?? null, values },
    btf: raw.btf, tracefs: raw.tracefs, bpftrace, probes: raw.probes, callsites: raw.callsites,
    lookupRcuCode: raw.lookupRcuCode,
  };
}

/** PURE: LOOKUP_RCU from the bytes of one of LOOKUP_RCU_FUNCS (and nameidata.flags from BTF). */
export function lookupRcuCodeFact(symbol: string, bytes: Uint8Array, btf: BtfFacts, source: string): LookupRcuCode {
  const flagsOffset = btf.members?.['nameidata.flags'] ?? null;
  const g = lookupRcuFromCode(bytes, flagsOffset);
  return { symbol, value: g?.value ?? null, form: g ? `${symbol}+${g.at}: ${g.form}` : null, flagsOffset, source };
}

/** true for =y/=m, false for "is not set", null when the config does not mention it or is unknown. */
export function configFlag(f: KernelFacts, key: string): boolean | null {
  if (f.config.source === null) return null;
  const v = f.config.values[key];
  if (v === undefined) return null;
  return v === 'y' || v === 'm';
}
