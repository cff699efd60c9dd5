// PURE: what `rcuwalk doctor` says about a machine: checks (ok / not, with the next step) and how each target resolves.
import { configFlag, type KernelFacts } from '../facts/kernel-facts.js';
import { machineCodeFor, unsupportedArch } from '../kernel/arch/index.js';
import { fentrySupportRefusal, type ResolveResult } from '../probes/resolve.js';

export interface Check { name: string; ok: boolean; detail: string; next: string | null }
export interface DoctorReport {
  kernel: string;
  checks: Check[];
  resolution: ResolveResult['resolution'];
  metricSources: ResolveResult['metricSources'];
  /** a capture here would measure at least one target */
  canCapture: boolean;
}

export function doctorReport(f: KernelFacts, r: ResolveResult, privilegeMissing: string | null): DoctorReport {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string, next: string | null = null) => checks.push({ name, ok, detail, next: ok ? null : next });
  const mc = machineCodeFor(f.arch);
  add('architecture', mc !== null, mc ? `${f.arch}: call sites and LOOKUP_RCU are read from its machine code` : unsupportedArch(f.arch),
    'the strategies that read no kernel code still work: kprobes on functions, the contention strategy');
  add('PREEMPT_RT', true, f.preemptRt.value === true ? `yes (${f.preemptRt.evidence}): spinlock_t sleeps, lock contention is counted as rt-lock waits (LCB_F_RT), not spins`
    : f.preemptRt.value === false ? `no (${f.preemptRt.evidence})` : `unknown (${f.preemptRt.evidence})`);
  add('privileges', privilegeMissing === null, privilegeMissing ?? 'root / CAP_BPF + CAP_PERFMON', 'run as root (sudo rcuwalk doctor)');
  add('bpftrace', f.bpftrace !== null, f.bpftrace ? `${f.bpftrace.version} at ${f.bpftrace.path} (${f.bpftrace.syntax} syntax)` : 'not found', 'apt-get install bpftrace');
  add('tracefs', f.tracefs.tracefs !== null, f.tracefs.tracefs ?? 'not mounted', 'mount -t tracefs nodev /sys/kernel/tracing');
  const kprobes = configFlag(f, 'CONFIG_KPROBES');
  add('kprobes', kprobes !== false && f.tracefs.kprobeEvents, kprobes === false ? 'CONFIG_KPROBES is not set in this kernel' : f.tracefs.kprobeEvents ? 'kprobe_events present' : 'no kprobe_events in tracefs', 'boot a kernel built with CONFIG_KPROBES=y (most distro kernels are), or use the contention strategy');
  const kfunc = f.bpftrace?.kfunc ?? null;
  // the resolver's decision (kfunc null: bpftrace's --info does not say, as in 0.27; a test load decides)
  const fentryOk = fentrySupportRefusal(f) === null;
  const fentryDetail = kfunc === false ? 'bpftrace reports no kfunc/fentry support' : f.probes.fentry?.ok === false ? `a test load failed: ${f.probes.fentry.error ?? ''}` : fentryOk ? 'supported' : 'unknown';
  add('fentry/fexit', fentryOk, fentryDetail, 'optional: kprobes are used instead');
  add('BTF', f.btf.available, f.btf.available ? `${f.btf.source}${f.btf.sizeBytes ? ` (${(f.btf.sizeBytes / 1e6).toFixed(1)} MB)` : ''}` : f.btf.error ?? 'no /sys/kernel/btf/vmlinux', 'optional: argument positions fall back to known layouts, with a caveat');
  const tps = Object.entries(f.tracefs.tracepoints);
  add('lock tracepoints', tps.length > 0 && tps.every(([, v]) => v), tps.map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', ') || 'none', 'needs Linux >= 5.19 for lock:contention_begin/end');
  if (f.tracefs.lockdown) add('lockdown', f.tracefs.lockdown !== 'confidentiality', `lockdown=${f.tracefs.lockdown}`, 'kernel lockdown=confidentiality forbids reading kernel memory from BPF: boot with lockdown=integrity or none');
  if (f.callsites) add('lockref call sites', f.callsites.sites.length > 0, `${f.callsites.sites.length} call sites (${f.callsites.source})${f.callsites.errors.length ? `; ${f.callsites.errors.map((e) => `${e.caller}: ${e.error}`).join('; ')}` : ''}`, 'the callsite strategy is unavailable; contention is used if possible');
  return { kernel: `${f.release} ${f.arch}`, checks, resolution: r.resolution, metricSources: r.metricSources, canCapture: privilegeMissing === null && r.resolution.some((t) => t.strategy !== 'unavailable') };
}

export function doctorLines(d: DoctorReport): string[] {
  const out = [`rcuwalk doctor: kernel ${d.kernel}`];
  const w = Math.max(...d.checks.map((c) => c.name.length));
  for (const c of d.checks) {
    out.push(`  ${c.ok ? 'ok  ' : 'no  '}${c.name.padEnd(w)}  ${c.detail}`);
    if (c.next) out.push(`      ${' '.repeat(w)}  next: ${c.next}`);
  }
  out.push('targets:');
  for (const t of d.resolution) {
    out.push(`  ${t.target.padEnd(15)} ${t.strategy.padEnd(11)} ${t.symbol ?? ''}${t.probe ? ` (${t.probe})` : ''}`);
    if (t.reason) out.push(`      ${t.reason}`);
    for (const rej of t.rejected) out.push(`      not ${rej.strategy}: ${rej.reason}`);
  }
  out.push(d.canCapture ? 'a capture here measures every target not marked unavailable.' : 'nothing can be captured here until the checks above are fixed.');
  return out;
}
