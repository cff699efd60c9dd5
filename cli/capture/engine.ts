// The capture engine: prepare probes, start ballast and bpftrace, confirm attach, run the workload,
// feed every record through the reducer, and on every exit path stop what it started and keep what it measured.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseLine } from '../bpftrace/ndjson-parse.js';
import { plainIntervalLine } from '../format/plain-lines.js';
import { rtWaits } from '../metrics/catalogue.js';
import { CommandError, UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { fullGc } from '../full-gc.js';
import { READY_LINE, TICK_PREFIX } from '../script-protocol/markers.js';
import type { Interval } from '../schema/types.generated.js';
import type { CaptureEvent, CpuTimes } from '../state/events.js';
import { parseProcStat } from '../state/proc-stat.js';
import { initialState, reduce } from '../state/reducer.js';
import { spawnBpftrace, type BpftraceProcess } from '../system/bpftrace-process.js';
import { stallAfterMs, watchForStall, type StallWatch } from './stall-watch.js';
import { startBallast, startWorkers, type Ballast, type Workers } from '../system/workload-process.js';
import type { CaptureHandle, CaptureOptions, CaptureResult } from './engine-api.js';
import { finishCapture } from './finish.js';
import { prepareCapture, type Prepared } from './prepare.js';
import { createStore, type Store } from './store.js';
import { journalRun, openJournal, type Journal } from './journal.js';
import { checkOutputPath } from './output-path.js';
import { expectedKprobes, missingKprobes, usesKprobes } from './confirm-attach.js';
import { assertPrivileged } from './privilege.js';

const ATTACH_TIMEOUT_MS = 180_000;

export function startCapture(opts: CaptureOptions): CaptureHandle {
  const store = createStore(initialState(), reduce);
  const stopper = new AbortController();
  opts.signal?.addEventListener('abort', () => stopper.abort(), { once: true });
  const done = runCapture(opts, store, stopper.signal);
  return { getState: store.get, subscribe: store.subscribe, stop: () => stopper.abort(), done };
}

function readCpuTimes(): CpuTimes[] {
  return parseProcStat(readFileSync('/proc/stat', 'utf8'));
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<'stop'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('stop');
    else signal.addEventListener('abort', () => resolve('stop'), { once: true });
  });
}

async function runCapture(opts: CaptureOptions, store: Store, stop: AbortSignal): Promise<CaptureResult> {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const log = opts.log ?? (() => {});
  const startedAt = new Date().toISOString();
  store.dispatch({ type: 'phase', phase: 'resolving' });
  // Refuse what can be refused before anything is started: missing privileges, a bad output path.
  assertPrivileged();
  const outPath = opts.out === null ? null : checkOutputPath(opts.out, opts.force);
  const prep: Prepared = await prepareCapture(opts);
  // stopped while resolving: start nothing (no ballast, no bpftrace) just to stop it again
  if (stop.aborted) throw new UserError('interrupted before any probe was attached: nothing was measured', 'run the capture again', EXIT.interrupted);
  store.dispatch({ type: 'meta', meta: { ...prep.meta, startedAt } });
  for (const line of prep.notes) log(line);

  const journal: Journal | null = outPath ? openJournal(`${outPath}.journal`, store.get().meta!, { onError: log }) : null;
  // the state keeps only the latest intervals: every one goes to the journal, or (no file) here if the caller wants them all
  const kept: Interval[] | null = journal === null && opts.resultIntervals !== 'recent' ? [] : null;
  let ballast: Ballast | null = null;
  let workers: Workers | null = null;
  let bpf: BpftraceProcess | null = null;
  let endReason: 'duration' | 'interrupted' | 'error' | 'workload-exited' = 'duration';
  let error: string | null = null;
  const { settings } = opts;
  const plannedTicks = Math.max(1, Math.round(settings.durationMs / settings.intervalMs));
  let ticks = 0;
  let stall: StallWatch | null = null;
  let complete = false;
  let attachedProbes = -1;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => { onReady = r; });
  let onPlanned: () => void = () => {};
  const planned = new Promise<'planned'>((r) => { onPlanned = () => r('planned'); });

  const dispatch = (e: CaptureEvent) => store.dispatch(e);
  const onLine = (line: string) => {
    if (complete) return; // the planned intervals are in: what END prints after them is not part of the run
    const record = parseLine(line);
    if (record === null) return;
    opts.onRecord?.(record);
    if (record.kind === 'attached') { attachedProbes = record.probes; return; }
    if (record.kind === 'printf') {
      if (record.text.trim() === READY_LINE) { onReady(); return; }
      if (record.text.startsWith(TICK_PREFIX)) {
        if (store.get().attachMs === null) return; // a tick before the run started
        dispatch({ type: 'tick', atMs: now(), cpuTimes: readCpuTimes(), runsPerWorker: workers ? workers.takeRuns() : null });
        const s = store.get();
        const last = s.intervals[s.intervals.length - 1];
        if (last && journal) journal.append(last, journalRun(store.get()));
        else if (last) kept?.push(last);
        ticks += 1;
        stall?.tick();
        if (ticks >= plannedTicks) { complete = true; onPlanned(); }
        if (last && opts.intervalLines !== false) log(plainIntervalLine(last, { durationMs: settings.durationMs, lostEvents: store.get().lostEvents, rt: rtWaits(store.get().meta) }));
        return;
      }
    }
    dispatch({ type: 'bpf', record });
  };

  try {
    if (settings.ballast > 0) {
      log(`starting ${settings.ballast} idle ballast processes`);
      ballast = await startBallast(settings.ballast);
    }
    store.dispatch({ type: 'phase', phase: 'attaching' });
    log(`attaching ${prep.expectedProbes} probes with bpftrace ${prep.meta.bpftrace.version}`);
    bpf = spawnBpftrace({ bin: prep.meta.bpftrace.path, script: prep.script, onLine });
    // reading /proc/kallsyms and BTF left ~20 MB of garbage that V8 kept until a major GC minutes into the capture
    // (RSS 83 MB for the first minutes, then 61 MB): collected while bpftrace compiles, it costs no time of the run
    fullGc();
    const early = await Promise.race([
      ready.then(() => 'ready' as const),
      bpf.exited.then(() => 'exited' as const),
      aborted(stop),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ATTACH_TIMEOUT_MS).unref()),
    ]);
    if (early === 'exited' || early === 'timeout') {
      const tail = early === 'exited' ? (await bpf.exited).stderr : bpf.stderrTail();
      throw new CommandError(early === 'exited' ? 'bpftrace exited before the probes were attached' : `bpftrace did not attach its probes within ${ATTACH_TIMEOUT_MS / 1000}s`, `bpftrace -f json -e '<script: rcuwalk probes --print>'`, tail);
    }
    if (early === 'stop') {
      endReason = 'interrupted';
    } else {
      if (attachedProbes !== prep.expectedProbes) {
        throw new CommandError(`bpftrace attached ${attachedProbes} probes, expected ${prep.expectedProbes}`, 'bpftrace -f json -e <script>', bpf.stderrTail());
      }
      if (usesKprobes(prep.meta.resolution) && prep.facts.tracefs.debugfs) {
        const list = readFileSync(`${prep.facts.tracefs.debugfs}/kprobes/list`, 'utf8');
        const missing = missingKprobes(list, expectedKprobes(prep.script));
        if (missing.length) throw new CommandError(`bpftrace said it attached, but the kernel's kprobes/list lacks: ${missing.join(', ')}`, 'cat /sys/kernel/debug/kprobes/list', bpf.stderrTail());
      }
      const atMs = now();
      dispatch({ type: 'attached', atMs, probes: attachedProbes, cpuTimes: readCpuTimes() });
      log(`probes attached after ${(atMs / 1000).toFixed(2)}s`);
      if (settings.workload !== 'none') {
        workers = startWorkers({ kind: settings.workload, parallel: settings.parallel, command: settings.command ?? undefined });
        log(`workload: ${settings.parallel} x ${settings.workload === 'ps' ? "'TZ=/etc/localtime ps -fe'" : 'your command'}${settings.ballast ? `, ${settings.ballast} idle processes` : ''}`);
      }
      store.dispatch({ type: 'phase', phase: 'running' });
      stall = watchForStall(stallAfterMs(settings.intervalMs));
      const workload = workers ? [workers.exited.then(() => 'workers-exited' as const), workers.failed.then(() => 'workers-failed' as const)] : [];
      const why = await Promise.race([planned, aborted(stop), bpf.exited.then(() => 'bpf-exited' as const), ...workload, stall.late]);
      stall.stop();
      if (why === 'stop') endReason = 'interrupted';
      else if (why === 'bpf-exited') { endReason = 'error'; error = `bpftrace exited during the run: ${(await bpf.exited).stderr.trim().split('\n').slice(-3).join(' | ')}`; }
      else if (why === 'workers-exited') { endReason = 'workload-exited'; error = `the workload exited: ${(await workers!.exited).stderr.trim().split('\n').slice(-3).join(' | ')}`; }
      else if (why === 'workers-failed') { endReason = 'error'; error = (await workers!.failed).message; }
      else if (why === 'late') { endReason = 'error'; error = `bpftrace stopped printing intervals (${ticks} of ${plannedTicks} arrived)`; }
    }
  } catch (err) {
    stall?.stop();
    endReason = 'error';
    error = err instanceof Error ? err.message : String(err);
    if (store.get().attachMs === null) {
      // nothing was measured: clean up and report the failure itself
      await cleanup();
      journal?.remove();
      throw err;
    }
  }
  await cleanup();
  store.dispatch({ type: 'end', atMs: now(), endedAt: new Date().toISOString(), reason: endReason, error });
  return finishCapture({ state: store.get(), outPath, force: opts.force, journal, kept, trial: opts.trial, resultIntervals: opts.resultIntervals, log });

  async function cleanup(): Promise<void> {
    store.dispatch({ type: 'phase', phase: 'stopping' });
    // workload first, so the last interval END prints is not a burst of teardown; then bpftrace (SIGINT: END prints the rest).
    await Promise.allSettled([workers?.stop(), ballast?.stop()]);
    if (bpf) await bpf.stop();
  }
}
