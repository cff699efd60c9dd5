import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, cacheFile, loadCallsiteCache, procVersionHash, saveCallsiteCache, validateCallsiteCache, type CallsiteCache } from '../../../cli/kernel/callsite-cache.js';

const PV = 'Linux version 6.18.44-fc-v509 (builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC @0';

test('cache location follows XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u'), '/x/cache/rcuwalk');
  assert.equal(cacheDir({}, '/home/u'), '/home/u/.cache/rcuwalk');
  assert.equal(cacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'), '/home/u/.cache/rcuwalk');
  assert.match(procVersionHash(PV), /^[0-9a-f]{16}$/);
  assert.equal(cacheFile('/c', '6.18/../x', 'abcd', 'lockref_get_not_dead'), '/c/callsites-6.18_.._x-abcd-lockref_get_not_dead.json');
});

test('round trip; another build, a corrupt or invalid file are misses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-cache-'));
  try {
    const h = procVersionHash(PV);
    const file = cacheFile(dir, '6.18.44-fc-v509', h, 'lockref_get_not_dead');
    const c: CallsiteCache = {
      schemaVersion: 1, kernelRelease: '6.18.44-fc-v509', procVersionHash: h, createdAt: new Date().toISOString(),
      target: 'lockref_get_not_dead', source: 'bpftrace probe_read',
      callers: [{ caller: 'try_to_unlazy_next', size: 288, callsites: [{ offset: 68, nextOffset: 73 }, { offset: 85, nextOffset: 90 }] }],
    };
    await saveCallsiteCache(file, c);
    assert.deepEqual(await loadCallsiteCache(file, '6.18.44-fc-v509', h, 'lockref_get_not_dead'), c);
    assert.equal(await loadCallsiteCache(file, '6.18.44-fc-v509', procVersionHash(`${PV}x`), 'lockref_get_not_dead'), null);
    writeFileSync(file, '{not json');
    assert.equal(await loadCallsiteCache(file, '6.18.44-fc-v509', h, 'lockref_get_not_dead'), null);
    assert.equal(validateCallsiteCache({ ...c, extra: 1 }), false);
    const withRcu = { ...c, lookupRcu: { symbol: 'try_to_unlazy_next', value: 256, form: 'try_to_unlazy_next+5: testb $0x1,0x39(%rdi)', flagsOffset: 56 } };
    assert.equal(validateCallsiteCache(withRcu), true);
    assert.equal(validateCallsiteCache({ ...withRcu, lookupRcu: { ...withRcu.lookupRcu, value: 0 } }), false);
    assert.equal(validateCallsiteCache({ ...c, procVersionHash: 'XYZ' }), false);
    await assert.rejects(saveCallsiteCache(file, { ...c, schemaVersion: 2 } as unknown as CallsiteCache));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
