// The prototype runs recorded in the VM rig (test/fixtures/vm/<release>/attribution/bt-<v>/): each workload of
// jobs/attribution-load.sh is found in the row it was written for, and the reasons add up to the unlazy calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../../cli/paths.js';
import type { CallersFile } from '../../../cli/kernel/unlazy-sites.js';
import { parseSymbols, phaseReport, type PhaseReport } from '../../../scripts/attribution/phase-report.js';

/** The row each workload phase is written to land in (jobs/attribution-load.sh). */
const WRITTEN_FOR: Record<number, string> = {
  2: 'revalidate', 3: 'revalidate', 4: 'link-get_link', 5: 'link-atime', 6: 'open', 7: 'enotdir', 8: 'permission',
};

const VM = join(FIXTURES_DIR, 'vm');
const runs = readdirSync(VM).flatMap((k) => {
  const dir = join(VM, k, 'attribution');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => d.startsWith('bt-')).map((bt) => ({ k, bt, dir: join(dir, bt) }));
});

function report(r: { k: string; dir: string }): PhaseReport[] {
  const callers = JSON.parse(readFileSync(join(FIXTURES_DIR, 'kernels', r.k, 'attribution', 'callers.json'), 'utf8')) as CallersFile;
  const sym = existsSync(join(r.dir, 'symbols.txt')) ? parseSymbols(readFileSync(join(r.dir, 'symbols.txt'), 'utf8')) : new Map<bigint, string>();
  return phaseReport(readFileSync(join(r.dir, 'bpftrace.ndjson'), 'utf8'), callers, sym);
}

test('each workload shows up in the reason it was written for (premature reasons, the end of walks left out)', () => {
  assert.ok(runs.length >= 1, 'no recorded prototype run');
  for (const r of runs) {
    const phases = report(r);
    for (const [n, want] of Object.entries(WRITTEN_FOR)) {
      const p = phases.find((x) => x.phase === Number(n));
      if (!p) continue; // fd-readlinkat needs perl in the guest
      const top = Object.entries(p.reasons).filter(([k]) => k !== 'normal').sort((a, b) => b[1] - a[1])[0]!;
      assert.equal(top[0], want, `${r.k} ${r.bt} phase ${n}: ${JSON.stringify(p.reasons)}`);
    }
  }
});

test('the reasons add up to the unlazy calls counted at return, and every site is a known one', () => {
  for (const r of runs) {
    for (const p of report(r)) {
      if (p.phase === 0 || p.phase === 99) continue; // attach and exit windows: entries and returns straddle them
      assert.ok(Math.abs(p.entries - p.returns) <= Math.max(20, 0.05 * p.returns), `${r.k} ${r.bt} phase ${p.phase}: ${p.entries} at entry, ${p.returns} at return`);
      assert.deepEqual(Object.keys(p.reasons).filter((k) => k.startsWith('other')), [], `${r.k} phase ${p.phase}`);
    }
  }
});

test('the methods that refused are read at their sites', () => {
  for (const r of runs) {
    const phases = report(r);
    const link = phases.find((p) => p.phase === 4)!.methods.link ?? {};
    assert.ok(Object.values(link).reduce((a, b) => a + b, 0) >= 0.9 * (phases.find((p) => p.phase === 4)!.reasons['link-get_link'] ?? 0), `${r.k}: ${JSON.stringify(link)}`);
    const reval = phases.find((p) => p.phase === 2)!.methods.revalidate ?? {};
    const named = existsSync(join(r.dir, 'symbols.txt'));
    if (named) assert.ok(Object.keys(reval).some((m) => m.startsWith('tid_fd_revalidate')), `${r.k} ${r.bt}: ${JSON.stringify(reval)}`);
    else assert.ok(Object.keys(reval).length >= 2, `${r.k} ${r.bt}: ${JSON.stringify(reval)}`);
  }
});
