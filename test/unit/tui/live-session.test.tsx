// LiveSession against a fake engine handle on an ink-testing-library host: redraws on intervals, q stops the engine and
// exits with a code, a start error (UserError) is shown with its next step.
import '../../helpers/ink-as-terminal.js'; // first: ink loaded as on a terminal, also under CI=true
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, isVisibleChange } from '../../../cli/tui/live-session.js';
import { startSession } from '../../helpers/tui.js';
import type { CaptureHandle, CaptureResult } from '../../../cli/capture/engine-api.js';
import type { CaptureEvent } from '../../../cli/state/events.js';
import type { CaptureState } from '../../../cli/state/state.js';
import { initialState, reduce } from '../../../cli/state/reducer.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';
import { fixtureEvents } from './fixture-state.js';

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** A handle replaying recorded events on demand; stop() ends the run like the engine (end event, done resolves). */
function fakeHandle(events: CaptureEvent[]) {
  let state: CaptureState = initialState();
  const listeners = new Set<(s: CaptureState) => void>();
  let resolve!: (r: CaptureResult) => void, reject!: (e: unknown) => void;
  const done = new Promise<CaptureResult>((a, b) => { resolve = a; reject = b; });
  let i = 0;
  let stops = 0;
  const emit = (e: CaptureEvent) => { state = reduce(state, e); for (const l of listeners) l(state); };
  const finish = (reason: 'duration' | 'interrupted') => {
    emit({ type: 'end', atMs: 9000, endedAt: new Date().toISOString(), reason, error: null });
    resolve({ capture: toCapture(state), outPath: reason === 'duration' ? '/tmp/x.json' : null, intervalCount: state.intervalCount });
  };
  const handle: CaptureHandle = {
    getState: () => state,
    subscribe: (l) => { listeners.add(l); return () => { listeners.delete(l); }; },
    stop: () => { stops++; setTimeout(() => finish('interrupted'), 5); },
    done,
  };
  return {
    handle,
    /** feed events up to and including the next tick */
    step() { while (i < events.length) { const e = events[i++]!; emit(e); if (e.type === 'tick') return true; } return false; },
    finish,
    fail: (e: unknown) => reject(e),
    stops: () => stops,
  };
}

async function until(f: () => string, re: RegExp, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(f()) && Date.now() < end) await tick(10);
  assert.match(f(), re);
}

test('isVisibleChange ignores pending records, sees ticks and phases', () => {
  const all = fixtureEvents('contention-6.18');
  const ev = all.slice(0, all.findIndex((e) => e.type === 'tick') + 1);
  let s = initialState();
  const seen: boolean[] = [];
  for (const e of ev) { const before = s.intervals.length; const n = reduce(s, e); seen.push(isVisibleChange(s, n, before)); s = n; }
  const kinds = ev.map((e) => e.type);
  for (const [k, e] of kinds.entries()) if (e === 'bpf') assert.equal(seen[k], false, 'a bpf record alone does not re-render');
  assert.ok(seen[kinds.indexOf('tick')], 'a tick does');
  assert.ok(seen[kinds.indexOf('meta')]);
});

test('exit codes: q after a run 0, Ctrl-C 130, failed run 6', () => {
  const cap = (endReason: 'duration' | 'interrupted' | 'error') => ({ capture: { run: { endReason } }, outPath: null }) as unknown as CaptureResult;
  assert.equal(exitCodeFor(cap('duration'), 'q'), EXIT.ok);
  assert.equal(exitCodeFor(cap('interrupted'), 'q'), EXIT.ok);
  assert.equal(exitCodeFor(cap('interrupted'), 'ctrl-c'), EXIT.interrupted);
  assert.equal(exitCodeFor(cap('interrupted'), 'signal'), EXIT.interrupted);
  assert.equal(exitCodeFor(cap('error'), 'q'), EXIT.commandFailed);
});

test('live: intervals appear as the engine reduces them; q stops the engine and exits after done', async () => {
  const f = fakeHandle(fixtureEvents('contention-6.18'));
  const r = startSession({ handle: f.handle, color: false, clockEveryMs: 20 });
  await until(r.text, /resolving probes/);
  f.step();
  await until(r.text, /running/);
  await until(r.text, /1s\/6s|0s\/6s|2s\/6s/);
  f.step(); f.step();
  await until(r.text, /^[ >]0\s+\d/m);
  r.type('q');
  await until(r.text, /stopping/);
  await until(() => String(r.code()), /^0$/);
  assert.equal(f.stops(), 1);
  assert.ok(r.finished(), 'the terminal is released');
});

test('live: after the planned duration the final screen stays until q', async () => {
  const f = fakeHandle(fixtureEvents('contention-6.18'));
  const r = startSession({ handle: f.handle, color: false });
  while (f.step()) { /* all intervals */ }
  f.finish('duration');
  await until(r.text, /finished: capture saved to \/tmp\/x\.json; q quits/);
  assert.equal(r.code(), null);
  r.type('q');
  await until(() => String(r.code()), /^0$/);
  assert.equal(f.stops(), 0, 'nothing to stop');
});

test('live: a start error is shown with the next step and its exit code', async () => {
  const f = fakeHandle([]);
  const r = startSession({ handle: f.handle, color: false });
  f.fail(new UserError('rcuwalk needs root: bpftrace attaches kernel probes', 'run it as root (sudo rcuwalk)', EXIT.privilege));
  await until(r.text, /next: run it as root/);
  assert.match(r.text(), /needs root/);
  await until(() => String(r.code()), /^3$/);
});

test('live: a signal asks to stop like Ctrl-C (exit 130)', async () => {
  const f = fakeHandle(fixtureEvents('contention-6.18'));
  const r = startSession({ handle: f.handle, color: false });
  f.step(); f.step();
  await tick(20);
  r.session.requestStop('signal');
  await until(() => String(r.code()), /^130$/);
  assert.equal(f.stops(), 1);
});

test('live: many engine updates in one turn of the event loop draw one frame', async () => {
  const f = fakeHandle(fixtureEvents('contention-6.18'));
  const r = startSession({ handle: f.handle, color: false });
  await tick(20);
  const before = r.frames();
  f.step(); f.step(); f.step();
  await tick(20);
  assert.equal(r.frames() - before, 1, 'three ticks, one frame');
  r.session.requestStop('signal');
  await until(() => String(r.code()), /^130$/);
});
