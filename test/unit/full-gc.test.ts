// fullGc really collects: it runs a major (mark-sweep) GC each time it is called, and an object
// only a WeakRef points to is gone after it. Checked on V8's own GC records, not on how soon V8 would collect alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { fullGc } from '../../cli/full-gc.js';

function dropped(): WeakRef<object> {
  return new WeakRef({ payload: new Array(100_000).fill(1) });
}

/** Major GCs V8 reports while `fn` runs (GC entries arrive asynchronously: wait for them). */
async function majorGcsDuring(fn: () => void): Promise<number> {
  const seen: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  fn();
  await sleep(50);
  obs.disconnect();
  return seen.filter((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length;
}

test('fullGc runs a major GC every time it is called', async () => {
  for (let round = 0; round < 2; round++) assert.ok(await majorGcsDuring(fullGc) >= 1, `round ${round}: a major GC`);
});

test('after it, weakly held garbage is gone', async () => {
  const ref = dropped();
  await tick(); // a WeakRef (and each deref) keeps its target alive until the current job has ended
  fullGc();
  await tick();
  assert.equal(ref.deref(), undefined);
});
