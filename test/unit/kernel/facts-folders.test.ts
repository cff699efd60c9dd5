// Every recorded kernel folder loads, and its call sites re-scanned from the recorded bytes agree with what
// the recorder wrote (text/callsites.json) and with a disassembler run on the live kernel (gdb on
// /proc/kcore in the qemu rig: text/disassembly.txt; objdump on the bytes for 6.18: text/objdump-calls.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFactsFolder } from '../../../cli/kernel/facts-folder.js';
import { buildKernelFacts } from '../../../cli/kernel/build-facts.js';
import { KERNELS_DIR, recordedKernels } from '../probes/facts-helpers.js';

const key = (s: { caller: string; offset: number; nextOffset: number }) => `${s.caller}+${s.offset}/${s.nextOffset}`;

/** `call 0x<target>` lines of a gdb "disassemble" dump, as caller+offset (FUNC <name> <start> headers). */
function gdbCalls(text: string, target: bigint): string[] {
  const out: string[] = [];
  let caller = '';
  let base = 0n;
  for (const line of text.split('\n')) {
    const h = /^FUNC (\S+) 0x([0-9a-f]+)/.exec(line);
    if (h) { caller = h[1]!; base = BigInt(`0x${h[2]}`); continue; }
    const c = /^\s+0x([0-9a-f]+)(?: <[^>]*>)?:\s+call\s+0x([0-9a-f]+)/.exec(line);
    if (c && BigInt(`0x${c[2]}`) === target) {
      const off = Number(BigInt(`0x${c[1]}`) - base);
      out.push(`${caller}+${off}/${off + 5}`);
    }
  }
  return out.sort();
}

for (const k of recordedKernels()) {
  test(`${k}: the folder loads; re-scanned call sites match the recorder and the disassembler`, async () => {
    const dir = join(KERNELS_DIR, k);
    const raw = await loadFactsFolder(dir);
    const f = buildKernelFacts(raw);
    assert.ok(f.release.length > 0);
    assert.ok(f.symbols.pid_revalidate, 'pid_revalidate');
    assert.ok(f.symbols.lockref_get_not_dead, 'lockref_get_not_dead');
    assert.ok(f.btf.available);
    const rescanned = (f.callsites?.sites ?? []).map(key).sort();
    const csFile = join(dir, 'text', 'callsites.json');
    if (existsSync(csFile)) {
      const rec = JSON.parse(readFileSync(csFile, 'utf8')) as { callsites: { caller: string; offset: number; nextOffset: number }[] };
      assert.deepEqual(rescanned, rec.callsites.map(key).sort());
    }
    const dis = join(dir, 'text', 'disassembly.txt');
    if (existsSync(dis)) {
      const target = BigInt(`0x${f.symbols.lockref_get_not_dead!.address}`);
      assert.deepEqual(rescanned, gdbCalls(readFileSync(dis, 'utf8'), target));
    }
    assert.ok(rescanned.length > 0);
  });
}

test('a facts folder\'s JSON is checked against schemas/facts-folder.schema.json: one line naming the file and the path', async () => {
  const { cpSync, mkdtempSync: mk, writeFileSync: wf, readFileSync: rf } = await import('node:fs');
  const { tmpdir: td } = await import('node:os');
  const { loadFactsFolder: load } = await import('../../../cli/kernel/facts-folder.js');
  const { UserError: UE } = await import('../../../cli/errors.js');
  const src = join(KERNELS_DIR, '6.1.0-56-amd64');
  const dir = join(mk(join(td(), 'rcuwalk-facts-')), 'k');
  cpSync(src, dir, { recursive: true });
  assert.ok((await load(dir)).btf.available, 'the recorded folder loads');
  const btf = JSON.parse(rf(join(dir, 'btf.json'), 'utf8')) as { sizeBytes: unknown };
  btf.sizeBytes = 'big';
  wf(join(dir, 'btf.json'), JSON.stringify(btf));
  await assert.rejects(load(dir), (e: unknown) => e instanceof UE && e.message === `${join(dir, 'btf.json')}: /sizeBytes must be integer or null`);
  cpSync(join(src, 'btf.json'), join(dir, 'btf.json'));
  wf(join(dir, 'probes.json'), JSON.stringify({ kprobeLockref: { ok: 'yes', error: null }, fentry: null }));
  await assert.rejects(load(dir), (e: unknown) => e instanceof UE && e.message.startsWith(`${join(dir, 'probes.json')}: /kprobeLockref`));
  wf(join(dir, 'probes.json'), '{');
  await assert.rejects(load(dir), (e: unknown) => e instanceof UE && e.message.startsWith(`${join(dir, 'probes.json')} is not valid JSON`));
});
