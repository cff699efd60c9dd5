// The stall watch: ticks keep it quiet however long the run, a silence longer than the script may hold a tick back
// (pendingSkipLimit intervals) plus slack resolves 'late'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { stallAfterMs, watchForStall } from '../../../cli/capture/stall-watch.js';
import { pendingSkipLimit } from '../../../cli/probes/map-names.js';

test('the stall limit covers the longest hold-back of a tick', () => {
  for (const ms of [10, 20, 100, 1000, 60_000]) assert.ok(stallAfterMs(ms) > pendingSkipLimit(ms) * ms + ms, String(ms));
});

test('ticks keep it quiet; a silence past the limit is late', async () => {
  let clock = 0;
  const w = watchForStall(10, () => clock);
  let late = false;
  void w.late.then(() => { late = true; });
  const limit = stallAfterMs(10);
  for (let i = 0; i < 5; i++) { clock += limit - 1; w.tick(); await sleep(25); }
  assert.equal(late, false, 'a run far longer than the limit, with ticks, is not a stall');
  clock += limit + 1;
  await sleep(40);
  assert.equal(late, true);
  w.stop();
});

test('stop() ends the watch: no late after it', async () => {
  let clock = 0;
  const w = watchForStall(10, () => clock);
  let late = false;
  void w.late.then(() => { late = true; });
  w.stop();
  clock += stallAfterMs(10) * 2;
  await sleep(40);
  assert.equal(late, false);
});
