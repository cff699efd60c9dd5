// One labelled sparkline: label, blocks over the run, the latest value and the run's max. Pure.
import { downsample, sparkline } from '../view-model/sparkline.js';
import { fit } from '../view-model/format.js';
import { formatRate } from '../../format/numbers.js';
import { c } from '../theme.js';
import { colored, dim } from '../text/style.js';

/** values: the latest intervals (the state's window), oldest first; drawn downsampled to the width. */
export interface SparklineProps { label: string; values: readonly (number | null)[]; width: number; color: boolean; tint?: string }

export function sparklineLine({ label, values, width, color, tint = 'cyan' }: SparklineProps): string {
  const labelW = 10;
  const last = values.length ? values[values.length - 1] ?? null : null;
  const maxV = values.reduce<number | null>((m, v) => (v !== null && (m === null || v > m) ? v : m), null);
  const tail = ` ${fit(formatRate(last), 6)} max ${fit(formatRate(maxV), 6)}`;
  const sparkW = Math.max(1, width - labelW - tail.length);
  return dim(fit(label, labelW, 'left')) + colored(sparkline(downsample(values, sparkW), sparkW), c(color, tint)) + tail;
}
