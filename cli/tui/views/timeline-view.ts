// The run over time: wide sparklines and the last intervals as lines. Pure.
import type { CaptureState } from '../../state/state.js';
import type { Series } from '../view-model/sparkline.js';
import { sparklineLine } from './sparkline.js';
import { fit, fmtPct } from '../view-model/format.js';
import { formatRate } from '../../format/numbers.js';
import { bold, dim } from '../text/style.js';

export interface TimelineViewProps { state: CaptureState; series: Series; width: number; height: number; color: boolean }

export function timelineLines({ state, series: s, width, height, color }: TimelineViewProps): string[] {
  const rows = Math.max(0, height - 6);
  const last = state.intervals.slice(-rows);
  const first = state.intervals.length - last.length;
  const lines = [
    sparklineLine({ label: 'runs/s', values: s.runsPerSec, width, color, tint: 'green' }),
    sparklineLine({ label: '%sys', values: s.sysPct, width, color, tint: 'magenta' }),
    sparklineLine({ label: 'ECHILD/s', values: s.echildPerSec, width, color, tint: 'yellow' }),
    sparklineLine({ label: 'spin ms/s', values: s.spinMsPerSec, width, color, tint: 'red' }),
    bold(`${fit('#', 5)} ${fit('t', 7)} ${fit('runs/s', 8)} ${fit('%sys', 6)} ${fit('ECHILD/s', 9)} ${fit('spin ms/s', 10)}`),
  ];
  if (last.length === 0) lines.push(dim('no interval closed yet'));
  for (const [k, iv] of last.entries()) {
    const i = first + k;
    lines.push(`${fit(String(iv.seq), 5)} ${fit((iv.endMs / 1000).toFixed(1) + 's', 7)} ${fit(formatRate(s.runsPerSec[i] ?? null), 8)} ${fit(fmtPct(s.sysPct[i] ?? null), 6)} ${fit(formatRate(s.echildPerSec[i] ?? null), 9)} ${fit(formatRate(s.spinMsPerSec[i] ?? null), 10)}`);
  }
  return lines;
}
