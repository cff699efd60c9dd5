// What bpftrace reported going wrong while it ran (error records, lost events), in words: one place for the capture
// summary, the report, compare's warnings and the live UI's header. Pure.
import type { BpfErrorSample, Capture } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';

export interface BpftraceTrouble {
  /** error records (helper_error, runtime_error, ...); null: not counted (a capture file of schemaVersion 1) */
  errors: number | null;
  lost: number;
  samples: readonly BpfErrorSample[];
}

export function troubleOfState(s: Pick<CaptureState, 'bpfErrors' | 'lostEvents' | 'bpfErrorSamples'>): BpftraceTrouble {
  return { errors: s.bpfErrors, lost: s.lostEvents, samples: s.bpfErrorSamples };
}

export function troubleOfCapture(c: Pick<Capture, 'run'>): BpftraceTrouble {
  return { errors: c.run.bpfErrors ?? null, lost: c.run.lostEvents, samples: c.run.bpfErrorSamples ?? [] };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "bpftrace: 3 errors, 12 events lost" (for a header); null when nothing went wrong. */
export function troubleLine(t: BpftraceTrouble): string | null {
  const parts: string[] = [];
  if (t.errors) parts.push(plural(t.errors, 'error'));
  if (t.lost) parts.push(`${plural(t.lost, 'event')} lost`);
  return parts.length ? `bpftrace: ${parts.join(', ')}` : null;
}

/** Warning lines for a summary: what went wrong, what it means for the numbers, the most frequent message. */
export function troubleWarnings(t: BpftraceTrouble): string[] {
  const out: string[] = [];
  if (t.errors) {
    const top = [...t.samples].sort((a, b) => b.count - a.count)[0];
    out.push(`warning: bpftrace reported ${plural(t.errors, 'error')} while running: some events were not counted${top ? ` (most often, ${top.count}x: ${top.message})` : ''}`);
  }
  if (t.lost) out.push(`warning: bpftrace lost ${plural(t.lost, 'event')}: the counts are lower bounds`);
  return out;
}
