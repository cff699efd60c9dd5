// PURE: KernelFacts + the lockref strategy choice -> how each target is measured (TargetResolution[]) and
// where every CpuMetrics counter comes from (metricSources). A target this kernel cannot measure is
// 'unavailable' with the reason, never a silent zero. userPct/sysPct/idlePct come from /proc/stat, not from a
// probe target: they have no metricSources entry.
import type { CpuMetrics, MetricSource, Strategy, Target, TargetResolution } from '../schema/types.generated.js';
import { configFlag, type KernelFacts, type SymbolFact } from '../facts/kernel-facts.js';
import { LOCKREF_SYMBOL, UNLAZY_NAMES, UNLAZY_NEXT_NAMES } from '../facts/target-functions.js';
import { archName } from '../facts/arch-name.js';
import { bpftraceFeatures } from '../bpftrace/version.js';

/** How the lockref target is to be measured: `--lockref-strategy`, auto by default. */
export type LockrefStrategyChoice = 'auto' | 'direct' | 'callsite' | 'contention';
export type CounterField = Exclude<keyof CpuMetrics, 'userPct' | 'sysPct' | 'idlePct'>;
export interface ResolveResult {
  resolution: TargetResolution[];
  metricSources: Record<CounterField, MetricSource>;
}

export const ECHILD = 10;

type Probe = 'fentry' | 'kprobe';
interface ProbeChoice { probe: Probe | null; notes: string[]; refusal: string | null }

/** Does this bpftrace kprobe only functions listed in available_filter_functions? (bpftraceFeatures) */
function kprobesNeedFilterList(f: KernelFacts): boolean {
  return f.bpftrace !== null && bpftraceFeatures(f.bpftrace.version).kprobesNeedFilterList;
}

function kprobeRefusal(f: KernelFacts): string | null {
  const kp = configFlag(f, 'CONFIG_KPROBES');
  if (kp === false) return 'CONFIG_KPROBES is not set in this kernel';
  if (configFlag(f, 'CONFIG_BPF_EVENTS') === false) return 'CONFIG_BPF_EVENTS is not set (BPF cannot attach to kprobes)';
  if (kp === null && !f.tracefs.kprobeEvents) return 'no kernel config and no kprobe_events in tracefs: kprobes look absent';
  if (kprobesNeedFilterList(f) && f.tracefs.availableFilterFunctions.startsWith('error')) {
    return `bpftrace ${f.bpftrace!.version} kprobes only functions listed in available_filter_functions, unreadable here (${f.tracefs.availableFilterFunctions})`;
  }
  return null;
}

/** Why a kprobe on function `base` would be refused (notrace, blacklist, a failed real attach), or null. */
function functionKprobeRefusal(f: KernelFacts, base: string): string | null {
  const general = kprobeRefusal(f);
  if (general) return general;
  if (f.tracefs.kprobeBlacklist[base] === true) return `${base} is in the kprobe blacklist`;
  const onNotrace = configFlag(f, 'CONFIG_KPROBE_EVENTS_ON_NOTRACE') === true;
  if (f.tracefs.traceable[base] === false && !onNotrace) {
    return `${base} is notrace (not in available_filter_functions) and CONFIG_KPROBE_EVENTS_ON_NOTRACE is not set, so trace_kprobe refuses it`;
  }
  if (f.tracefs.traceable[base] === false && kprobesNeedFilterList(f)) {
    return `${base} is notrace (not in available_filter_functions): CONFIG_KPROBE_EVENTS_ON_NOTRACE lets the kernel kprobe it, but bpftrace ${f.bpftrace!.version} refuses functions missing from that list`;
  }
  return null;
}

/** Why fentry/fexit can't be used on this machine at all (bpftrace, kernel), whatever the function; null: it can. */
export function fentrySupportRefusal(f: KernelFacts): string | null {
  if (!f.bpftrace) return 'bpftrace not found';
  if (f.bpftrace.kfunc === false) return `bpftrace ${f.bpftrace.version} reports no kfunc/fentry support on this kernel`;
  // 0.27's --info has no fentry line: then only a test load that succeeded says yes
  if (f.bpftrace.kfunc === null && f.probes.fentry?.ok !== true) {
    return f.probes.fentry
      ? `bpftrace ${f.bpftrace.version} does not list fentry in --info and a test fentry program failed to load: ${f.probes.fentry.error ?? 'unknown error'}`
      : `bpftrace ${f.bpftrace.version} does not list fentry in --info and no test fentry program was loaded`;
  }
  if (f.probes.fentry && !f.probes.fentry.ok) return `a test fentry program failed to load: ${f.probes.fentry.error ?? 'unknown error'}`;
  return null;
}

function fentryRefusal(f: KernelFacts, sym: SymbolFact): string | null {
  const unsupported = fentrySupportRefusal(f);
  if (unsupported) return unsupported;
  if (!f.btf.available) return 'the kernel has no BTF';
  if (sym.kind !== 'exact') return `${sym.name} is a compiler clone; fentry attaches to BTF functions by their plain name`;
  if (!f.btf.funcs[sym.base]) return `${sym.base} is not a FUNC in BTF`;
  if (f.tracefs.traceable[sym.base] === false) return `${sym.base} is notrace (fentry needs an ftrace site)`;
  return null;
}

/** fentry when bpftrace and the kernel support it, else kprobe, else null with both reasons. */
function copiesNote(sym: SymbolFact): string[] {
  const other = sym.passedOver.filter((p) => p.reason.startsWith('another copy')).map((p) => p.name);
  return other.length ? [`calls through the other copies (${other.join(', ')}) are not counted`] : [];
}

function chooseProbe(f: KernelFacts, sym: SymbolFact): ProbeChoice {
  const fr = fentryRefusal(f, sym);
  if (!fr) return { probe: 'fentry', notes: copiesNote(sym), refusal: null };
  const kr = functionKprobeRefusal(f, sym.base);
  if (!kr) {
    const notes = [`kprobe (fentry: ${fr})`, ...copiesNote(sym)];
    if (f.tracefs.traceable[sym.base] == null) notes.push(`traceability unknown (available_filter_functions: ${f.tracefs.availableFilterFunctions})`);
    return { probe: 'kprobe', notes, refusal: null };
  }
  return { probe: null, notes: [], refusal: `fentry: ${fr}; kprobe: ${kr}` };
}

function majorMinor(release: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * LOOKUP_RCU: from BTF when the kernel has it as an enum constant; else from the kernel's code: first the
 * `flags & LOOKUP_RCU` test opening proc_misc_d_revalidate, then, as a fallback, the BUG_ON(!(nd->flags & LOOKUP_RCU))
 * opening an unlazy function (cli/kernel/lookup-rcu-code.ts gathers which, into KernelFacts.lookupRcuCode);
 * only when neither gives it, from the release: 0x40 until the v6.15 LOOKUP_ flags repack, BIT(8) = 0x100
 * after it. The reason says which source gave the value (and why the ones before it did not).
 */
export function lookupRcuBit(f: KernelFacts): { value: number | null; reason: string | null } {
  const v = f.btf.enums.LOOKUP_RCU;
  if (typeof v === 'number' && v > 0) return { value: v, reason: null };
  const code = f.lookupRcuCode;
  const hex = (n: number) => `0x${n.toString(16)}`;
  const before = code?.passedOver.length ? `; fallback: ${code.passedOver.join('; ')}` : '';
  if (code && code.value) {
    if (code.kind === 'revalidate') {
      return { value: code.value, reason: `LOOKUP_RCU = ${hex(code.value)} read from the kernel's code: the flags test of ${code.symbol} (${code.form}; flags = argument ${code.flagsArg} from BTF; ${code.source})` };
    }
    return { value: code.value, reason: `LOOKUP_RCU = ${hex(code.value)} read from the kernel's code: the BUG_ON of ${code.symbol} (${code.form}; nameidata.flags at ${code.flagsOffset} from BTF; ${code.source})${before}` };
  }
  const why = code ? `not read from its code (${code.passedOver.join('; ')})` : 'none of proc_misc_d_revalidate and the unlazy functions is in kallsyms';
  // the release guess below was measured on x86-64 kernels only: elsewhere the share is unavailable, never guessed
  if (archName(f.arch) !== 'x86_64') return { value: null, reason: `LOOKUP_RCU is a #define, not in BTF, and ${why.replaceAll('; ', ', ')} on ${f.arch || 'an unknown architecture'}` };
  const mm = majorMinor(f.release);
  if (mm && (mm[0] > 6 || (mm[0] === 6 && mm[1] >= 15))) {
    return { value: 0x100, reason: `LOOKUP_RCU is a #define, not in BTF, and ${why}: 0x100 (BIT(8)) assumed from the release (>= 6.15, after the LOOKUP_ flags repack)` };
  }
  return { value: 0x40, reason: `LOOKUP_RCU is a #define, not in BTF, and ${why}: 0x40 assumed from the release (the value before the 6.15 LOOKUP_ flags repack)` };
}

function unavailable(target: Target, reason: string, rejected: TargetResolution['rejected'] = []): TargetResolution {
  return { target, strategy: 'unavailable', probe: null, symbol: null, reason, rejected };
}

function findFirst(f: KernelFacts, names: readonly string[]): SymbolFact | null {
  for (const n of names) { const s = f.symbols[n]; if (s) return s; }
  return null;
}

const missing = (names: readonly string[]) => `${names.join(' / ')} not in /proc/kallsyms (inlined, renamed or not built in this kernel)`;

function resolvePidRevalidate(f: KernelFacts): TargetResolution {
  const sym = f.symbols.pid_revalidate;
  if (!sym) return unavailable('pid_revalidate', missing(['pid_revalidate']));
  const pc = chooseProbe(f, sym);
  if (!pc.probe) return unavailable('pid_revalidate', `cannot probe ${sym.name}: ${pc.refusal}`, [{ strategy: 'direct', reason: pc.refusal! }]);
  const notes = [...pc.notes];
  const proto = f.btf.funcs.pid_revalidate;
  let flagsArg: number | null = null;
  let lookupRcu: number | null = null;
  if (sym.kind === 'clone') {
    notes.push(`prRcuCalls unavailable: ${sym.name} is a compiler clone whose argument layout may be rewritten`);
  } else if (!proto) {
    notes.push('prRcuCalls unavailable: pid_revalidate is not in BTF, so the flags argument position is unknown');
  } else {
    const i = proto.params.findIndex((p) => p.name === 'flags');
    if (i < 0) notes.push(`prRcuCalls unavailable: no parameter named flags in BTF (${proto.params.map((p) => p.name).join(', ')})`);
    else {
      flagsArg = i;
      const lr = lookupRcuBit(f);
      lookupRcu = lr.value;
      if (lr.value === null) { flagsArg = null; notes.push(`prRcuCalls unavailable: ${lr.reason}`); }
      else if (lr.reason) notes.push(lr.reason);
    }
  }
  return {
    target: 'pid_revalidate', strategy: 'direct', probe: pc.probe, symbol: sym.name, returnConvention: 'errno',
    flagsArg, lookupRcu, reason: notes.length ? notes.join('; ') : null, rejected: [],
  };
}

function resolveUnlazy(f: KernelFacts, target: 'unlazy_next' | 'unlazy', names: readonly string[]): TargetResolution {
  const sym = findFirst(f, names);
  if (!sym) return unavailable(target, missing(names));
  const pc = chooseProbe(f, sym);
  if (!pc.probe) return unavailable(target, `cannot probe ${sym.name}: ${pc.refusal}`, [{ strategy: 'direct', reason: pc.refusal! }]);
  const notes = [...pc.notes];
  const proto = f.btf.funcs[sym.base];
  let conv: 'bool' | 'errno';
  if (proto && (proto.returns === 'bool' || proto.returns === 'int')) {
    conv = proto.returns === 'bool' ? 'bool' : 'errno';
  } else {
    conv = sym.base.startsWith('try_to_') ? 'bool' : 'errno';
    notes.push(`${sym.base} ${proto ? `returns ${proto.returnType} in BTF` : 'is not in BTF'}: return convention ${conv} by name (try_to_* bool, unlazy_* errno)`);
  }
  return { target, strategy: 'direct', probe: pc.probe, symbol: sym.name, returnConvention: conv, reason: notes.length ? notes.join('; ') : null, rejected: [] };
}

type Attempt = { ok: true; res: TargetResolution } | { ok: false; reason: string };

function lockrefDirect(f: KernelFacts, sym: SymbolFact): Attempt {
  const kr = functionKprobeRefusal(f, LOCKREF_SYMBOL);
  if (kr) return { ok: false, reason: kr };
  const t = f.probes.kprobeLockref;
  if (t && !t.ok) return { ok: false, reason: `the kernel refused a kprobe on ${LOCKREF_SYMBOL}: ${t.error}${t.dmesg ? ` (${t.dmesg})` : ''}` };
  const notes = ['kprobe/kretprobe on the function: calls and time inside it'];
  if (!t && f.tracefs.traceable[LOCKREF_SYMBOL] == null) notes.push('not verified by a test kprobe and available_filter_functions unreadable: attaching may still fail');
  return { ok: true, res: { target: 'lockref', strategy: 'direct', probe: 'kprobe', symbol: sym.name, returnConvention: 'bool', reason: notes.join('; '), rejected: [] } };
}

function lockrefCallsite(f: KernelFacts, sym: SymbolFact): Attempt {
  const kr = kprobeRefusal(f);
  if (kr) return { ok: false, reason: kr };
  const cs = f.callsites;
  if (!cs) return { ok: false, reason: 'call sites were not scanned (no caller text read)' };
  const dropped: string[] = [];
  const sites = cs.sites.filter((s) => {
    const base = s.caller.split('.')[0]!;
    const r = functionKprobeRefusal(f, base);
    if (r) dropped.push(`${s.caller}+${s.offset}: ${r}`);
    return !r;
  });
  if (sites.length === 0) {
    const why = [cs.sites.length === 0 ? `no call to ${LOCKREF_SYMBOL} found in its known callers (${cs.source})` : 'no caller can be kprobed', ...dropped, ...cs.errors.map((e) => `${e.caller}: ${e.error}`)];
    return { ok: false, reason: why.join('; ') };
  }
  const notes = [`kprobes on ${sites.length} call sites in the path-walk callers (${cs.source}); calls from other callers are not counted`];
  if (dropped.length) notes.push(`dropped: ${dropped.join('; ')}`);
  if (cs.errors.length) notes.push(`not scanned: ${cs.errors.map((e) => `${e.caller} (${e.error})`).join(', ')}`);
  return { ok: true, res: { target: 'lockref', strategy: 'callsite', probe: 'kprobe', symbol: sym.name, returnConvention: null, callsites: sites, reason: notes.join('; '), rejected: [] } };
}

function contentionRefusal(f: KernelFacts): string | null {
  const tp = f.tracefs.tracepoints;
  if (!tp['lock:contention_begin'] || !tp['lock:contention_end']) return 'the lock:contention_begin/end tracepoints are missing (added in 5.19)';
  if (configFlag(f, 'CONFIG_BPF_EVENTS') === false) return 'CONFIG_BPF_EVENTS is not set';
  return null;
}

/** PREEMPT_RT: spinlock_t sleeps (an rt lock), its contention is traced with LCB_F_RT: waits, not spins. */
const isRt = (f: KernelFacts) => f.preemptRt?.value === true;
const RT_NOTE = (f: KernelFacts) => `PREEMPT_RT (${f.preemptRt.evidence}): spinlock_t is a sleeping rt lock, so these are waits (sleeping included), not spins`;

function lockrefContention(f: KernelFacts): Attempt {
  const r = contentionRefusal(f);
  if (r) return { ok: false, reason: r };
  const what = isRt(f)
    ? `rt-lock waits (contention_begin with LCB_F_RT) and spinning-lock slow-path waits whose kernel stack holds ${LOCKREF_SYMBOL}: ${RT_NOTE(f)}; the call count is not visible`
    : `spinlock slow-path waits whose kernel stack holds ${LOCKREF_SYMBOL}: the lockless cmpxchg fast path and the call count are not visible`;
  return {
    ok: true,
    res: {
      target: 'lockref', strategy: 'contention', probe: 'tracepoint', symbol: f.symbols[LOCKREF_SYMBOL]?.name ?? null,
      returnConvention: null, reason: what, rejected: [], ...(isRt(f) ? { rtWaits: true } : {}),
    },
  };
}

function resolveLockref(f: KernelFacts, choice: LockrefStrategyChoice): TargetResolution {
  const sym = f.symbols[LOCKREF_SYMBOL];
  const order: Exclude<Strategy, 'unavailable'>[] = choice === 'auto' ? ['direct', 'callsite', 'contention'] : [choice];
  const rejected: TargetResolution['rejected'] = [];
  for (const s of order) {
    let a: Attempt;
    if (s !== 'contention' && !sym) a = { ok: false, reason: missing([LOCKREF_SYMBOL]) };
    else if (s === 'direct') a = lockrefDirect(f, sym!);
    else if (s === 'callsite') a = lockrefCallsite(f, sym!);
    else a = lockrefContention(f);
    if (a.ok) {
      // on RT the time in lockref_get_not_dead includes sleeping on its rt spinlock: labelled wait time
      if (isRt(f) && a.res.strategy !== 'contention') return { ...a.res, reason: `${a.res.reason ?? ''}; ${RT_NOTE(f)}`, rtWaits: true, rejected };
      return { ...a.res, rejected };
    }
    rejected.push({ strategy: s, reason: a.reason });
  }
  const why = choice === 'auto' ? 'no lockref strategy works on this kernel' : `the requested ${choice} strategy does not work on this kernel`;
  return unavailable('lockref', `${why}: ${rejected.map((r) => `${r.strategy}: ${r.reason}`).join('; ')}`, rejected);
}

function resolveSpin(f: KernelFacts): TargetResolution {
  const r = contentionRefusal(f);
  if (r) return unavailable('spin', r, [{ strategy: 'contention', reason: r }]);
  if (isRt(f)) {
    return {
      target: 'spin', strategy: 'contention', probe: 'tracepoint', symbol: null, rtWaits: true, rejected: [],
      reason: `context: every lock contention wait on the CPU: spinning locks (LCB_F_SPIN without LCB_F_MUTEX) and rt locks (LCB_F_RT alone: spinlock_t, and rt_mutex-based locks, which set the same flag); ${RT_NOTE(f)}`,
    };
  }
  return {
    target: 'spin', strategy: 'contention', probe: 'tracepoint', symbol: null,
    reason: 'context: every spinning-lock contention wait on the CPU (contention_begin with LCB_F_SPIN and without LCB_F_MUTEX, to contention_end)', rejected: [],
  };
}

function source(r: TargetResolution, reason: string | null = r.strategy === 'unavailable' ? r.reason : null): MetricSource {
  return { target: r.target, strategy: r.strategy, reason };
}
function off(r: TargetResolution, reason: string): MetricSource {
  return { target: r.target, strategy: 'unavailable', reason };
}

/** PURE: the whole resolution for a kernel. */
export function resolve(facts: KernelFacts, choice: LockrefStrategyChoice = 'auto'): ResolveResult {
  const pr = resolvePidRevalidate(facts);
  const un = resolveUnlazy(facts, 'unlazy_next', UNLAZY_NEXT_NAMES);
  const ul = resolveUnlazy(facts, 'unlazy', UNLAZY_NAMES);
  const lr = resolveLockref(facts, choice);
  const sp = resolveSpin(facts);
  const notes = (pr.reason ?? '').split('; ');
  const rcu = pr.strategy === 'unavailable' ? source(pr)
    : pr.flagsArg == null ? off(pr, notes.find((n) => n.startsWith('prRcuCalls')) ?? 'the flags argument position is unknown')
    : source(pr, pr.lookupRcu != null ? lookupRcuBit(facts).reason : null);
  const lrCalls = lr.strategy === 'contention' ? off(lr, 'the contention strategy sees slow-path waits, not calls') : source(lr);
  const lrWaits = lr.strategy === 'contention' || lr.strategy === 'unavailable' ? source(lr)
    : off(lr, `lockref waits are counted only by the contention strategy (this run: ${lr.strategy})`);
  const metricSources: Record<CounterField, MetricSource> = {
    prCalls: source(pr), prRcuCalls: rcu, prEchild: source(pr),
    unlazyNextCalls: source(un), unlazyNextFails: source(un),
    unlazyCalls: source(ul), unlazyFails: source(ul),
    lockrefCalls: lrCalls, lockrefWaits: lrWaits, lockrefNs: source(lr), lockrefMaxNs: source(lr),
    spinWaits: source(sp), spinNs: source(sp),
  };
  return { resolution: [pr, un, ul, lr, sp], metricSources };
}
