// PURE: a kernel's raw inputs (kallsyms text, config text, BTF extract, tracefs facts, ...) -> the plain KernelFacts
// the resolver reads. The live gatherer (gather-facts.ts) and the folder loader (facts-folder.ts) both give RawFacts.
import { findFunction, parseKallsyms, type FunctionLookup } from './kallsyms.js';
import { parseKernelConfig } from './kernel-config.js';
import { preemptRtFact, RT_SPIN_LOCK } from './preempt-rt.js';
import { CONFIG_KEYS, FACT_FUNCTIONS } from './fact-names.js';
import { parseBpftraceVersion, parseKfuncSupport } from '../bpftrace/version.js';
import type { BtfFacts, CallsiteFacts, KernelFacts, LookupRcuCode, ProbeFacts, SymbolFact, TracefsFacts } from '../facts/kernel-facts.js';

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

function symbolFact(l: FunctionLookup): SymbolFact | null {
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
