import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLine } from '../../../cli/bpftrace/ndjson-parse.js';
import type { BpfRecord } from '../../../cli/bpftrace/records.js';
import { canonicalStack, cpuKey, stackCpuKey, stackFrames, stackHolds } from '../../../cli/bpftrace/keys.js';
import { fixtureLines, fixtureRecords } from '../capture/fixture-replay.js';
import { LOCKREF_SYMBOL } from '../../../cli/facts/target-functions.js';
import { CONTENTION_MAPS, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES } from '../../../cli/script-protocol/maps.js';

const RECORDED = ['contention-6.18', 'percpu-standin-6.18', 'misc-6.18', 'lost-events-6.18.head40', 'contention-6.18-bt0.23', 'contention-6.18-bt0.27'];

function kinds(recs: BpfRecord[]): Record<string, number> {
  const k: Record<string, number> = {};
  for (const r of recs) k[r.kind === 'other' ? `other:${r.type}` : r.kind] = (k[r.kind === 'other' ? `other:${r.type}` : r.kind] ?? 0) + 1;
  return k;
}

test('recorded fixtures (0.17, 0.23, 0.27): every line parses, none is an error', () => {
  for (const base of RECORDED) {
    for (const line of fixtureLines(base)) {
      const r = parseLine(line);
      if (line.trim() === '') assert.equal(r, null);
      else assert.notEqual(r?.kind, 'error', `${base}: ${line.slice(0, 80)}`);
    }
  }
});

test('contention fixture (bpftrace 0.17, Linux 6.18): record kinds and stack,cpu keys', () => {
  const recs = fixtureRecords('contention-6.18');
  assert.deepEqual(kinds(recs), { attached: 1, printf: 8, map: 21, hist: 7 });
  assert.deepEqual(recs[0], { kind: 'attached', probes: 5 });
  const maps = recs.filter((r): r is Extract<BpfRecord, { kind: 'map' }> => r.kind === 'map');
  assert.deepEqual([...new Set(maps.map((m) => m.name))].sort(), [CONTENTION_MAPS.maxNs, CONTENTION_MAPS.waits, CONTENTION_MAPS.ns].sort());
  let lockrefKeys = 0;
  for (const m of maps) {
    for (const e of m.entries) {
      const k = stackCpuKey(e.key);
      assert.ok(k, e.key);
      assert.ok(k.cpu === 0 || k.cpu === 1);
      const frames = stackFrames(k.stack);
      assert.ok(frames.length >= 1 && frames.length <= 6, `${frames.length} frames`);
      assert.ok(Number.isInteger(e.value) && e.value > 0);
      if (stackHolds(frames, LOCKREF_SYMBOL)) lockrefKeys++;
    }
  }
  assert.ok(lockrefKeys > 0, 'the recording holds lockref_get_not_dead stacks');
  const hist = recs.find((r): r is Extract<BpfRecord, { kind: 'hist' }> => r.kind === 'hist')!;
  assert.equal(hist.name, CONTENTION_MAPS.hist);
  for (const e of hist.entries) {
    for (const b of e.buckets) {
      assert.ok(b.min <= b.max && b.count >= 0);
      // log2 buckets: [2^k, 2^(k+1)-1]
      if (b.min > 1) assert.equal(b.max, b.min * 2 - 1);
    }
  }
  const ticks = recs.filter((r) => r.kind === 'printf' && r.text.startsWith('rcuwalk-tick '));
  assert.equal(ticks.length, 7);
});

test('the contention script recorded with 0.23 and 0.27 (Linux 6.18): attached_probes with and without count, the same stack in three key spellings', () => {
  const bt23 = fixtureLines('contention-6.18-bt0.23'), bt27 = fixtureLines('contention-6.18-bt0.27');
  assert.equal(bt23[0], '{"type": "attached_probes", "data": {"probes": 5}}');
  assert.equal(bt27[0], '{"type": "attached_probes", "count": 5, "data": {"probes": 5}}');
  for (const lines of [bt23, bt27]) assert.deepEqual(parseLine(lines[0]!), { kind: 'attached', probes: 5 });
  // 0.23 still prints its exit-time empty maps as blank lines (as 0.17 does); 0.27 prints nothing after END
  assert.deepEqual([bt23.at(-3), bt23.at(-2)], ['', '']);
  assert.match(bt27.at(-2)!, /rcuwalk-tick/);
  const keysOf = (base: string) => fixtureRecords(base).flatMap((r) => (r.kind === 'map' && r.name === CONTENTION_MAPS.waits ? r.entries.map((e) => e.key) : []));
  const k23 = keysOf('contention-6.18-bt0.23'), k27 = keysOf('contention-6.18-bt0.27');
  assert.ok(k23.every((k) => k.includes('\\n        ') && !k.includes('\n')), '0.23: a backslash and an n, then 8 spaces, between frames; no newline');
  assert.ok(k27.every((k) => k.startsWith('\n') && !k.includes(' ') && !k.includes('\\')), '0.27: newlines, no spaces');
  const canon = (k: string) => canonicalStack(stackCpuKey(k)!.stack);
  const same = 'queued_read_lock_slowpath+171\n__do_wait+76\ndo_wait+101\nkernel_wait4+227\n__do_sys_wait4+184\ndo_syscall_64+113';
  assert.ok(k23.map(canon).includes(same) && k27.map(canon).includes(same), 'one stack recorded by both reads the same');
  for (const k of [...k23, ...k27]) for (const f of stackFrames(stackCpuKey(k)!.stack)) assert.match(f, /^[\w.]+\+\d+$/);
  const hist = (base: string) => fixtureRecords(base).find((r): r is Extract<BpfRecord, { kind: 'hist' }> => r.kind === 'hist')!;
  assert.deepEqual(hist('contention-6.18-bt0.27').entries[0]!.buckets, [{ min: 65536, max: 131071, count: 1 }]);
  assert.ok(hist('contention-6.18-bt0.23').entries.every((e) => e.buckets.every((b) => b.max === b.min * 2 - 1)));
});

test('per-CPU stand-in fixture: cpu keys, @lr_hist per cpu, @lr_site string keys', () => {
  const recs = fixtureRecords('percpu-standin-6.18');
  const first = recs.find((r) => r.kind === 'map' && r.name === CPU_MAPS.prCalls) as Extract<BpfRecord, { kind: 'map' }>;
  // (JSON.parse orders integer-like keys ascending, whatever order bpftrace printed them in)
  assert.deepEqual(first.entries, [{ key: '0', value: 35387 }, { key: '1', value: 32112 }]);
  assert.deepEqual(first.entries.map((e) => cpuKey(e.key)), [0, 1]);
  const h = recs.find((r) => r.kind === 'hist' && r.name === LOCKREF_HIST) as Extract<BpfRecord, { kind: 'hist' }>;
  assert.deepEqual(h.entries.map((e) => e.key).sort(), ['0', '1']);
  assert.deepEqual(h.entries.find((e) => e.key === '1')!.buckets[0], { min: 1024, max: 2047, count: 2548 });
  const site = recs.find((r) => r.kind === 'map' && r.name === LOCKREF_SITES) as Extract<BpfRecord, { kind: 'map' }>;
  assert.deepEqual(site.entries, [{ key: 'sys_enter_newfstatat', value: 33853 }, { key: 'sys_enter_openat', value: 67499 }]);
});

test('misc 0.17 records: time, keyless map, unkeyed hist/lhist, stats, two-key map, blank lines', () => {
  const lines = fixtureLines('misc-6.18');
  const recs = lines.map(parseLine);
  assert.equal(recs.filter((r) => r === null).length, lines.filter((l) => l.trim() === '').length);
  const nn = recs.filter((r): r is BpfRecord => r !== null);
  assert.deepEqual(nn[2], { kind: 'other', type: 'time' });
  assert.deepEqual(nn.find((r) => r.kind === 'map' && r.name === '@opens'), { kind: 'map', name: '@opens', entries: [{ key: '', value: 5457 }] });
  assert.deepEqual(nn.find((r) => r.kind === 'hist' && r.name === '@h'), { kind: 'hist', name: '@h', entries: [{ key: '', buckets: [{ min: 8192, max: 16383, count: 5457 }] }] });
  assert.deepEqual(nn.find((r) => r.kind === 'hist' && r.name === '@lh'), { kind: 'hist', name: '@lh', entries: [{ key: '', buckets: [{ min: 0, max: 0, count: 183 }, { min: 1, max: 1, count: 5274 }] }] });
  assert.ok(nn.some((r) => r.kind === 'other' && r.type === 'stats'));
  const two = nn.find((r) => r.kind === 'map' && r.name === '@two') as Extract<BpfRecord, { kind: 'map' }>;
  assert.deepEqual(two.entries.find((e) => e.key === 'ls,1'), { key: 'ls,1', value: 5022 });
});

test('lost events (0.17): {"type": "lost_events", "data": {"events": N}}', () => {
  const recs = fixtureRecords('lost-events-6.18.head40');
  const lost = recs.filter((r): r is Extract<BpfRecord, { kind: 'lost' }> => r.kind === 'lost');
  assert.equal(lost.length, 38);
  assert.equal(lost[0]!.events, 2061);
  assert.ok(lost.every((l) => Number.isInteger(l.events) && l.events > 0));
});

test('upstream bpftrace json-output expectations (0.24 formats)', () => {
  const recs = fixtureLines('upstream-json-output').map(parseLine).filter((r): r is BpfRecord => r !== null);
  assert.equal(recs.length, 17);
  assert.deepEqual(recs[0], { kind: 'printf', text: 'test 5' });
  assert.deepEqual(recs[1], { kind: 'attached', probes: 1 });
  assert.equal(recs[2]!.kind, 'error');
  assert.match((recs[2] as { message: string }).message, /helper_error probe_read: Bad address \(-14\) at stdin:1:37/);
  assert.deepEqual(recs[3], { kind: 'other', type: 'map' }); // a tuple value: not a counter map
  assert.deepEqual(recs[4], { kind: 'hist', name: '@', entries: [{ key: '2', buckets: [{ min: 16, max: 31, count: 1 }] }, { key: '3', buckets: [{ min: 16, max: 31, count: 1 }] }] });
  assert.deepEqual(recs[5], { kind: 'other', type: 'value' });
  assert.deepEqual(recs[6], { kind: 'other', type: 'stats' });
  assert.deepEqual(recs[7], { kind: 'map', name: '@', entries: [{ key: '', value: 50 }] });
  const hist = recs[8] as Extract<BpfRecord, { kind: 'hist' }>;
  assert.equal(hist.entries[0]!.buckets.length, 10);
  assert.deepEqual(hist.entries[0]!.buckets.at(-1), { min: 1024, max: 2047, count: 1 });
  // hist_multiple: curl's first bucket {"max": -1} (negative values) is dropped; [0] and [1] kept
  const multi = recs[9] as Extract<BpfRecord, { kind: 'hist' }>;
  const curl = multi.entries.find((e) => e.key === 'curl')!.buckets;
  assert.equal(curl.length, 12);
  assert.deepEqual(curl.slice(0, 2), [{ min: 0, max: 0, count: 1 }, { min: 1, max: 1, count: 0 }]);
  assert.deepEqual((recs[10] as Extract<BpfRecord, { kind: 'hist' }>).entries.map((e) => e.key), ['bpftrace,2', 'curl,3']);
  // lhist: the overflow bucket {"min": 100} has no max
  const lh = (recs[11] as Extract<BpfRecord, { kind: 'hist' }>).entries[0]!.buckets;
  assert.deepEqual(lh.at(-1), { min: 100, max: Number.MAX_SAFE_INTEGER, count: 1 });
  assert.deepEqual(recs[12], { kind: 'map', name: '@complex', entries: [{ key: 'bpftrace,2', value: 5 }] });
  assert.deepEqual(recs[13], { kind: 'hist', name: '@hist', entries: [{ key: '', buckets: [] }] });
  assert.deepEqual(recs[14], { kind: 'other', type: 'stats' });
  assert.deepEqual(recs[15], { kind: 'map', name: '@map1', entries: [{ key: 'key1', value: 2 }] });
});

// Formats from bpftrace's src/output/json.cpp (not a stored test expectation): written here by hand from the code.
test('0.24 source formats: count-only attached/lost, big integers as strings, tuple keys without spaces', () => {
  assert.deepEqual(parseLine('{"type":"attached_probes", "count":3}'), { kind: 'attached', probes: 3 });
  assert.deepEqual(parseLine('{"type":"lost_events", "count":7}'), { kind: 'lost', events: 7 });
  assert.deepEqual(parseLine('{"type": "lost_events", "count": 7, "data": {"events": 7}}'), { kind: 'lost', events: 7 });
  assert.deepEqual(parseLine('{"type": "map", "data": {"@m": {"0": "18446744073709551615"}}}'), { kind: 'map', name: '@m', entries: [{ key: '0', value: 18446744073709551615 }] });
  assert.deepEqual(parseLine('{"type": "runtime_error", "msg": "map full", "filename": "x.bt", "line": 3, "col": 5}'), { kind: 'error', message: 'runtime_error: map full at x.bt:3:5' });
  // one stack, as 0.17 and as 0.24 print a [kstack, cpu] key
  const k17 = '\n    __pv_queued_spin_lock_slowpath+270\n    _raw_spin_lock+59\n    lockref_get_not_dead+93\n,0';
  const k24 = '\n__pv_queued_spin_lock_slowpath+270\n_raw_spin_lock+59\nlockref_get_not_dead+93\n,0';
  const a = stackCpuKey(k17)!, b = stackCpuKey(k24)!;
  assert.equal(a.cpu, 0);
  assert.equal(canonicalStack(a.stack), canonicalStack(b.stack));
  assert.ok(stackHolds(stackFrames(b.stack), LOCKREF_SYMBOL));
  assert.ok(!stackHolds(['lockref_get_not_dead_x+1'], LOCKREF_SYMBOL));
  assert.ok(stackHolds(['lockref_get_not_dead+0x5d/0x90'], LOCKREF_SYMBOL));
});

test('garbage: never throws; text -> other, ERROR lines and cut records -> error', () => {
  assert.equal(parseLine(''), null);
  assert.equal(parseLine('   \t'), null);
  assert.deepEqual(parseLine('Attaching 3 probes...'), { kind: 'other', type: 'text' });
  assert.equal(parseLine('ERROR: Could not resolve symbol: foo')?.kind, 'error');
  assert.equal(parseLine('script.bt:3:1-10: ERROR: syntax error')?.kind, 'error');
  assert.equal(parseLine('{"type": "map", "data": {"@cw_n": {"\\n  f+1\\n,0": 3')?.kind, 'error');
  assert.deepEqual(parseLine('[1,2]'), { kind: 'other', type: 'json' });
  assert.deepEqual(parseLine('{"data": 1}'), { kind: 'other', type: 'unknown' });
  assert.deepEqual(parseLine('{"type": "map", "data": 5}'), { kind: 'other', type: 'map' });
  assert.deepEqual(parseLine('{"type": "hist", "data": {"@h": 5}}'), { kind: 'other', type: 'hist' });
  assert.deepEqual(parseLine('{"type": "printf", "data": 5}'), { kind: 'other', type: 'printf' });
  assert.deepEqual(parseLine('{"type": "map", "data": {"@m": {}}}'), { kind: 'map', name: '@m', entries: [] });
  fc.assert(fc.property(fc.string(), (s) => { parseLine(s); }), { numRuns: 2000 });
  fc.assert(fc.property(fc.jsonValue(), fc.constantFrom('map', 'hist', 'printf', 'lost_events', 'attached_probes', 'helper_error', 'x'), (data, type) => {
    parseLine(JSON.stringify({ type, data }));
    parseLine(JSON.stringify({ type, data: { '@m': data } }));
  }), { numRuns: 2000 });
});

test('the two generations of a printed map (@name_0, @name_1) parse as the base name; other names stay', () => {
  const rec = (o: unknown) => parseLine(JSON.stringify(o)) as Extract<BpfRecord, { kind: 'map' | 'hist' }>;
  assert.deepEqual(rec({ type: 'map', data: { [`${CONTENTION_MAPS.waits}_1`]: { 'x,0': 2 } } }), { kind: 'map', name: CONTENTION_MAPS.waits, entries: [{ key: 'x,0', value: 2 }] });
  assert.equal(rec({ type: 'map', data: { [`${CPU_MAPS.prCalls}_0`]: { 0: 1 } } }).name, CPU_MAPS.prCalls);
  assert.equal(rec({ type: 'map', data: { [`${LOCKREF_SITES}_0`]: { 'f+1': 1 } } }).name, LOCKREF_SITES);
  const h = rec({ type: 'hist', data: { [`${LOCKREF_HIST}_1`]: { 0: [{ min: 1, max: 1, count: 4 }] } } });
  assert.equal(h.kind, 'hist');
  assert.equal(h.name, LOCKREF_HIST);
  assert.equal(rec({ type: 'map', data: { [CPU_MAPS.prCalls]: { 0: 1 } } }).name, CPU_MAPS.prCalls, 'recordings name the base map');
  assert.equal(rec({ type: 'map', data: { '@opens_1': 5 } }).name, '@opens_1', 'not an rcuwalk map');
  assert.equal(rec({ type: 'map', data: { '@cw_ts_0': { 1: 5 } } }).name, '@cw_ts_0', 'temporaries have no generations');
  assert.equal(rec({ type: 'map', data: { '@rw_gen': 1 } }).name, '@rw_gen');
});
