import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve, lookupRcuBit, type CounterField } from '../../../cli/probes/resolve.js';
import type { TargetResolution } from '../../../cli/schema/types.generated.js';
import { KERNELS_DIR, recorded, recordedKernels, setTraceable, withFentry, withKprobes } from './facts-helpers.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFactsFolder } from '../../../cli/kernel/facts-folder.js';
import { buildKernelFacts, type RawFacts } from '../../../cli/kernel/build-facts.js';
import { readLookupRcuCode } from '../../../cli/kernel/lookup-rcu-code.js';
import { parseHexDump } from '../../../cli/kernel/hex-dump.js';

const by = (rs: TargetResolution[], t: TargetResolution['target']) => rs.find((r) => r.target === t)!;
const COUNTERS: CounterField[] = ['prCalls', 'prRcuCalls', 'prEchild', 'unlazyNextCalls', 'unlazyNextFails', 'unlazyCalls', 'unlazyFails', 'lockrefCalls', 'lockrefWaits', 'lockrefNs', 'lockrefMaxNs', 'spinWaits', 'spinNs'];

test('6.18 dev machine (recorded): no kprobes, no fentry -> only the contention tracepoints; every refusal says why', async () => {
  const f = await recorded('6.18');
  const { resolution, metricSources } = resolve(f, 'auto');
  for (const t of ['pid_revalidate', 'unlazy_next', 'unlazy'] as const) {
    const r = by(resolution, t);
    assert.equal(r.strategy, 'unavailable');
    assert.match(r.reason!, /CONFIG_KPROBES is not set/);
    assert.match(r.reason!, /kfunc/);
  }
  const lr = by(resolution, 'lockref');
  assert.equal(lr.strategy, 'contention');
  assert.equal(lr.probe, 'tracepoint');
  assert.deepEqual(lr.rejected.map((r) => r.strategy), ['direct', 'callsite']);
  assert.equal(by(resolution, 'spin').strategy, 'contention');
  assert.deepEqual(Object.keys(metricSources).sort(), [...COUNTERS].sort());
  assert.equal(metricSources.lockrefCalls.strategy, 'unavailable');
  assert.equal(metricSources.lockrefWaits.strategy, 'contention');
  assert.equal(metricSources.prEchild.strategy, 'unavailable');
  assert.ok(metricSources.prEchild.reason);
  for (const k of COUNTERS) if (metricSources[k].strategy === 'unavailable') assert.ok(metricSources[k].reason, k);
});

test('6.18 forced strategies: direct/callsite are unavailable with the reason, contention works', async () => {
  const f = await recorded('6.18');
  for (const c of ['direct', 'callsite'] as const) {
    const lr = by(resolve(f, c).resolution, 'lockref');
    assert.equal(lr.strategy, 'unavailable');
    assert.deepEqual(lr.rejected.map((r) => r.strategy), [c]);
    assert.match(lr.reason!, new RegExp(`requested ${c}`));
  }
  assert.equal(by(resolve(f, 'contention').resolution, 'lockref').strategy, 'contention');
});

test('DERIVED 6.18 + CONFIG_KPROBES: kprobes, flags = arg3 from BTF, bool unlazy, callsite from the real scan when notrace', async () => {
  const f = setTraceable(withKprobes(await recorded('6.18')), 'lockref_get_not_dead', false);
  const { resolution, metricSources } = resolve(f, 'auto');
  const pr = by(resolution, 'pid_revalidate');
  assert.equal(pr.probe, 'kprobe');
  assert.equal(pr.flagsArg, 3);
  assert.equal(pr.lookupRcu, 0x100);
  assert.match(pr.reason!, /LOOKUP_RCU = 0x100 read from the kernel's code: the flags test of proc_misc_d_revalidate \(proc_misc_d_revalidate\+5: and \$0x1,%ch; jne; flags = argument 3 from BTF/);
  assert.match(metricSources.prRcuCalls.reason!, /proc_misc_d_revalidate\+5: and \$0x1,%ch; jne; flags = argument 3 from BTF; .*proc_misc_d_revalidate\.head\.hex\)$/);
  assert.equal(pr.returnConvention, 'errno');
  assert.equal(by(resolution, 'unlazy_next').symbol, 'try_to_unlazy_next');
  assert.equal(by(resolution, 'unlazy_next').returnConvention, 'bool');
  assert.equal(by(resolution, 'unlazy').symbol, 'try_to_unlazy');
  const lr = by(resolution, 'lockref');
  assert.equal(lr.strategy, 'callsite');
  assert.match(lr.rejected[0]!.reason, /notrace/);
  assert.deepEqual(lr.callsites, [
    { caller: 'try_to_unlazy_next', offset: 68, nextOffset: 73 }, { caller: 'try_to_unlazy_next', offset: 85, nextOffset: 90 },
    { caller: '__legitimize_path', offset: 37, nextOffset: 42 },
    { caller: 'd_alloc_parallel', offset: 470, nextOffset: 475 }, { caller: 'd_alloc_parallel', offset: 1003, nextOffset: 1008 },
  ]);
  assert.equal(metricSources.lockrefCalls.strategy, 'callsite');
  assert.equal(metricSources.lockrefWaits.strategy, 'unavailable');
  assert.equal(metricSources.prRcuCalls.strategy, 'direct');
  // ON_NOTRACE lets the direct kprobe through
  assert.equal(by(resolve(setTraceable(withKprobes(await recorded('6.18'), true), 'lockref_get_not_dead', false)).resolution, 'lockref').strategy, 'direct');
});

test('DERIVED: a failed real kprobe test refuses direct with the kernel message', async () => {
  const f = withKprobes(await recorded('6.18'));
  f.probes.kprobeLockref = { ok: false, error: 'write error: Invalid argument', dmesg: 'Could not probe notrace function lockref_get_not_dead' };
  const lr = by(resolve(f).resolution, 'lockref');
  assert.equal(lr.strategy, 'callsite');
  assert.match(lr.rejected[0]!.reason, /Could not probe notrace/);
});

test('DERIVED: fentry preferred when bpftrace supports it; clones fall back to kprobe and lose prRcuCalls', async () => {
  const f = withKprobes(withFentry(await recorded('6.18')));
  const pr = by(resolve(f).resolution, 'pid_revalidate');
  assert.equal(pr.probe, 'fentry');
  assert.equal(pr.flagsArg, 3);
  const g = structuredClone(f);
  g.symbols.pid_revalidate = { ...g.symbols.pid_revalidate!, name: 'pid_revalidate.isra.0', kind: 'clone' };
  const { resolution, metricSources } = resolve(g);
  const c = by(resolution, 'pid_revalidate');
  assert.equal(c.probe, 'kprobe');
  assert.equal(c.symbol, 'pid_revalidate.isra.0');
  assert.equal(c.flagsArg, null);
  assert.equal(metricSources.prRcuCalls.strategy, 'unavailable');
  assert.match(metricSources.prRcuCalls.reason!, /clone/);
  assert.equal(metricSources.prEchild.strategy, 'direct');
});

test('DERIVED: bpftrace 0.27 lists no fentry in --info (kfunc null): fentry only after a test load succeeded', async () => {
  const f = withKprobes(withFentry(await recorded('6.18'), '0.27.1'));
  f.bpftrace!.kfunc = null;
  f.tracefs.availableFilterFunctions = 'ok'; // else 0.27 refuses every kprobe here (see the next test)
  assert.equal(by(resolve(f).resolution, 'pid_revalidate').probe, 'fentry', 'test load ok');
  const failed = structuredClone(f);
  failed.probes.fentry = { ok: false, error: 'stdin:1:1-22: ERROR: No matches for fentry pid_revalidate.' };
  const pr = by(resolve(failed).resolution, 'pid_revalidate');
  assert.equal(pr.probe, 'kprobe');
  assert.match(pr.reason!, /does not list fentry in --info and a test fentry program failed to load: .*No matches/);
  const untested = structuredClone(f);
  untested.probes.fentry = null;
  assert.match(by(resolve(untested).resolution, 'pid_revalidate').reason!, /no test fentry program was loaded/);
});

test('DERIVED: bpftrace 0.27 kprobes only functions in available_filter_functions (0.23 only warned): notrace lockref goes by call sites, an unreadable list refuses kprobes', async () => {
  const onNotrace = withKprobes(await recorded('5.10.0-46-amd64'), true);
  onNotrace.probes.kprobeLockref = { ok: true, error: null, dmesg: null }; // as a kernel with ON_NOTRACE=y would answer
  assert.equal(by(resolve(onNotrace).resolution, 'lockref').strategy, 'direct', 'bpftrace 0.17: the kernel allows it');
  const bt27 = structuredClone(onNotrace);
  bt27.bpftrace = { path: 'bpftrace', version: '0.27.1', syntax: 'modern', kfunc: null };
  const lr = by(resolve(bt27).resolution, 'lockref');
  assert.equal(lr.strategy, 'callsite');
  assert.match(lr.rejected.find((r) => r.strategy === 'direct')!.reason, /bpftrace 0\.27\.1 refuses functions missing from that list/);
  assert.equal(by(resolve(bt27).resolution, 'pid_revalidate').probe, 'kprobe', 'traceable functions still kprobed');
  const unreadable = withKprobes(await recorded('6.18'));
  unreadable.bpftrace = { path: 'bpftrace', version: '0.27.1', syntax: 'modern', kfunc: null };
  const { resolution } = resolve(unreadable);
  assert.equal(by(resolution, 'pid_revalidate').strategy, 'unavailable');
  assert.match(by(resolution, 'pid_revalidate').reason!, /kprobes only functions listed in available_filter_functions, unreadable here \(error: EPERM/);
  assert.equal(by(resolution, 'lockref').strategy, 'contention');
  unreadable.bpftrace.version = '0.23.2';
  assert.equal(by(resolve(unreadable).resolution, 'pid_revalidate').probe, 'kprobe');
});

test('DERIVED: functions missing from kallsyms are unavailable (never zero); unlazy_child fallback and name convention without BTF', async () => {
  const f = withKprobes(await recorded('6.18'));
  const g = structuredClone(f);
  g.symbols.try_to_unlazy_next = null;
  g.symbols.unlazy_child = { ...f.symbols.try_to_unlazy_next!, name: 'unlazy_child', base: 'unlazy_child' };
  g.symbols.pid_revalidate = null;
  const { resolution, metricSources } = resolve(g);
  const un = by(resolution, 'unlazy_next');
  assert.equal(un.symbol, 'unlazy_child');
  assert.equal(un.returnConvention, 'errno');
  assert.match(un.reason!, /by name/);
  assert.equal(by(resolution, 'pid_revalidate').strategy, 'unavailable');
  assert.match(metricSources.prCalls.reason!, /not in \/proc\/kallsyms/);
});

test('LOOKUP_RCU: BTF enum, else the kernel code (6.18: 0x100), else the release (0x40 before 6.15, 0x100 after), said so', async () => {
  const f = await recorded('6.18');
  assert.equal(lookupRcuBit(f).value, 0x100);
  assert.match(lookupRcuBit(f).reason!, /read from the kernel's code: the flags test of proc_misc_d_revalidate/);
  const noCode = { ...f, lookupRcuCode: null };
  assert.equal(lookupRcuBit(noCode).value, 0x100);
  assert.match(lookupRcuBit(noCode).reason!, /assumed from the release/);
  assert.equal(lookupRcuBit({ ...noCode, release: '5.10.0-35-amd64' }).value, 0x40);
  assert.match(lookupRcuBit({ ...noCode, release: '6.1.0-41-amd64' }).reason!, /0x40 assumed/);
  assert.deepEqual(lookupRcuBit({ ...f, btf: { ...f.btf, enums: { LOOKUP_RCU: 0x40 } } }), { value: 0x40, reason: null });
});

// Recorded Debian kernels (qemu rig): 5.10 and 6.1 have try_to_unlazy_next, and lockref_get_not_dead is notrace.
for (const k of recordedKernels().filter((d) => /^(5\.10|6\.1)\b/.test(d))) {
  test(`${k} (recorded in the qemu rig): kprobes, try_to_unlazy_next, lockref via call sites`, async () => {
    const f = await recorded(k);
    const { resolution } = resolve(f, 'auto');
    assert.equal(by(resolution, 'pid_revalidate').strategy, 'direct');
    assert.equal(by(resolution, 'unlazy_next').symbol?.split('.')[0], 'try_to_unlazy_next');
    const lr = by(resolution, 'lockref');
    assert.equal(lr.strategy, 'callsite', lr.reason ?? '');
    assert.equal(lr.rejected[0]!.strategy, 'direct');
    assert.ok((lr.callsites ?? []).length > 0);
    const pr = by(resolution, 'pid_revalidate');
    if (k === '5.10.0-32-arm64') {
      // its BTF has no static functions (pid_revalidate, proc_misc_d_revalidate): the RCU share is unavailable, not guessed
      assert.equal(pr.flagsArg, null);
      assert.equal(pr.lookupRcu, null);
      assert.match(pr.reason!, /prRcuCalls unavailable: pid_revalidate is not in BTF/);
    } else {
      assert.equal(pr.flagsArg, 1); // (struct dentry *, unsigned int flags) on these kernels
      assert.equal(pr.lookupRcu, 0x40);
    }
  });
}

test('probe choice on the recorded Debian kernels: 5.10 kprobe (bpftrace 0.17: no kfunc there), 6.1 fentry (kfunc test loaded)', async (t) => {
  const ks = recordedKernels();
  const k510 = ks.find((k) => k.startsWith('5.10') && k.endsWith('-amd64'));
  const k61 = ks.find((k) => /^6\.1\.0-\d+-amd64$/.test(k));
  if (!k510 || !k61) { t.skip('5.10/6.1 folders not recorded yet'); return; }
  const r510 = resolve(await recorded(k510)).resolution;
  assert.equal(by(r510, 'pid_revalidate').probe, 'kprobe');
  assert.equal(by(r510, 'spin').strategy, 'unavailable'); // no lock:contention_* before 5.19
  assert.match(by(r510, 'spin').reason!, /tracepoints are missing/);
  const r61 = resolve(await recorded(k61)).resolution;
  assert.equal(by(r61, 'pid_revalidate').probe, 'fentry');
  assert.equal(by(r61, 'unlazy_next').probe, 'fentry');
  assert.equal(by(r61, 'unlazy_next').returnConvention, 'bool');
  assert.equal(by(r61, 'spin').strategy, 'contention');
  assert.deepEqual(by(r61, 'lockref').callsites!.map((c) => `${c.caller}+${c.offset}`),
    ['try_to_unlazy_next+63', 'try_to_unlazy_next+77', '__legitimize_path+34', 'd_alloc_parallel+358', 'd_alloc_parallel+861']);
  // the same offsets as /work/shared/vm-recipe/example-lockref-callsites-6.1.bt (gdb on another 6.1 guest)
});

// LOOKUP_RCU per recorded folder: the value and the source it came from.
const FROM_REVALIDATE = /^LOOKUP_RCU = 0x100 read from the kernel's code: the flags test of proc_misc_d_revalidate \(proc_misc_d_revalidate\+5: and \$0x1,%ch; jne; flags = argument 3 from BTF; \S+\/6\.18\/text\/proc_misc_d_revalidate\.head\.hex\)$/;
const EXPECT: Record<string, { value: number | null; source: 'revalidate' | 'unlazy' | 'release' | 'none'; reason: RegExp }> = {
  // recorded before proc_misc_d_revalidate and nameidata.flags were read: the release, as before this change
  '5.10.0-46-amd64': { value: 0x40, source: 'release', reason: /proc_misc_d_revalidate: not in kallsyms; try_to_unlazy_next: the nameidata.flags offset is not in BTF facts.*: 0x40 assumed from the release/ },
  '6.1.0-56-amd64': { value: 0x40, source: 'release', reason: /proc_misc_d_revalidate: not in kallsyms; try_to_unlazy_next: the nameidata.flags offset is not in BTF facts.*: 0x40 assumed from the release/ },
  '6.18': { value: 0x100, source: 'revalidate', reason: FROM_REVALIDATE },
  '7.3.4+deb13-amd64': { value: 0x100, source: 'release', reason: /proc_misc_d_revalidate: not in kallsyms; .*: 0x100 \(BIT\(8\)\) assumed from the release/ },
  // PREEMPT_RT 6.1 (qemu guest): the same test as x86 6.1, `and $0x40,%esi; jne` after the ftrace nop
  '6.1.0-50-rt-amd64': { value: 0x40, source: 'revalidate', reason: /^LOOKUP_RCU = 0x40 read from the kernel's code: the flags test of proc_misc_d_revalidate \(proc_misc_d_revalidate\+5: and \$0x40,%esi; jne; flags = argument 1 from BTF; \S+\/6\.1\.0-50-rt-amd64\/text\/proc_misc_d_revalidate\.head\.hex\)$/ },
  // arm64 (qemu-system-aarch64 guests): `tbnz w1, #6` opens proc_misc_d_revalidate (objdump-revalidate.txt)
  // 5.10's BTF has no static functions: no flags position, so nothing is read, and on arm64 nothing is guessed
  '5.10.0-32-arm64': { value: null, source: 'none', reason: /^LOOKUP_RCU is a #define, not in BTF, and not read from its code \(proc_misc_d_revalidate: no FUNC proto with an unsigned int flags parameter in BTF, so its flags register is unknown, try_to_unlazy_next: no reader of its BUG_ON for arm64 code\) on arm64$/ },
  '6.1.0-57-arm64': { value: 0x40, source: 'revalidate', reason: /^LOOKUP_RCU = 0x40 read from the kernel's code: the flags test of proc_misc_d_revalidate \(proc_misc_d_revalidate\+12: tbnz w1, #6; flags = argument 1 from BTF; \S+\/6\.1\.0-57-arm64\/text\/proc_misc_d_revalidate\.head\.hex\)$/ },
};
for (const k of recordedKernels()) {
  test(`${k}: LOOKUP_RCU value and source`, async () => {
    const e = EXPECT[k];
    assert.ok(e, `no expectation for the recorded folder ${k}: add one`);
    const f = await recorded(k);
    const lr = lookupRcuBit(f);
    assert.equal(lr.value, e.value);
    assert.match(lr.reason!, e.reason);
    const kind = f.lookupRcuCode?.value ? f.lookupRcuCode.kind : lr.value === null ? 'none' : 'release';
    assert.equal(kind, e.source);
    // and what the probe gets (kprobes derived on where the folder has none)
    const pr = by(resolve(withKprobes(f)).resolution, 'pid_revalidate');
    assert.equal(pr.lookupRcu, e.value);
    assert.notEqual(pr.lookupRcu, 0x200);
  });
}

test('DERIVED 7.3 + nameidata.flags = 0x38 (BTF in the guest, lookup-rcu-check.txt): the unlazy fallback no longer yields 0x200', async () => {
  const f = await recorded('7.3.4+deb13-amd64');
  const raw = await loadFactsFolder(join(KERNELS_DIR, '7.3.4+deb13-amd64'));
  raw.btf = { ...raw.btf, members: { 'nameidata.flags': 0x38 } };
  const g = buildKernelFacts(await withLookupRcuFromFolder(raw, '7.3.4+deb13-amd64'));
  assert.equal(g.lookupRcuCode?.value, null);
  assert.match(g.lookupRcuCode!.passedOver.join('; '), /try_to_unlazy_next: no LOOKUP_RCU test recognised \(no BUG_ON test of nameidata.flags at 56/);
  const lr = lookupRcuBit(g);
  assert.equal(lr.value, 0x100);
  assert.match(lr.reason!, /assumed from the release/);
  assert.equal(lookupRcuBit(f).value, 0x100);
});

test('DERIVED 7.3 + proc_misc_d_revalidate (gdb bytes from the 7.3 guest, lookup-rcu.txt): read from it first, 0x100', async () => {
  const raw = await loadFactsFolder(join(KERNELS_DIR, '7.3.4+deb13-amd64'));
  // every d_revalidate has the same proto: 7.3's BTF gives it for pid_revalidate
  raw.btf = { ...raw.btf, members: { 'nameidata.flags': 0x38 }, funcs: { ...raw.btf.funcs, proc_misc_d_revalidate: raw.btf.funcs.pid_revalidate! } };
  // the address gdb printed (another boot of the same build)
  raw.kallsymsText += 'ffffffff8b4a2b10 t proc_misc_d_revalidate\nffffffff8b4a2b40 t __pfx_proc_misc_d_delete\n';
  const bytes = Uint8Array.from(Buffer.from('f30f1efa0f1f44000080e5017514488b4230', 'hex')); // test/unit/kernel/arch/x86-64/lookup-rcu-revalidate.test.ts checks these against the gdb listing
  raw.lookupRcuCode = await readLookupRcuCode(raw.kallsymsText, raw.btf, async (sym) => sym === 'proc_misc_d_revalidate' ? { bytes, source: 'test/fixtures/vm/7.3.4+deb13-amd64/lookup-rcu.txt' } : null, raw.source.arch);
  const f = buildKernelFacts(raw);
  assert.equal(f.lookupRcuCode?.kind, 'revalidate');
  const lr = lookupRcuBit(f);
  assert.equal(lr.value, 0x100);
  assert.match(lr.reason!, /the flags test of proc_misc_d_revalidate \(proc_misc_d_revalidate\+9: and \$0x1,%ch; jne; flags = argument 3 from BTF/);
});

test('DERIVED 5.10/6.1 + nameidata.flags = 0x38 (gdb: text/disassembly.txt): the unlazy fallback gives 0x40 from the BUG_ON', async () => {
  for (const k of ['5.10.0-46-amd64', '6.1.0-56-amd64']) {
    const raw = await loadFactsFolder(join(KERNELS_DIR, k));
    raw.btf = { ...raw.btf, members: { 'nameidata.flags': 0x38 } };
    const f = buildKernelFacts(await withLookupRcuFromFolder(raw, k));
    assert.equal(f.lookupRcuCode?.kind, 'unlazy');
    const lr = lookupRcuBit(f);
    assert.equal(lr.value, 0x40, k);
    assert.match(lr.reason!, /read from the kernel's code: the BUG_ON of try_to_unlazy_next \(try_to_unlazy_next\+5: .*je -> ud2; nameidata.flags at 56 from BTF; .*; fallback: proc_misc_d_revalidate: not in kallsyms$/);
  }
});

test('the 6.18 folder without proc_misc_d_revalidate falls back to try_to_unlazy_next (BTF has nameidata.flags): 0x100 from the BUG_ON', async () => {
  const raw = await loadFactsFolder(join(KERNELS_DIR, '6.18'));
  raw.kallsymsText = raw.kallsymsText.split('\n').filter((l) => !/ proc_misc_d_revalidate$/.test(l)).join('\n');
  const f = buildKernelFacts(await withLookupRcuFromFolder(raw, '6.18'));
  assert.equal(f.lookupRcuCode?.kind, 'unlazy');
  assert.equal(lookupRcuBit(f).value, 0x100);
  assert.match(lookupRcuBit(f).reason!, /the BUG_ON of try_to_unlazy_next \(try_to_unlazy_next\+5: testb \$0x1,0x39\(%rdi\); je -> ud2/);
});

/** re-reads LOOKUP_RCU from the folder's recorded bytes after a test changed the raw facts */
async function withLookupRcuFromFolder(raw: RawFacts, k: string): Promise<RawFacts> {
  const dir = join(KERNELS_DIR, k, 'text');
  const files = readdirSync(dir);
  raw.lookupRcuCode = await readLookupRcuCode(raw.kallsymsText, raw.btf, async (sym) => {
    const f = files.find((h) => h === `${sym}.hex`) ?? files.find((h) => h === `${sym}.head.hex`);
    return f ? { bytes: parseHexDump(readFileSync(join(dir, f), 'utf8')).bytes, source: join(dir, f) } : null;
  }, raw.source.arch);
  return raw;
}
