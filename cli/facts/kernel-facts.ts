// KernelFacts: everything the resolver needs to know about one kernel, as a plain serialisable object,
// and the PURE builder from raw inputs (kallsyms text, config text, BTF extract, tracefs facts, ...).
// The live gatherer (kernel-facts.ts) and the fixture loader (facts-folder.ts) both go through buildKernelFacts.
import { findFunction, parseKallsyms, type FunctionLookup } from '../kernel/kallsyms.js';
import { parseKernelConfig } from '../kernel/kernel-config.js';
import type { BtfFunc } from '../kernel/btf.js';
import { machineCodeFor, SUPPORTED_ARCHES, type MachineCode } from '../kernel/arch/index.js';
import { LOOKUP_RCU_DECODER_VERSION } from '../kernel/arch/machine-code.js';
import type { TracefsFacts, KprobeTest } from '../kernel/tracefs.js';
import { preemptRtFact, RT_SPIN_LOCK, type PreemptRt } from '../kernel/preempt-rt.js';
import { parseBpftraceVersion, parseKfuncSupport } from '../bpftrace/version.js';
import type { Bpftrace, CallsiteCache } from '../schema/types.generated.js';

/** Functions whose symbols, BTF protos and traceability are recorded. */
export const TARGET_FUNCTIONS = ['pid_revalidate', 'try_to_unlazy_next', 'unlazy_child', 'try_to_unlazy', 'unlazy_walk', 'lockref_get_not_dead'] as const;
/** Callers of lockref_get_not_dead scanned for call sites (callsite strategy). */
export const LOCKREF_CALLERS = ['try_to_unlazy_next', 'unlazy_child', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'] as const;
/** The function LOOKUP_RCU is read from first: it opens with `if (flags & LOOKUP_RCU) return -ECHILD;`. */
export const LOOKUP_RCU_REVALIDATE = 'proc_misc_d_revalidate';
export const FACT_FUNCTIONS: readonly string[] = [...new Set<string>([...TARGET_FUNCTIONS, ...LOCKREF_CALLERS, LOOKUP_RCU_REVALIDATE, RT_SPIN_LOCK])];
export const CONFIG_KEYS = [
  'CONFIG_KPROBES', 'CONFIG_KPROBE_EVENTS', 'CONFIG_KPROBE_EVENTS_ON_NOTRACE', 'CONFIG_KRETPROBES', 'CONFIG_BPF_EVENTS',
  'CONFIG_BPF_SYSCALL', 'CONFIG_BPF_JIT', 'CONFIG_DEBUG_INFO_BTF', 'CONFIG_FTRACE', 'CONFIG_FUNCTION_TRACER',
  'CONFIG_DYNAMIC_FTRACE', 'CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS', 'CONFIG_FPROBE', 'CONFIG_TRACEPOINTS',
  'CONFIG_PROC_KCORE', 'CONFIG_LOCKDEP', 'CONFIG_LOCK_STAT', 'CONFIG_SECURITY_LOCKDOWN_LSM', 'CONFIG_X86_KERNEL_IBT',
  'CONFIG_CALL_PADDING', 'CONFIG_FUNCTION_ALIGNMENT', 'CONFIG_QUEUED_SPINLOCKS', 'CONFIG_ARCH_USE_CMPXCHG_LOCKREF', 'CONFIG_PREEMPT_RCU',
  'CONFIG_PREEMPT_RT',
] as const;
export const ENUM_NAMES = ['LOOKUP_RCU'] as const;
export const STRUCT_MEMBERS = [['nameidata', 'flags']] as const;
/** fallback: functions that opened with BUG_ON(!(nd->flags & LOOKUP_RCU)) (up to 6.18 at least), in order of preference */
export const LOOKUP_RCU_FUNCS = ['try_to_unlazy_next', 'unlazy_child', 'try_to_unlazy', 'unlazy_walk'] as const;
/** every function LOOKUP_RCU may be read from, in order: proc_misc_d_revalidate, then the unlazy fallbacks */
export const LOOKUP_RCU_CODE_FUNCS: readonly string[] = [LOOKUP_RCU_REVALIDATE, ...LOOKUP_RCU_FUNCS];
/** bytes read from proc_misc_d_revalidate (its flags test is in the first 32) */
export const REVALIDATE_HEAD_BYTES = 64;

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

/**
 * LOOKUP_RCU as read from the kernel's code. kind 'revalidate': the `flags & LOOKUP_RCU` test opening
 * proc_misc_d_revalidate (cli/kernel/arch/<arch>/lookup-rcu-revalidate.ts, flags argument position from BTF);
 * 'unlazy' (fallback): the BUG_ON(!(nd->flags & LOOKUP_RCU)) opening an unlazy function
 * (cli/kernel/arch/x86-64/lookup-rcu-unlazy.ts, nameidata.flags offset from BTF). value null: no function gave one; then
 * symbol/source are the last one tried.
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
  /** PREEMPT_RT (cli/kernel/preempt-rt.ts): spinlock_t is a sleeping rt lock, its contention traced with LCB_F_RT */
  preemptRt: PreemptRt;
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
  /** /sys/kernel/realtime's content; null: absent (non-RT kernels); undefined: not read (older folders) */
  realtime?: string | null;
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
  const rtConfig = values.CONFIG_PREEMPT_RT === undefined ? null : values.CONFIG_PREEMPT_RT === 'y';
  const preemptRt = preemptRtFact(raw.realtime, rtConfig, raw.kallsymsText.trim() ? symbols[RT_SPIN_LOCK] !== null : null);
  return {
    release: raw.source.release, version: raw.source.version, arch: raw.source.arch,
    symbols, addressesHidden: hidden,
    config: { source: raw.config?.source ?? null, values },
    btf: raw.btf, tracefs: raw.tracefs, bpftrace, probes: raw.probes, callsites: raw.callsites,
    lookupRcuCode: raw.lookupRcuCode, preemptRt,
  };
}

/** PURE: proc_misc_d_revalidate's flags argument position from its BTF proto (a param named flags, unsigned int). */
export function revalidateFlagsArg(btf: BtfFacts): number | null {
  const proto = btf.funcs[LOOKUP_RCU_REVALIDATE];
  if (!proto) return null;
  const i = proto.params.findIndex((p) => p.name === 'flags' && /^(const )?unsigned int$/.test(p.type));
  return i < 0 ? null : i;
}

/** PURE: LOOKUP_RCU from the bytes of proc_misc_d_revalidate (flags argument position from BTF). */
export function lookupRcuRevalidateFact(symbol: string, bytes: Uint8Array, btf: BtfFacts, source: string, mc: MachineCode): LookupRcuCode {
  const flagsArg = revalidateFlagsArg(btf);
  const g = mc.lookupRcuFromRevalidate(bytes, flagsArg);
  return { kind: 'revalidate', symbol, value: g?.value ?? null, form: g ? `${symbol}+${g.at}: ${g.form}` : null, flagsOffset: null, flagsArg, source, passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION };
}

/** PURE: LOOKUP_RCU from the bytes of one of LOOKUP_RCU_FUNCS (and nameidata.flags from BTF). */
export function lookupRcuCodeFact(symbol: string, bytes: Uint8Array, btf: BtfFacts, source: string, mc: MachineCode): LookupRcuCode {
  const flagsOffset = btf.members?.['nameidata.flags'] ?? null;
  const g = mc.lookupRcuFromUnlazy?.(bytes, flagsOffset) ?? null;
  return { kind: 'unlazy', symbol, value: g?.value ?? null, form: g ? `${symbol}+${g.at}: ${g.form}` : null, flagsOffset, flagsArg: null, source, passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION };
}

/**
 * Bytes of one function for the LOOKUP_RCU decoders: `{ bytes, source }`; null when none are available
 * (a recorded folder without them); throws when reading failed. `len` is what to read from the start.
 */
export type LookupRcuTextReader = (symbol: string, address: bigint, len: number, kind: LookupRcuCode['kind']) => Promise<{ bytes: Uint8Array; source: string } | null>;

const firstLine = (e: unknown) => ((e as Error).message ?? String(e)).split('\n')[0] ?? '';

/**
 * LOOKUP_RCU from the kernel's code: proc_misc_d_revalidate first, then each unlazy function present, the
 * first that decodes wins; why each earlier one did not is kept in passedOver. null when none of them is in
 * kallsyms. The live gatherer and the folder loader differ only in `read`. `arch` picks the decoders
 * (cli/kernel/arch/); an architecture without them gives value null and says so.
 */
export async function readLookupRcuCode(kallsymsText: string, btf: BtfFacts, read: LookupRcuTextReader, arch: string, maxBytes = 16384): Promise<LookupRcuCode | null> {
  const entries = parseKallsyms(kallsymsText);
  const passedOver: string[] = [];
  let last: LookupRcuCode | null = null;
  const mc = machineCodeFor(arch);
  if (!mc) {
    return { kind: 'revalidate', symbol: LOOKUP_RCU_REVALIDATE, value: null, form: null, flagsOffset: null, flagsArg: revalidateFlagsArg(btf), source: 'none',
      passedOver: [unsupportedArch(arch)], decoder: LOOKUP_RCU_DECODER_VERSION };
  }
  for (const name of LOOKUP_RCU_CODE_FUNCS) {
    const c = findFunction(entries, name).chosen;
    const kind: LookupRcuCode['kind'] = name === LOOKUP_RCU_REVALIDATE ? 'revalidate' : 'unlazy';
    if (!c) {
      if (kind === 'revalidate') passedOver.push(`${name}: not in kallsyms`);
      continue;
    }
    if (kind === 'unlazy' && !mc.lookupRcuFromUnlazy) {
      passedOver.push(`${c.name}: no reader of its BUG_ON for ${mc.arch} code`);
      break;
    }
    if (kind === 'unlazy' && (btf.members?.['nameidata.flags'] ?? null) === null) {
      passedOver.push(`${c.name}: the nameidata.flags offset is not in BTF${btf.members ? '' : ' facts'}, so its BUG_ON cannot be told apart`);
      break;
    }
    if (kind === 'revalidate' && revalidateFlagsArg(btf) === null) {
      passedOver.push(`${c.name}: no FUNC proto with an unsigned int flags parameter in BTF, so its flags register is unknown`);
      continue;
    }
    // unlazy: the whole function (the BUG_ON's ud2 is usually at its end)
    const len = kind === 'revalidate' ? Math.min(REVALIDATE_HEAD_BYTES, c.size ?? REVALIDATE_HEAD_BYTES)
      : c.size && c.size <= maxBytes ? c.size : 48;
    let got: { bytes: Uint8Array; source: string } | null;
    try {
      got = await read(c.name, c.address, len, kind);
    } catch (err) {
      passedOver.push(`${c.name}: unreadable: ${firstLine(err)}`);
      continue;
    }
    if (!got) { passedOver.push(`${c.name}: no bytes recorded`); continue; }
    const fact = kind === 'revalidate' ? lookupRcuRevalidateFact(c.name, got.bytes, btf, got.source, mc) : lookupRcuCodeFact(c.name, got.bytes, btf, got.source, mc);
    if (fact.value) return { ...fact, passedOver };
    const how = kind === 'revalidate' ? `flags argument ${fact.flagsArg} from BTF` : `no BUG_ON test of nameidata.flags at ${fact.flagsOffset}`;
    passedOver.push(`${c.name}: no LOOKUP_RCU test recognised (${how}; ${got.source})`);
    last = fact;
  }
  if (!last && passedOver.every((p) => p.endsWith('not in kallsyms'))) return null;
  const base = last ?? { kind: 'revalidate' as const, symbol: LOOKUP_RCU_REVALIDATE, value: null, form: null, flagsOffset: null, flagsArg: revalidateFlagsArg(btf), source: 'none', passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION };
  return { ...base, passedOver };
}

/**
 * PURE: the cache's LOOKUP_RCU entry when it can be trusted: written by the current decoders
 * (LOOKUP_RCU_DECODER_VERSION) from the same BTF inputs. The old-format `lookupRcu` entry (read from an
 * unlazy function's first test: 0x200 on 7.x) is never used.
 */
export function cachedLookupRcuCode(cache: CallsiteCache, btf: BtfFacts): LookupRcuCode | null {
  const c = cache.lookupRcuCode;
  if (!c || c.decoder !== LOOKUP_RCU_DECODER_VERSION) return null;
  if (c.kind === 'revalidate' && c.flagsArg !== revalidateFlagsArg(btf)) return null;
  if (c.kind === 'unlazy' && c.flagsOffset !== (btf.members?.['nameidata.flags'] ?? null)) return null;
  return { ...c, passedOver: [...c.passedOver] };
}

/** PURE: the reason given wherever the kernel's code would be read on an architecture rcuwalk cannot read. */
export function unsupportedArch(arch: string): string {
  return `unsupported architecture ${arch || '(unknown)'}: rcuwalk reads kernel code on ${SUPPORTED_ARCHES.join(' and ')} only`;
}

/** true for =y/=m, false for "is not set", null when the config does not mention it or is unknown. */
export function configFlag(f: KernelFacts, key: string): boolean | null {
  if (f.config.source === null) return null;
  const v = f.config.values[key];
  if (v === undefined) return null;
  return v === 'y' || v === 'm';
}
