// The call-site cache's LOOKUP_RCU entry: only one written by the current decoders, from the same BTF
// inputs, is used; the old-format `lookupRcu` (read from try_to_unlazy_next's opening test: 0x200 on 7.x)
// never wins, and the file stays valid so its call sites are reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCallsiteCache, saveCallsiteCache, validateCallsiteCache, type CallsiteCache } from '../../../cli/kernel/callsite-cache.js';
import { LOOKUP_RCU_DECODER_VERSION } from '../../../cli/kernel/arch/machine-code.js';
import { cachedLookupRcuCode } from '../../../cli/kernel/lookup-rcu-code.js';
import { loadFactsFolder } from '../../../cli/kernel/facts-folder.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

const base: CallsiteCache = {
  schemaVersion: 1, kernelRelease: '7.3.4+deb13-amd64', procVersionHash: '0123456789abcdef', createdAt: '2026-11-25T16:00:00.000Z',
  target: 'lockref_get_not_dead', source: '/proc/kcore',
  callers: [{ caller: 'try_to_unlazy_next', size: 368, callsites: [{ offset: 68, nextOffset: 73 }] }],
};
// what rcuwalk before this change cached on 7.3 (the first test of try_to_unlazy_next: test $0x2,%ah)
const OLD_7_3 = { symbol: 'try_to_unlazy_next', value: 0x200, form: 'try_to_unlazy_next+9: mov; test $0x2,%ah', flagsOffset: 0x38 };

test('an old-format entry (0x200 from try_to_unlazy_next) is valid for its call sites but never used for LOOKUP_RCU', async () => {
  const btf = (await loadFactsFolder(join(FIXTURES_DIR, 'kernels', '7.3.4+deb13-amd64'))).btf;
  const old = { ...base, lookupRcu: OLD_7_3 };
  assert.equal(validateCallsiteCache(old), true);
  assert.equal(cachedLookupRcuCode(old, { ...btf, members: { 'nameidata.flags': 0x38 } }), null);
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-lrc-'));
  try {
    const file = join(dir, 'c.json');
    await saveCallsiteCache(file, old);
    const loaded = await loadCallsiteCache(file, base.kernelRelease, base.procVersionHash, base.target);
    assert.deepEqual(loaded?.callers, base.callers);
    assert.equal(cachedLookupRcuCode(loaded!, btf), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a current entry is used only with the same decoder version and BTF inputs', async () => {
  const btf = (await loadFactsFolder(join(FIXTURES_DIR, 'kernels', '6.18'))).btf;
  const entry = {
    kind: 'revalidate' as const, symbol: 'proc_misc_d_revalidate', value: 0x100, form: 'proc_misc_d_revalidate+5: and $0x1,%ch; jne',
    flagsOffset: null, flagsArg: 3, source: 'bpftrace probe_read', passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION,
  };
  const c = { ...base, lookupRcu: OLD_7_3, lookupRcuCode: entry };
  assert.equal(validateCallsiteCache(c), true);
  assert.deepEqual(cachedLookupRcuCode(c, btf), entry);
  assert.equal(cachedLookupRcuCode({ ...c, lookupRcuCode: { ...entry, decoder: LOOKUP_RCU_DECODER_VERSION - 1 } }, btf), null);
  assert.equal(cachedLookupRcuCode({ ...c, lookupRcuCode: { ...entry, flagsArg: 1 } }, btf), null);
  const unlazy = { ...entry, kind: 'unlazy' as const, symbol: 'try_to_unlazy_next', flagsArg: null, flagsOffset: 0x38 };
  assert.equal(cachedLookupRcuCode({ ...c, lookupRcuCode: unlazy }, btf)?.value, 0x100);
  assert.equal(cachedLookupRcuCode({ ...c, lookupRcuCode: { ...unlazy, flagsOffset: 0x40 } }, btf), null);
  assert.equal(validateCallsiteCache({ ...c, lookupRcuCode: { ...entry, kind: 'other' } }), false);
  assert.equal(validateCallsiteCache({ ...c, lookupRcuCode: { ...entry, decoder: undefined } }), false);
});
