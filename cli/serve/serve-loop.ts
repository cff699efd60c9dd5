// The serve loop: the capture engine (same resolver, scripts and reducer as `capture`) run without end, without a
// journal or a file; when bpftrace exits or stalls it is started again with backoff and its stderr logged. What
// each ended run counted is folded into running totals, so exported counters never go back.
import { startCapture } from '../capture/engine.js';
import type { CaptureHandle } from '../capture/engine-api.js';
import type { LockrefStrategyChoice } from '../probes/resolve.js';
import { describeError, UserError } from '../errors.js';
import type { Interval, Settings } from '../schema/types.generated.js';
import type { ExporterStatus } from './exposition.js';
import { addTotals, emptyTotals, totalsOfState, type Totals } from './running-totals.js';

/** "Forever" for the engine's planned duration: ten years. */
const FOREVER_MS = 10 * 365 * 24 * 3600 * 1000;

export interface ServeLoopOptions {
  settings: Omit<Settings, 'durationMs'>;
  lockrefStrategy: LockrefStrategyChoice;
  log: (line: string) => void;
  /** every closed interval, with the unix time (ms) it became visible to scrapes */
  onInterval?: (interval: Interval, atUnixMs: number) => void;
  backoffMs?: { first: number; max: number };
  /** a run that lasted this long resets the backoff */
  healthyRunMs?: number;
}

export interface ServeLoop {
  totals(): Totals;
  status(): ExporterStatus;
  /** bumped whenever totals() or status() changes */
  version(): number;
  ready(): boolean;
  stop(): void;
  /** resolves once stopped and bpftrace is gone; rejects when the first start fails for a reason the user must fix */
  done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function startServeLoop(opts: ServeLoopOptions): ServeLoop {
  const stopper = new AbortController();
  const { first, max } = opts.backoffMs ?? { first: 1000, max: 60_000 };
  const healthyRunMs = opts.healthyRunMs ?? 60_000;
  let base = emptyTotals();
  let current: CaptureHandle | null = null;
  let version = 0;
  let restarts = 0, errors = 0, intervals = 0, skipped = 0;
  let probes: number | null = null;
  let lastUnix: number | null = null;
  const intervalMs = opts.settings.intervalMs;

  function newIntervals(list: readonly Interval[], count: number): void {
    const now = Date.now();
    for (const iv of list.slice(-count)) {
      intervals += 1;
      // an interval the script skipped (bpftrace catching up) shows as one interval about twice as long
      skipped += Math.max(0, Math.round((iv.endMs - iv.startMs) / intervalMs) - 1);
      opts.onInterval?.(iv, now);
    }
    lastUnix = now / 1000;
  }

  async function run(): Promise<void> {
    let backoff = first;
    let everAttached = false;
    while (!stopper.signal.aborted) {
      const handle = startCapture({
        settings: { ...opts.settings, durationMs: FOREVER_MS },
        out: null, force: false, lockrefStrategy: opts.lockrefStrategy, log: opts.log,
        resultIntervals: 'recent', intervalLines: false, signal: stopper.signal,
        onRecord: (r) => {
          if (r.kind === 'attached') probes = r.probes;
          if (r.kind === 'error') { errors += 1; version += 1; opts.log(`bpftrace: ${r.message}`); }
        },
      });
      current = handle;
      let seen = 0;
      let phase = '';
      const unsubscribe = handle.subscribe((s) => {
        if (s.intervalCount !== seen) { newIntervals(s.intervals, s.intervalCount - seen); seen = s.intervalCount; version += 1; }
        if (s.phase !== phase) { phase = s.phase; version += 1; }
      });
      const startedAt = Date.now();
      let failure: string | null = null;
      try {
        const r = await handle.done;
        if (!stopper.signal.aborted) failure = r.capture.run.error ?? `the capture ended (${r.capture.run.endReason})`;
      } catch (err) {
        // the first start: what the user must fix (privileges, bpftrace, nothing measurable) ends serve
        if (!everAttached && err instanceof UserError && !stopper.signal.aborted) { unsubscribe(); current = null; throw err; }
        failure = describeError(err).lines.join(' | ');
      }
      unsubscribe();
      if (handle.getState().attachMs !== null) everAttached = true;
      base = addTotals(base, totalsOfState(handle.getState()));
      current = null;
      probes = null;
      version += 1;
      if (stopper.signal.aborted) break;
      errors += 1;
      if (Date.now() - startedAt >= healthyRunMs) backoff = first;
      opts.log(`bpftrace stopped: ${failure ?? 'unknown reason'}; restarting in ${(backoff / 1000).toFixed(1)}s`);
      await sleep(backoff, stopper.signal);
      backoff = Math.min(backoff * 2, max);
      if (!stopper.signal.aborted) { restarts += 1; version += 1; }
    }
  }

  const ready = () => current !== null && current.getState().phase === 'running';
  return {
    totals: () => (current ? addTotals(base, totalsOfState(current.getState())) : base),
    status: () => {
      const s = current?.getState();
      return {
        up: ready(),
        attachSeconds: s && s.attachMs !== null ? s.attachMs / 1000 : null,
        probes: ready() ? probes : null,
        restarts, intervals, skipped, errors,
        intervalSeconds: intervalMs / 1000,
        lastIntervalUnixSeconds: lastUnix,
      };
    },
    version: () => version,
    ready,
    stop: () => stopper.abort(),
    done: run(),
  };
}
