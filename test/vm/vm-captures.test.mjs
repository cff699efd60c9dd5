// Assertions on the captures run-matrix.sh collected from real Debian kernels under qemu
// ($RCUWALK_VM_OUT/matrix.json names them). Run by run-matrix.sh; on its own:
//   RCUWALK_VM_OUT=/var/cache/rcuwalk-vm/matrix-out node --test test/vm/vm-captures.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = process.env.RCUWALK_VM_OUT ?? join(process.env.RCUWALK_VM_CACHE ?? '/var/cache/rcuwalk-vm', 'matrix-out');
const matrixFile = join(OUT, 'matrix.json');
const matrix = existsSync(matrixFile) ? JSON.parse(readFileSync(matrixFile, 'utf8')) : {};
const { validateCapture } = await import(join(REPO, 'dist/cli/schema/validate.js'));

const load = (label) => {
  const m = matrix[label];
  const file = join(OUT, m.file);
  assert.ok(existsSync(file), `${label}: no capture ${file} (guest job exit ${m.exit}; console: ${join(OUT, `${m.release}.console.log`)})`);
  return validateCapture(JSON.parse(readFileSync(file, 'utf8')), m.file);
};
/** kallsyms names the guest saw (written next to the capture by jobs/run-capture.sh) */
const kallsyms = (label) => {
  const f = join(OUT, `${matrix[label].release}.kallsyms.txt`);
  return existsSync(f) ? new Set(readFileSync(f, 'utf8').split('\n').map((l) => l.split(/\s+/)[2]).filter(Boolean)) : null;
};
const res = (cap, target) => cap.resolution.find((r) => r.target === target);
const perRun = (cap, field) => cap.totals.all[field] / cap.totals.runs;

test('the matrix ran', () => {
  assert.ok(existsSync(matrixFile), `no ${matrixFile}: run test/vm/run-matrix.sh`);
  assert.ok(Object.keys(matrix).length > 0);
});

for (const label of Object.keys(matrix)) {
  const { release } = matrix[label];
  test(`${label} ${release}: capture (${matrix[label].seconds}s boot+capture)`, async (t) => {
    assert.equal(matrix[label].exit, 0, `guest job exit ${matrix[label].exit}`);
    const cap = load(label);
    assert.equal(cap.host.kernelRelease, release);
    assert.ok(cap.run.complete, `run incomplete: ${cap.run.endReason} ${cap.run.error ?? ''}`);
    const all = cap.totals.all;
    const syms = kallsyms(label);

    await t.test('resolution: kprobes on symbols that exist in this kernel', () => {
      for (const target of ['pid_revalidate', 'unlazy_next']) {
        const r = res(cap, target);
        assert.ok(r, `no resolution for ${target}`);
        // kprobe, or fentry where this kernel + bpftrace allow it (6.1 and newer with bpftrace 0.17);
        // 5.10 has no kfunc support in bpftrace 0.17, so kprobes there
        const allowed = label === 'bullseye' ? ['kprobe'] : ['kprobe', 'fentry'];
        assert.ok(allowed.includes(r.probe), `${target}: probe ${r.probe}: ${JSON.stringify(r)}`);
        t.diagnostic(`${target}: ${r.probe}:${r.symbol}`);
        assert.equal(r.strategy, 'direct', `${target}: ${JSON.stringify(r)}`);
        if (syms) assert.ok(syms.has(r.symbol), `${target}: ${r.symbol} not in the guest's kallsyms`);
      }
      assert.equal(res(cap, 'unlazy_next').symbol, 'try_to_unlazy_next');
    });

    await t.test('pid_revalidate, LOOKUP_RCU and -ECHILD', (t) => {
      assert.ok(all.prCalls > 0, `prCalls ${all.prCalls}`);
      // the LOOKUP_RCU bit (0x40 on 5.10/6.1, 0x100 on 7.x) must be right: RCU-mode calls are counted
      const lr = res(cap, 'pid_revalidate');
      t.diagnostic(`pid_revalidate: flags arg${lr.flagsArg} & 0x${(lr.lookupRcu ?? 0).toString(16)}: ${all.prRcuCalls} of ${all.prCalls} calls in RCU mode`);
      assert.ok(all.prRcuCalls > 0, `no pid_revalidate call seen with LOOKUP_RCU (0x${(lr.lookupRcu ?? 0).toString(16)}): ${lr.reason ?? ''}`);
      if (label !== 'bullseye') assert.ok(all.prRcuCalls / all.prCalls >= 0.5, `RCU share ${all.prRcuCalls}/${all.prCalls} (LOOKUP_RCU 0x${(lr.lookupRcu ?? 0).toString(16)})`);
      if (label === 'bullseye') {
        assert.ok(all.prEchild > 0, `5.10 must fall out of RCU-walk in pid_revalidate: prEchild ${all.prEchild}`);
        assert.ok(all.prEchild / all.prCalls >= 0.2, `ECHILD share ${all.prEchild}/${all.prCalls}`);
      } else {
        assert.equal(all.prEchild, 0, `after da4d6b9cf80a pid_revalidate must not return -ECHILD: ${all.prEchild}`);
      }
    });

    await t.test('unlazy and lockref calls, lockref timing', () => {
      assert.ok(all.unlazyNextCalls > 0, `unlazyNextCalls ${all.unlazyNextCalls}`);
      const lr = res(cap, 'lockref');
      assert.ok(['direct', 'callsite'].includes(lr.strategy), `lockref strategy ${lr.strategy}: ${lr.reason ?? ''}; rejected: ${JSON.stringify(lr.rejected)}`);
      assert.ok(all.lockrefCalls > 0, `lockrefCalls ${all.lockrefCalls}`);
      assert.ok(['direct', 'callsite'].includes(cap.metricSources.lockrefNs?.strategy), JSON.stringify(cap.metricSources.lockrefNs));
      assert.ok(all.lockrefNs > 0 && all.lockrefMaxNs > 0, `lockrefNs ${all.lockrefNs} max ${all.lockrefMaxNs}`);
      assert.ok(cap.histograms.lockrefNs.all.some((b) => b.count > 0), 'empty lockref histogram');
    });

    await t.test('per-CPU rows for both vCPUs', () => {
      for (const cpu of [0, 1]) {
        const row = cap.totals.cpus.find((r) => r.cpu === cpu);
        assert.ok(row, `no totals row for cpu ${cpu}`);
        assert.ok(row.prCalls + row.lockrefCalls > 0, `cpu ${cpu} saw nothing: ${JSON.stringify(row)}`);
        assert.ok(cap.intervals.some((iv) => iv.cpus.some((r) => r.cpu === cpu)), `no interval row for cpu ${cpu}`);
      }
      assert.ok(cap.intervals.length >= 5, `${cap.intervals.length} intervals`);
      assert.ok(cap.totals.runs > 0, `ps runs ${cap.totals.runs}`);
    });
  });
}

test('5.10 takes more unlazy (try_to_unlazy_next) calls per ps run than 6.1', (t) => {
  if (!matrix.bullseye || !matrix.bookworm) return t.skip('needs bullseye and bookworm');
  const a = load('bullseye'), b = load('bookworm');
  const ra = perRun(a, 'unlazyNextCalls'), rb = perRun(b, 'unlazyNextCalls');
  t.diagnostic(`unlazyNextCalls per ps run: 5.10 ${ra.toFixed(0)}, 6.1 ${rb.toFixed(0)}`);
  assert.ok(ra > rb, `5.10 ${ra} <= 6.1 ${rb}`);
});

// `rcuwalk serve` in the same guest (jobs/run-capture.sh): one scrape from inside the guest, its counters in the
// exporter's names; 5.10 (before the fix) shows -ECHILD, the kernels after it none.
const samples = (text, name) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).map((l) => Number(l.split(' ').at(-1)));
for (const label of Object.keys(matrix)) {
  const { release } = matrix[label];
  const metricsFile = join(OUT, `${release}.metrics.txt`);
  const serveFile = join(OUT, `${release}.serve.txt`);
  test(`${label} ${release}: rcuwalk serve scraped inside the guest`, { skip: existsSync(serveFile) ? false : 'no serve run in this matrix (SERVE_ARGS empty)' }, () => {
    assert.match(readFileSync(serveFile, 'utf8'), /scrape_exit=0 serve_exit=0/, `serve job: ${readFileSync(serveFile, 'utf8')}`);
    const text = readFileSync(metricsFile, 'utf8');
    assert.deepEqual(samples(text, 'rcuwalk_up'), [1]);
    assert.match(text, /rcuwalk_target_info\{target="pid_revalidate",strategy="direct"\} 1/);
    assert.match(text, new RegExp(`rcuwalk_build_info\\{[^}]*kernel_release="${release.replace(/[.+]/g, '\\$&')}"`));
    const calls = samples(text, 'rcuwalk_pid_revalidate_calls_total').reduce((a, b) => a + b, 0);
    const echild = samples(text, 'rcuwalk_pid_revalidate_echild_total').reduce((a, b) => a + b, 0);
    assert.ok(calls > 0, 'pid_revalidate calls counted');
    if (label === 'bullseye') assert.ok(echild > 0, `5.10: -ECHILD ${echild} of ${calls} calls`);
    else assert.equal(echild, 0, `${release}: -ECHILD after the fix`);
    assert.ok(samples(text, 'rcuwalk_intervals_total')[0] >= 3);
  });
}
