// The stall watch: ticks keep it quiet however long the run, a silence longer than the script may hold a tick back
// (pendingSkipLimit intervals) plus slack resolves 'late'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { stallAfterMs, watchForStall } from '../../../cli/capture/stall-watch.js';
import { pendingSkipLimit } from '../../../cli/script-protocol/generations.js';

test('the stall limit covers the longest hold-back of a tick', () => {
  for (const ms of [10, 20, 100, 1000, 60_000]) assert.ok(stallAfterMs(ms) > pendingSkipLimit(ms) * ms + ms, String(ms));
});

test('ticks keep it quiet; a silence past the limit is late', async () => {
  const limit = 300;
  const w = watchForStall(limit);
  let late = false;
  void w.late.then(() => { late = true; });
  for (let i = 0; i < 30; i++) { await sleep(30); w.tick(); }
  assert.equal(late, false, 'a run three times the limit, with ticks, is not a stall');
  await sleep(limit * 2);
  assert.equal(late, true);
  w.stop();
});

test('stop() ends the watch: no late after it, even if a tick comes', async () => {
  const w = watchForStall(50);
  let late = false;
  void w.late.then(() => { late = true; });
  w.stop();
  w.tick();
  await sleep(150);
  assert.equal(late, false);
});
