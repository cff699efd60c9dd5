import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { doctorLines, doctorReport } from '../../../cli/commands/doctor-report.js';
import { buildKernelFacts } from '../../../cli/kernel/build-facts.js';
import { loadFactsFolder } from '../../../cli/kernel/facts-folder.js';
import { resolve } from '../../../cli/probes/resolve.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

// Facts recorded on the development machine (Linux 6.18, CONFIG_KPROBES off): see the folder's source.txt.
const facts618 = async () => buildKernelFacts(await loadFactsFolder(join(FIXTURES_DIR, 'kernels', '6.18')));

test('6.18 without kprobes: the kprobe check fails with a next step, lockref falls back to contention, a capture is possible', async () => {
  const f = await facts618();
  const d = doctorReport(f, resolve(f), null);
  const kprobes = d.checks.find((c) => c.name === 'kprobes')!;
  assert.equal(kprobes.ok, false);
  assert.match(kprobes.detail, /CONFIG_KPROBES is not set/);
  assert.ok(kprobes.next);
  assert.equal(d.resolution.find((r) => r.target === 'lockref')?.strategy, 'contention');
  assert.equal(d.resolution.find((r) => r.target === 'pid_revalidate')?.strategy, 'unavailable');
  assert.equal(d.canCapture, true);
  const text = doctorLines(d).join('\n');
  assert.match(text, /no\s+kprobes/);
  assert.match(text, /not callsite: /);
});

test('fentry/fexit with bpftrace 0.27 (no fentry line in --info): the test load decides', async () => {
  const f = await facts618();
  f.bpftrace = { path: 'bpftrace', version: '0.27.1', syntax: 'modern', kfunc: null };
  const check = (g: typeof f) => doctorReport(g, resolve(g), null).checks.find((c) => c.name === 'fentry/fexit')!;
  f.probes.fentry = { ok: true, error: null };
  assert.deepEqual([check(f).ok, check(f).detail], [true, 'supported']);
  f.probes.fentry = { ok: false, error: 'No matches for fentry pid_revalidate.' };
  assert.equal(check(f).ok, false);
  assert.match(check(f).detail, /a test load failed: No matches/);
  f.probes.fentry = null;
  assert.deepEqual([check(f).ok, check(f).detail], [false, 'unknown']);
});

test('without privileges nothing can be captured and the check says how to fix it', async () => {
  const f = await facts618();
  const d = doctorReport(f, resolve(f), 'rcuwalk needs root');
  const p = d.checks.find((c) => c.name === 'privileges')!;
  assert.equal(p.ok, false);
  assert.match(p.next ?? '', /root/);
  assert.equal(d.canCapture, false);
});

test('the architecture is named: arm64 (recorded in a qemu-system-aarch64 guest) reads code; an unsupported one says so and falls back', async () => {
  const f = buildKernelFacts(await loadFactsFolder(join(FIXTURES_DIR, 'kernels', '6.1.0-57-arm64')));
  const d = doctorReport(f, resolve(f), null);
  assert.equal(d.kernel, '6.1.0-57-arm64 arm64');
  const a = d.checks.find((c) => c.name === 'architecture')!;
  assert.deepEqual([a.ok, a.detail], [true, 'arm64: call sites and LOOKUP_RCU are read from its machine code']);
  assert.equal(d.resolution.find((r) => r.target === 'lockref')?.strategy, 'callsite');
  assert.match(d.checks.find((c) => c.name === 'PREEMPT_RT')!.detail, /^no \(/);
  // DERIVED: the same facts on an architecture rcuwalk cannot read (as a riscv64 kernel would give them):
  // the recorded call sites are not trusted, kprobes on functions still work
  const g = structuredClone(f);
  g.arch = 'riscv64';
  g.callsites = { target: 'lockref_get_not_dead', source: 'none', sites: [], errors: [{ caller: '*', error: 'unsupported architecture riscv64: rcuwalk reads kernel code on x86_64 and arm64 only' }] };
  const dg = doctorReport(g, resolve(g), null);
  const ag = dg.checks.find((c) => c.name === 'architecture')!;
  assert.equal(ag.ok, false);
  assert.match(ag.detail, /^unsupported architecture riscv64/);
  assert.match(ag.next!, /contention/);
  assert.equal(dg.resolution.find((r) => r.target === 'pid_revalidate')?.strategy, 'direct');
  assert.equal(dg.resolution.find((r) => r.target === 'lockref')?.strategy, 'contention');
  assert.match(doctorLines(dg).join('\n'), /no\s+architecture\s+unsupported architecture riscv64/);
});
