// collectStartupGarbage really collects: an object only a WeakRef points to is gone after it, and it can run again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { collectStartupGarbage } from '../../../cli/capture/startup-garbage.js';

function dropped(): WeakRef<object> {
  return new WeakRef({ payload: new Array(100_000).fill(1) });
}

test('collectStartupGarbage runs a full GC: weakly held garbage is gone afterwards, every time', async () => {
  for (let round = 0; round < 2; round++) {
    const ref = dropped();
    await tick(); // a WeakRef (and each deref) keeps its target alive until the current job has ended
    collectStartupGarbage();
    await tick();
    assert.equal(ref.deref(), undefined, `round ${round}: collected`);
    // made after the GC: nothing collects a large object by itself this soon
    const fresh = dropped();
    await tick();
    assert.notEqual(fresh.deref(), undefined, 'without it, the garbage is still there');
  }
});
