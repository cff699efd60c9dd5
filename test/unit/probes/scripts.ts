// The scripts the tests render: every strategy rcuwalk can produce, from recorded 6.18 facts and from
// labelled DERIVED variants of them (see facts-helpers.ts).
import { resolve, type LockrefStrategyChoice } from '../../../cli/probes/resolve.js';
import { loadProbeTemplates, renderScript, type Templates } from '../../../cli/probes/render.js';
import type { Bpftrace, TargetResolution } from '../../../cli/schema/types.generated.js';
import type { KernelFacts } from '../../../cli/facts/kernel-facts.js';
import { recorded, recordedKernels, setTraceable, withFentry, withKprobes } from './facts-helpers.js';

export interface Case { name: string; syntax: Bpftrace['syntax']; resolution: TargetResolution[]; script: string; facts: KernelFacts; choice: LockrefStrategyChoice }

/** The case's script as rcuwalk renders it with another bpftrace: resolved again with that version (its syntax). */
export function renderFor(c: Case, bt: { version: string; syntax: Bpftrace['syntax'] }, t: Templates): string {
  const f = structuredClone(c.facts);
  f.bpftrace = { path: 'bpftrace', kfunc: c.facts.bpftrace?.kfunc ?? null, version: bt.version, syntax: bt.syntax };
  return renderScript({ resolution: resolve(f, c.choice).resolution, syntax: bt.syntax, version: bt.version, intervalMs: 1000 }, t);
}

export async function scriptCases(): Promise<Case[]> {
  const t = await loadProbeTemplates();
  const base = await recorded('6.18');
  const kp = setTraceable(withKprobes(base), 'lockref_get_not_dead', false);
  const kpOnNotrace = withKprobes(base, true);
  const clone = structuredClone(kp);
  clone.symbols.pid_revalidate = { ...clone.symbols.pid_revalidate!, name: 'pid_revalidate.isra.0', kind: 'clone' };
  clone.symbols.try_to_unlazy_next = null;
  clone.symbols.unlazy_child = { ...kp.symbols.try_to_unlazy_next!, name: 'unlazy_child', base: 'unlazy_child' };
  clone.btf.funcs.try_to_unlazy_next = null;
  const fentry = withFentry(kp);
  // 5.10 (kprobes, a readable available_filter_functions) for what bpftrace 0.27 would refuse on 6.18's unreadable list
  const k510 = await recorded('5.10.0-46-amd64');
  const notraceDirect = withKprobes(k510, true);
  notraceDirect.probes.kprobeLockref = { ok: true, error: null, dmesg: null };
  const direct510 = setTraceable(k510, 'lockref_get_not_dead', true);
  direct510.probes.kprobeLockref = { ok: true, error: null, dmesg: null };
  const clone510 = setTraceable(k510, 'unlazy_child', true);
  clone510.symbols.pid_revalidate = { ...clone510.symbols.pid_revalidate!, name: 'pid_revalidate.isra.0', kind: 'clone' };
  clone510.symbols.unlazy_child = { ...clone510.symbols.try_to_unlazy_next!, name: 'unlazy_child', base: 'unlazy_child' };
  clone510.symbols.try_to_unlazy_next = null;
  clone510.btf.funcs.try_to_unlazy_next = null;
  const legacyFentry = withFentry(kp, '0.19.1');
  legacyFentry.bpftrace!.syntax = 'legacy';
  const mk = (name: string, f: KernelFacts, choice: LockrefStrategyChoice, syntax: Bpftrace['syntax']): Case => {
    const { resolution } = resolve(f, choice);
    return { name, syntax, resolution, script: renderScript({ resolution, syntax, version: f.bpftrace?.version ?? '0.17.0', intervalMs: 1000 }, t), facts: f, choice };
  };
  // DERIVED: 6.18 (contention tracepoints readable here, no fentry in the way) with the RT sign of the recorded
  // 6.1.0-50-rt-amd64: the contention script that also admits rt-lock waits (LCB_F_RT)
  const rt = structuredClone(base);
  rt.preemptRt = (await recorded('6.1.0-50-rt-amd64')).preemptRt;
  const vm: Case[] = [];
  for (const k of recordedKernels().filter((d) => d !== '6.18')) {
    const f = await recorded(k);
    vm.push(mk(`${k} recorded: auto`, f, 'auto', f.bpftrace?.syntax ?? 'legacy'));
  }
  return [
    ...vm,
    mk('6.18 recorded: contention only', base, 'auto', 'legacy'),
    mk('DERIVED 6.18+kprobes: kprobe targets, lockref callsite', kp, 'auto', 'legacy'),
    mk('DERIVED 6.18+kprobes+ON_NOTRACE: lockref direct', kpOnNotrace, 'auto', 'legacy'),
    mk('DERIVED 5.10+ON_NOTRACE: lockref direct on a notrace function', notraceDirect, 'auto', 'legacy'),
    mk('DERIVED 5.10, lockref_get_not_dead traceable: lockref direct', direct510, 'auto', 'legacy'),
    mk('DERIVED 5.10 clone pid_revalidate.isra.0, unlazy_child errno', clone510, 'callsite', 'legacy'),
    mk('DERIVED 6.18+kprobes: lockref contention forced', kp, 'contention', 'legacy'),
    mk('DERIVED clone pid_revalidate.isra.0, unlazy_child errno', clone, 'callsite', 'legacy'),
    mk('DERIVED fentry, legacy syntax (kfunc, bpftrace < 0.20)', legacyFentry, 'auto', 'legacy'),
    mk('DERIVED fentry, modern syntax (bpftrace >= 0.20)', fentry, 'auto', 'modern'),
    mk('6.18 recorded, modern syntax', base, 'auto', 'modern'),
    mk('DERIVED 6.18 on PREEMPT_RT: contention with rt-lock waits', rt, 'auto', 'legacy'),
  ];
}
