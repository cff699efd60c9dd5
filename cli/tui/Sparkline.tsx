// One labelled sparkline: label, blocks over the run, the latest value.
import { Text } from 'ink';
import { downsample, sparkline } from './view-model/sparkline.js';
import { fit } from './view-model/format.js';
import { formatRate } from '../format/numbers.js';
import { c } from './theme.js';

/** values: the latest intervals (the state's window), oldest first; drawn downsampled to the width, with the latest value and the run's max. */
export interface SparklineProps { label: string; values: readonly (number | null)[]; width: number; color: boolean; tint?: string }

export function Sparkline({ label, values, width, color, tint = 'cyan' }: SparklineProps) {
  const labelW = 10;
  const last = values.length ? values[values.length - 1] ?? null : null;
  const maxV = values.reduce<number | null>((m, v) => (v !== null && (m === null || v > m) ? v : m), null);
  const tail = ` ${fit(formatRate(last), 6)} max ${fit(formatRate(maxV), 6)}`;
  const sparkW = Math.max(1, width - labelW - tail.length);
  return (
    <Text wrap="truncate">
      <Text dimColor>{fit(label, labelW, 'left')}</Text>
      <Text color={c(color, tint)}>{sparkline(downsample(values, sparkW), sparkW)}</Text>
      {tail}
    </Text>
  );
}
