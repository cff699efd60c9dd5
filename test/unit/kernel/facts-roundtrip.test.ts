import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFactsFolder, writeFactsFolder } from '../../../cli/kernel/facts-folder.js';
import { buildKernelFacts } from '../../../cli/kernel/build-facts.js';
import { KERNELS_DIR } from '../probes/facts-helpers.js';

test('6.18 folder -> RawFacts -> written folder -> the same KernelFacts (the writer and loader agree)', async () => {
  const raw = await loadFactsFolder(join(KERNELS_DIR, '6.18'));
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-facts-'));
  try {
    await writeFactsFolder(dir, raw, []);
    const again = buildKernelFacts(await loadFactsFolder(dir));
    const before = buildKernelFacts(raw);
    // without text/*.hex the loader takes text/callsites.json (same sites, other source label) and has no
    // code to read LOOKUP_RCU from (it says so)
    assert.deepEqual(again.callsites?.sites, before.callsites?.sites);
    assert.equal(again.lookupRcuCode?.value, null);
    assert.deepEqual(again.lookupRcuCode?.passedOver, ['proc_misc_d_revalidate: no bytes recorded', 'try_to_unlazy_next: no bytes recorded', 'try_to_unlazy: no bytes recorded']);
    assert.equal(before.lookupRcuCode?.value, 0x100);
    assert.equal(before.lookupRcuCode?.kind, 'revalidate');
    assert.deepEqual({ ...again, callsites: null, lookupRcuCode: null }, { ...before, callsites: null, lookupRcuCode: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
