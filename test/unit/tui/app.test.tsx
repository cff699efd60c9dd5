// The live UI (App, ink-testing-library) on constructed and recorded states: empty, one CPU, 128 CPUs, baselines,
// unavailable targets, narrow terminals, NO_COLOR, and the keys.
import '../../helpers/ink-as-terminal.js'; // first: ink loaded as on a terminal, also under CI=true
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppProps } from '../../../cli/tui/app.js';
import { mountApp, plain, type Mounted } from '../../helpers/tui.js';
import type { UiState } from '../../../cli/tui/view-model/ui-state.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import type { CaptureState } from '../../../cli/state/state.js';
import { emptyState, runningState, stateFromCapture } from './states.js';
import { vmCapture, vmFixtureExists } from '../compare/vm-replay.js';
import { fixtureState } from './fixture-state.js';

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const KEY = { tab: '\t', shiftTab: '\u001B[Z', down: '\u001B[B', up: '\u001B[A', pgDn: '\u001B[6~', pgUp: '\u001B[5~', enter: '\r', ctrlC: '\u0003' };
const mounted: Mounted[] = [];
function mount(p: Partial<AppProps> & { state: CaptureState; width?: number; height?: number; initial?: Partial<UiState> }): Mounted {
  const r = mountApp({ width: 100, height: 40, color: false, ...p });
  mounted.push(r);
  return r;
}
afterEach(() => { for (const r of mounted.splice(0)) r.unmount(); });

/** Polls until the frame matches. */
async function until(r: { text: () => string }, re: RegExp, ms = 8000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (re.test(r.text())) return r.text();
    await tick(10);
  }
  assert.match(r.text(), re);
  return r.text();
}

/** Writes a key once input is being listened to, then waits for `re`. */
async function press(r: { stdin: { write(s: string): void }; text: () => string }, key: string, re: RegExp): Promise<string> {
  await tick(20);
  r.stdin.write(key);
  return until(r, re);
}

test('empty state (no meta, no intervals) renders without crashing', () => {
  const r = mount({ state: emptyState() });
  assert.match(r.text(), /resolving probes/);
  assert.match(r.text(), /runs\/s - now - all/);
});

test('meta but no interval yet: waiting line, strategies shown', () => {
  const s = { ...runningState({ cpus: 2, intervals: 0, kind: 'contention' }) };
  const r = mount({ state: s });
  assert.match(r.text(), /waiting for the first interval \(1\.0s\)/);
  assert.match(r.text(), /lockref=contention/);
  assert.match(r.text(), /prv=n\/a/);
});

test('ended before the first interval: says so instead of waiting', () => {
  const s = { ...runningState({ cpus: 2, intervals: 0 }), phase: 'done' as const, end: { atMs: 900, endedAt: '2026-11-25T15:00:01.000Z', reason: 'interrupted' as const, error: null } };
  const r = mount({ state: s });
  assert.match(r.text(), /no interval was measured \(ended: interrupted\)/);
});

test("bpftrace's errors and lost events show in the header; none: nothing said", () => {
  const clean = mount({ state: runningState({ cpus: 1, intervals: 3 }) });
  assert.doesNotMatch(clean.text(), /bpftrace: \d/);
  const r = mount({ state: { ...runningState({ cpus: 1, intervals: 3 }), bpfErrors: 3, lostEvents: 12 }, width: 140 });
  assert.match(r.text(), /bpftrace: 3 errors, 12 events lost/);
});

test('one CPU: a row with its numbers', () => {
  const r = mount({ state: runningState({ cpus: 1, intervals: 3 }) });
  const rows = r.text().split('\n').filter((l) => /^[ >]0\s/.test(l));
  assert.equal(rows.length, 1);
  assert.match(rows[0]!, /\d+\.\d\s+\d/);
});

test('recorded contention run (6.18): unavailable metrics are -, never 0', () => {
  const r = mount({ state: fixtureState('contention-6.18') });
  const t = r.text();
  assert.match(t, /kernel 6\.18\.0/);
  assert.match(t, /bpftrace 0\.17\.0/);
  const row0 = t.split('\n').find((l) => /^[ >]0\s/.test(l))!;
  assert.ok(row0, t);
  // ECHILD/s column (pid_revalidate unavailable here) shows '-'
  const hdr = t.split('\n').find((l) => l.startsWith(' CPU'))!;
  const at = hdr.indexOf('ECHILD/s');
  assert.ok(at > 0);
  assert.equal(row0.slice(at, at + 8).trim(), '-');
});

test('128 CPUs: fits the height, scrolls with j/PgDn, summary lines per CPU group', async () => {
  const r = mount({ state: runningState({ cpus: 128, intervals: 5 }), height: 40 });
  let lines = r.text().split('\n');
  assert.ok(lines.length <= 39, `frame is ${lines.length} lines`);
  assert.match(r.text(), /^ 0-15\s/m);
  assert.match(r.text(), /↓ \d+ more/);
  assert.ok(!/^[ >]127\s/m.test(r.text()));
  await press(r, KEY.pgDn, /↑ \d+ more/);
  await press(r, 'G', /^[ >]127\s/m);
  lines = r.text().split('\n');
  assert.ok(lines.length <= 39);
  await press(r, KEY.up, /^>126\s/m);
  r.stdin.write('g');
  const end = Date.now() + 8000;
  while (/^ 0-15\s/m.test(r.text()) && Date.now() < end) await tick(10);
  assert.ok(!/^ 0-15\s/m.test(r.text()), 'g hides the group lines');
});

test('two NUMA nodes: one summary line per node', () => {
  const r = mount({ state: runningState({ cpus: 128, intervals: 2, numaNodes: 2 }) });
  assert.match(r.text(), /^ node0\s/m);
  assert.match(r.text(), /^ node1\s/m);
});

test('baseline with the same CPUs: each number carries a delta; header shows ratios', () => {
  const base = toCapture(runningState({ cpus: 4, intervals: 5, load: 0.5 }));
  const r = mount({ state: runningState({ cpus: 4, intervals: 5 }), baseline: base, baselineLabel: 'before.json', width: 140 });
  const t = r.text();
  assert.match(t, /vs before\.json/);
  assert.match(t, /runs\/s .* x\d\.\d\d/);
  const row = t.split('\n').find((l) => /^[ >]1\s/.test(l))!;
  assert.match(row, /\+\d+%|\dx/);
});

test('baseline deltas are coloured by direction (worse red, better green)', () => {
  const base = toCapture(runningState({ cpus: 2, intervals: 3, load: 0.5 }));
  const r = mount({ state: runningState({ cpus: 2, intervals: 3 }), baseline: base, width: 140, height: 30, color: true });
  const f = r.lastFrame();
  assert.ok(f.includes('\u001B[31m'), 'a worse (red) delta');
});

test('baseline with another CPU count: totals compared, per-CPU deltas said not to apply', () => {
  const base = toCapture(runningState({ cpus: 8, intervals: 3 }));
  const r = mount({ state: runningState({ cpus: 2, intervals: 3 }), baseline: base });
  assert.match(r.text(), /baseline has 8 CPUs, this host 2: per-CPU deltas don't apply/);
  assert.match(r.text(), /x\d\.\d\d/);
  assert.match(r.text(), /^ all\s+\d+\.\d (\+|-)\d+%/m, 'the all-CPU totals carry deltas');
  const row0 = r.text().split('\n').find((l) => /^[ >]0\s/.test(l))!;
  assert.ok(!/[+-]\d+%|\dx\b/.test(row0), `no per-CPU delta: ${row0}`);
});

test('narrow terminal: no line wider than the terminal; NO_COLOR: no escapes', () => {
  for (const width of [60, 80]) {
    const r = mount({ state: fixtureState('percpu-standin-6.18'), width, height: 24, color: false });
    const f = r.lastFrame();
    assert.ok(!/\u001B\[(3\d|9\d|4\d)m/.test(f), 'no colour codes with color=false');
    for (const l of plain(f).split('\n')) assert.ok([...l].length <= width, `${width}: '${l}' is ${[...l].length}`);
  }
});

test('keys: s sorts, b filters busy CPUs, a switches span, tab switches view, ? help, r reasons', async () => {
  const r = mount({ state: runningState({ cpus: 8, intervals: 3, idleCpus: [3] }) });
  await press(r, 's', /sort:%sys/);
  const t = await press(r, 'b', /sort:%sys busy/);
  assert.ok(!/^[ >]3\s/m.test(t), 'the idle CPU is filtered out');
  await press(r, 'a', / run /);
  await press(r, KEY.tab, /duration .* in ns, all CPUs/);
  await press(r, KEY.tab, /#\s+t\s+runs\/s/);
  await press(r, KEY.tab, /pid_revalidate: direct kprobe pid_revalidate/);
  await press(r, KEY.shiftTab, /#\s+t\s+runs\/s/);
  await press(r, '?', /cycle the sort column/);
  await press(r, '?', /#\s+t\s+runs\/s/);
  await press(r, 'r', /lockref: direct/);
});

test('enter on a CPU opens its histogram; left/right step through CPUs', async () => {
  const r = mount({ state: fixtureState('percpu-standin-6.18') });
  await press(r, 'j', /^>1\s/m);
  const t = await press(r, KEY.enter, /in ns, CPU 1/);
  assert.match(t, /\[\d+K?, \d+K?\)\s+\d+ \|@+/);
  await press(r, 'l', /in ns, all CPUs/);
  await press(r, 'h', /in ns, CPU 1/);
});

test('p pauses the display: a newer state is not shown until p again', async () => {
  const s1 = runningState({ cpus: 2, intervals: 2 });
  const r = mount({ state: s1 });
  await press(r, 'p', /PAUSED/);
  const s2 = runningState({ cpus: 2, intervals: 9 });
  r.rerender({ color: false, state: s2 });
  await tick();
  assert.match(r.text(), /2s\/30s/);
  await press(r, 'p', /9s\/30s/);
  assert.ok(!/PAUSED/.test(r.text()));
});

test('q and Ctrl-C call onQuit; a start error shows the next step', async () => {
  const calls: string[] = [];
  const r = mount({ state: runningState({ cpus: 2, intervals: 1 }), onQuit: (h) => calls.push(h) });
  await press(r, 'q', /stopping/);
  r.stdin.write(KEY.ctrlC); await tick(50);
  assert.deepEqual(calls, ['q', 'ctrl-c']);
  const e = mount({ state: emptyState(), error: ['rcuwalk: rcuwalk needs root (CAP_BPF and CAP_PERFMON)', '  next: run it with sudo'] });
  assert.match(e.text(), /needs root/);
  assert.match(e.text(), /next: run it with sudo/);
  assert.ok(!/at .*\.js:\d+/.test(e.text()), 'no stack trace');
});

const vmMissing = ['5.10.0-46-amd64', '6.1.0-56-amd64'].filter((r) => !vmFixtureExists(r));
test('recorded qemu runs: 6.1 (after the fix) against a 5.10 baseline shows ECHILD/s -100%, in green', { skip: vmMissing.length ? `no recorded qemu run for ${vmMissing.join(', ')} in test/fixtures/vm` : false }, async () => {
  const before = vmCapture('5.10.0-46-amd64');
  const after = vmCapture('6.1.0-56-amd64');
  const r = mount({ state: stateFromCapture(after), baseline: before, baselineLabel: '5.10.json', width: 140 });
  const t = r.text();
  assert.match(t, /kernel 6\.1\.0-56-amd64/);
  assert.match(t, /prv=direct .*lockref=callsite/);
  const hdr = t.split('\n').find((l) => l.startsWith(' CPU'))!;
  const at = hdr.indexOf('ECHILD/s');
  for (const cpu of [0, 1]) {
    const row = t.split('\n').find((l) => new RegExp(`^[ >]${cpu}\\s`).test(l))!;
    assert.match(row.slice(at - 6, at + 14), /0\.0 -100%/, row);
  }
  const c = mount({ state: stateFromCapture(after), baseline: before, width: 140, height: 30, color: true });
  assert.ok(c.lastFrame().includes('\u001B[32m-100%'), 'fewer fallbacks is better: green');
});
