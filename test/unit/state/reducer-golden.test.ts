// Golden replays of real bpftrace output (0.17, and the contention script with 0.23 and 0.27; recorded on Linux
// 6.18, see test/fixtures/bpftrace/README.md) through parser -> reducer -> toCapture -> validateCapture. Expected
// values are computed from the raw JSON lines and /proc/stat samples independently of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reduceAll } from '../../../cli/state/reducer.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { validateCapture } from '../../../cli/schema/validate.js';
import { contentionMeta, fixtureEvents, fixtureLines, fixtureSamples, standinMeta, type ContentionFixture } from '../capture/fixture-replay.js';
import { COUNTER_KEYS } from '../../../cli/state/metrics.js';

type Raw = { type: string; data: Record<string, Record<string, unknown>> | string };

/** Raw records of a fixture split into intervals at each tick printf. */
function rawIntervals(base: string): Raw[][] {
  const out: Raw[][] = [];
  let cur: Raw[] = [];
  for (const l of fixtureLines(base)) {
    if (!l.trim()) continue;
    const o = JSON.parse(l) as Raw;
    if (o.type === 'printf' && typeof o.data === 'string' && o.data.startsWith('rcuwalk-tick')) { out.push(cur); cur = []; continue; }
    if (o.type === 'map' || o.type === 'hist') cur.push(o);
  }
  return out;
}

function entriesOf(recs: Raw[], name: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const r of recs) {
    const d = r.data as Record<string, Record<string, unknown>>;
    if (d[name]) out.push(...Object.entries(d[name]!));
  }
  return out;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const cpuOf = (key: string) => Number(key.slice(key.lastIndexOf(',') + 1));
/** Frames of a raw '<kstack>,<cpu>' key: 0.17 and 0.27 put newlines between frames, 0.23 a backslash and an n. */
const framesOf = (key: string) => key.slice(0, key.lastIndexOf(',')).split(/\n|\\n/).map((f) => f.trim()).filter(Boolean);

function pctFromSamples(base: string, i: number, cpu: number): { sys: number; user: number; idle: number } {
  const s = fixtureSamples(base);
  const line = (t: string) => t.split('\n').find((l) => l.startsWith(`cpu${cpu} `))!.split(/\s+/).slice(1).map(Number);
  const a = line(s[i]!.procStat), b = line(s[i + 1]!.procStat);
  const d = b.map((v, k) => v - a[k]!);
  const total = sum(d.slice(0, 8));
  return { user: ((d[0]! + d[1]!) / total) * 100, sys: (d[2]! / total) * 100, idle: ((d[3]! + d[4]!) / total) * 100 };
}

// lockref: whether stacks through lockref_get_not_dead were recorded (none with 2 CPUs on the later 6.18 build);
// frame: the top frame of one recorded stack
const CONTENTION: { base: ContentionFixture; bpftrace: string; lockref: boolean; frame: string }[] = [
  { base: 'contention-6.18', bpftrace: '0.17.0', lockref: true, frame: '__pv_queued_spin_lock_slowpath+347' },
  { base: 'contention-6.18-bt0.23', bpftrace: '0.23.2', lockref: false, frame: 'queued_read_lock_slowpath+171' },
  { base: 'contention-6.18-bt0.27', bpftrace: '0.27.1', lockref: false, frame: 'queued_read_lock_slowpath+171' },
];

for (const { base, bpftrace, lockref, frame } of CONTENTION) test(`contention fixture, bpftrace ${bpftrace} (${base}): spin and lockref waits/ns per interval and CPU, stacks, histogram, runs, %s`, () => {
  const state = reduceAll(fixtureEvents(base, contentionMeta(base)));
  const cap = validateCapture(toCapture(state), base);
  assert.equal(cap.bpftrace.version, bpftrace);
  const raw = rawIntervals(base);
  assert.equal(cap.intervals.length, raw.length);
  assert.equal(cap.intervals.length, 7);
  assert.equal(cap.run.complete, true);
  assert.equal(cap.run.endReason, 'duration');

  for (const [i, iv] of cap.intervals.entries()) {
    assert.equal(iv.seq, i);
    assert.deepEqual(iv.cpus.map((r) => r.cpu), [0, 1], 'every online CPU has a row');
    for (const row of iv.cpus) {
      const mine = (name: string, lockrefOnly = false) => entriesOf(raw[i]!, name).filter(([k]) => cpuOf(k) === row.cpu && (!lockrefOnly || k.includes('lockref_get_not_dead+'))).map(([, v]) => v as number);
      assert.equal(row.spinWaits, sum(mine('@cw_n')), `interval ${i} cpu ${row.cpu} spinWaits`);
      assert.equal(row.spinNs, sum(mine('@cw_ns')));
      assert.equal(row.lockrefWaits, sum(mine('@cw_n', true)));
      assert.equal(row.lockrefNs, sum(mine('@cw_ns', true)));
      assert.equal(row.lockrefMaxNs, Math.max(0, ...mine('@cw_max', true)));
      for (const k of ['prCalls', 'prRcuCalls', 'prEchild', 'unlazyNextCalls', 'unlazyNextFails', 'unlazyCalls', 'unlazyFails', 'lockrefCalls'] as const) {
        assert.equal(row[k], null, `${k} is unavailable: null, never 0`);
      }
      const p = pctFromSamples(base, i, row.cpu);
      assert.ok(Math.abs(row.sysPct! - p.sys) < 1e-9 && Math.abs(row.userPct! - p.user) < 1e-9 && Math.abs(row.idlePct! - p.idle) < 1e-9);
    }
  }
  // run totals = sums over every @cw_n / @cw_ns value in the file
  const all = raw.flat();
  const cwN = entriesOf(all, '@cw_n');
  assert.equal(cap.totals.all.spinWaits, sum(cwN.map(([, v]) => v as number)));
  assert.equal(cap.totals.all.spinNs, sum(entriesOf(all, '@cw_ns').map(([, v]) => v as number)));
  assert.ok(cwN.length > 0, 'the recording holds spinning waits');
  const lockrefWaits = sum(cwN.filter(([k]) => k.includes('lockref_get_not_dead+')).map(([, v]) => v as number));
  assert.equal(lockrefWaits > 0, lockref);
  assert.equal(cap.totals.all.lockrefWaits, lockrefWaits);
  assert.equal(cap.totals.all.lockrefMaxNs, Math.max(0, ...entriesOf(all, '@cw_max').filter(([k]) => k.includes('lockref_get_not_dead+')).map(([, v]) => v as number)));
  assert.equal(cap.totals.all.prCalls, null);
  // per-CPU totals add up to all
  for (const k of ['spinWaits', 'spinNs', 'lockrefWaits', 'lockrefNs'] as const) assert.equal(sum(cap.totals.cpus.map((r) => r[k]!)), cap.totals.all[k]);
  // the histogram (contention: @cw_hist lockref stacks) counts every lockref wait once
  assert.equal(cap.histograms.lockrefNs.strategy, 'contention');
  assert.equal(sum(cap.histograms.lockrefNs.all.map((b) => b.count)), lockrefWaits);
  // contention stacks: top by ns, frames, waits summed over CPUs and intervals
  const stacks = cap.contentionStacks!;
  assert.ok(stacks.length > 0 && stacks.length <= 50);
  for (let j = 1; j < stacks.length; j++) assert.ok(stacks[j - 1]!.ns >= stacks[j]!.ns);
  const top = stacks[0]!;
  const topWaits = sum(cwN.filter(([k]) => framesOf(k).join('\n') === top.stack.join('\n')).map(([, v]) => v as number));
  assert.equal(top.waits, topWaits);
  assert.ok(top.stack.length >= 1 && top.stack.length <= 6);
  assert.ok(stacks.some((x) => x.stack[0] === frame), `a stack from ${frame}`);
  // every frame is one symbol+offset: no newline, escape or indentation left in it, whatever the bpftrace
  for (const s of stacks) for (const f of s.stack) assert.match(f, /^[\w.]+\+\d+$/, `${base}: frame ${JSON.stringify(f)}`);
  assert.equal(stacks.length, Math.min(50, new Set(cwN.map(([k]) => framesOf(k).join('\n'))).size), 'one stack per distinct frame list (the top 50)');
  // runs: per-interval differences of the recorder's cumulative counts
  const samples = fixtureSamples(base);
  assert.equal(cap.totals.runs, sum(samples.at(-1)!.runsPerWorker));
  assert.deepEqual(cap.totals.runsPerWorker, samples.at(-1)!.runsPerWorker);
  const elapsed = samples.at(-1)!.atMs - samples[0]!.atMs;
  assert.ok(Math.abs(cap.run.elapsedMs - elapsed) < 1e-6);
  assert.ok(Math.abs(cap.totals.runsPerSec! - cap.totals.runs! / (elapsed / 1000)) < 1e-9);
  assert.equal(cap.run.attachMs, samples[0]!.atMs);
  // time-weighted %sys over the run = delta of the first and last /proc/stat samples
  const line = (t: string, c: number) => t.split('\n').find((l) => l.startsWith(`cpu${c} `))!.split(/\s+/).slice(1, 9).map(Number);
  for (const c of [0, 1]) {
    const a = line(samples[0]!.procStat, c), b = line(samples.at(-1)!.procStat, c);
    const d = b.map((v, k) => v - a[k]!);
    assert.ok(Math.abs(cap.totals.cpus[c]!.sysPct! - (d[2]! / sum(d)) * 100) < 1e-9);
  }
});

test('a map absent from an interval\'s output (no events) is 0 in that interval, not null: the 0.23 recording prints no @cw_n after its first interval', () => {
  const base = 'contention-6.18-bt0.23';
  const cap = validateCapture(toCapture(reduceAll(fixtureEvents(base, contentionMeta(base)))), base);
  const raw = rawIntervals(base);
  const absent = [...raw.keys()].filter((i) => entriesOf(raw[i]!, '@cw_n').length === 0);
  assert.deepEqual(absent, [1, 2, 3, 4, 5, 6]);
  for (const i of absent) for (const r of cap.intervals[i]!.cpus) { assert.equal(r.spinWaits, 0); assert.equal(r.spinNs, 0); }
});

test('per-CPU stand-in fixture: CPU_MAPS counters, @lr_max as max, @lr_hist, call sites', () => {
  const base = 'percpu-standin-6.18';
  const cap = validateCapture(toCapture(reduceAll(fixtureEvents(base, standinMeta()))), base);
  const raw = rawIntervals(base);
  const all = raw.flat();
  const total = (name: string) => sum(entriesOf(all, name).map(([, v]) => v as number));
  assert.equal(cap.intervals.length, raw.length);
  assert.equal(cap.totals.all.prCalls, total('@pr_calls'));
  assert.equal(cap.totals.all.prRcuCalls, total('@pr_rcu'));
  assert.equal(cap.totals.all.prEchild, total('@pr_echild'));
  assert.equal(cap.totals.all.unlazyFails, total('@ul_fails'));
  assert.equal(cap.totals.all.lockrefCalls, total('@lr_calls'));
  assert.equal(cap.totals.all.lockrefNs, total('@lr_ns'));
  assert.equal(cap.totals.all.lockrefMaxNs, Math.max(...entriesOf(all, '@lr_max').map(([, v]) => v as number)));
  for (const k of ['lockrefWaits', 'spinWaits', 'spinNs'] as const) assert.equal(cap.totals.all[k], null);
  // @lr_calls and @lr_hist count the same events
  assert.equal(cap.histograms.lockrefNs.strategy, 'direct');
  // ... nearly: print() and clear() of different maps are not one atomic step, so an event landing between
  // them shows in one map and not the other (real: 332211 hist counts vs 332212 calls in this recording)
  const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(2, b * 1e-4);
  assert.ok(near(sum(cap.histograms.lockrefNs.all.map((b) => b.count)), total('@lr_calls')));
  for (const c of cap.histograms.lockrefNs.cpus) assert.ok(near(sum(c.buckets.map((b) => b.count)), cap.totals.cpus.find((r) => r.cpu === c.cpu)!.lockrefCalls!));
  assert.deepEqual(cap.lockrefCallsites, [
    { site: 'sys_enter_openat', calls: sum(entriesOf(all, '@lr_site').filter(([k]) => k === 'sys_enter_openat').map(([, v]) => v as number)) },
    { site: 'sys_enter_newfstatat', calls: sum(entriesOf(all, '@lr_site').filter(([k]) => k === 'sys_enter_newfstatat').map(([, v]) => v as number)) },
  ]);
  assert.equal(cap.contentionStacks, undefined);
  for (const iv of cap.intervals) for (const r of iv.cpus) for (const k of COUNTER_KEYS) {
    if (['lockrefWaits', 'spinWaits', 'spinNs'].includes(k)) assert.equal(r[k], null);
    else assert.ok(Number.isInteger(r[k]) && r[k]! >= 0);
  }
});

test('lost events from the 0.17 recording add up', () => {
  const recs = fixtureLines('lost-events-6.18.head40').filter((l) => l.includes('lost_events')).map((l) => (JSON.parse(l) as { data: { events: number } }).data.events);
  const events = fixtureLines('lost-events-6.18.head40').map((l) => l.trim()).filter(Boolean);
  let s = reduceAll([{ type: 'meta', meta: contentionMeta() }]);
  for (const l of events) {
    const o = JSON.parse(l) as { type: string; data: { events: number } };
    if (o.type === 'lost_events') s = reduceAll([{ type: 'bpf', record: { kind: 'lost', events: o.data.events } }], s);
  }
  assert.equal(s.lostEvents, sum(recs));
});
