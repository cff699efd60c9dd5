// PREEMPT_RT detection and what it changes: the contention strategy admits rt-lock waits (LCB_F_RT), and every
// time of lockref/spin is marked as waits (rtWaits) on an RT kernel; nothing changes elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preemptRtFact } from '../../../cli/kernel/preempt-rt.js';
import { resolve } from '../../../cli/probes/resolve.js';
import { loadProbeTemplates, renderScript } from '../../../cli/probes/render.js';
import { recorded } from '../probes/facts-helpers.js';
import type { KernelFacts } from '../../../cli/facts/kernel-facts.js';

test('the three signs, strongest first; no sign: null', () => {
  assert.deepEqual(preemptRtFact('1', null, null), { value: true, evidence: '/sys/kernel/realtime = 1' });
  assert.deepEqual(preemptRtFact('1', false, false), { value: true, evidence: '/sys/kernel/realtime = 1' });
  assert.deepEqual(preemptRtFact(null, true, null), { value: true, evidence: 'CONFIG_PREEMPT_RT=y' });
  assert.deepEqual(preemptRtFact(undefined, null, true), { value: true, evidence: 'rt_spin_lock in /proc/kallsyms' });
  assert.deepEqual(preemptRtFact(null, false, null), { value: false, evidence: 'CONFIG_PREEMPT_RT is not set' });
  assert.deepEqual(preemptRtFact(null, null, false), { value: false, evidence: 'no rt_spin_lock in /proc/kallsyms' });
  assert.equal(preemptRtFact(null, null, null).value, null);
});

test('the recorded PREEMPT_RT kernel (bookworm linux-image-6.1.0-50-rt-amd64 in the qemu rig): RT, and its lock times are waits', async () => {
  const f = await recorded('6.1.0-50-rt-amd64');
  assert.deepEqual(f.preemptRt, { value: true, evidence: '/sys/kernel/realtime = 1' });
  assert.ok(f.symbols.rt_spin_lock, 'rt_spin_lock recorded in its kallsyms');
  const r = resolve(f).resolution;
  const lr = r.find((x) => x.target === 'lockref')!;
  assert.equal(lr.strategy, 'callsite');
  assert.equal(lr.rtWaits, true);
  assert.equal(r.find((x) => x.target === 'spin')!.rtWaits, true);
  const rc = resolve(f, 'contention').resolution;
  const script = renderScript({ resolution: rc, syntax: 'legacy', version: '0.17.0', intervalMs: 1000 }, await loadProbeTemplates());
  assert.match(script, /^\/\(args->flags & 0x21\) == 0x1 \|\| args->flags == 0x8\/$/m);
});

test('recorded non-RT kernels are not RT', async () => {
  for (const k of ['6.18', '6.1.0-56-amd64', '6.1.0-57-arm64']) assert.equal((await recorded(k)).preemptRt.value, false, k);
});

/** DERIVED: the recorded 6.1 kernel as if it were its -rt build (the sign the rt kernel gives: /sys/kernel/realtime). */
async function rt61(): Promise<KernelFacts> {
  const f = structuredClone(await recorded('6.1.0-56-amd64'));
  f.preemptRt = preemptRtFact('1', null, null);
  return f;
}

test('DERIVED 6.1 on RT: the contention strategy counts rt-lock waits and says wait, not spin', async () => {
  const f = await rt61();
  const r = resolve(f, 'contention').resolution;
  const lr = r.find((x) => x.target === 'lockref')!;
  assert.equal(lr.strategy, 'contention');
  assert.equal(lr.rtWaits, true);
  assert.match(lr.reason!, /rt-lock waits \(contention_begin with LCB_F_RT\)/);
  assert.match(lr.reason!, /waits \(sleeping included\), not spins/);
  const sp = r.find((x) => x.target === 'spin')!;
  assert.equal(sp.rtWaits, true);
  const t = await loadProbeTemplates();
  const script = renderScript({ resolution: r, syntax: 'modern', version: '0.23.2', intervalMs: 1000 }, t);
  assert.match(script, /^\/\(args\.flags & 0x21\) == 0x1 \|\| args\.flags == 0x8\/$/m);
  const legacy = renderScript({ resolution: r, syntax: 'legacy', version: '0.17.0', intervalMs: 1000 }, t);
  assert.match(legacy, /^\/\(args->flags & 0x21\) == 0x1 \|\| args->flags == 0x8\/$/m);
});

test('DERIVED 6.1 on RT: the callsite strategy\'s time is wait time', async () => {
  const f = await rt61();
  const lr = resolve(f, 'callsite').resolution.find((x) => x.target === 'lockref')!;
  assert.equal(lr.strategy, 'callsite', lr.reason ?? '');
  assert.equal(lr.rtWaits, true);
  assert.match(lr.reason!, /PREEMPT_RT \(\/sys\/kernel\/realtime = 1\)/);
});

test('not RT: no rt waits admitted, nothing marked', async () => {
  const f = await recorded('6.1.0-56-amd64');
  const r = resolve(f, 'contention').resolution;
  assert.ok(r.every((x) => x.rtWaits === undefined));
  const script = renderScript({ resolution: r, syntax: 'modern', version: '0.23.2', intervalMs: 1000 }, await loadProbeTemplates());
  assert.match(script, /^\/\(args\.flags & 0x21\) == 0x1\/$/m);
  assert.doesNotMatch(script, /0x8\//);
});
