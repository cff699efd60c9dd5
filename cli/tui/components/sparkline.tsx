// One labelled sparkline: label, blocks over the run, the latest value and the run's max.
import { memo } from 'react';
import { Text } from 'ink';
import { downsample, sparkline } from '../view-model/sparkline.js';
import { fit } from '../view-model/format.js';
import { formatRate } from '../../format/numbers.js';
import { c } from '../theme.js';

/** values: the latest intervals (the state's window), oldest first; drawn downsampled to the width. */
export interface SparklineProps { label: string; values: readonly (number | null)[]; width: number; color: boolean; tint?: string }

export function sparklineParts(values: readonly (number | null)[], width: number, labelW = 10): { blocks: string; tail: string } {
  const last = values.length ? values[values.length - 1] ?? null : null;
  let maxV: number | null = null;
  for (const v of values) if (v !== null && (maxV === null || v > maxV)) maxV = v;
  const tail = ` ${fit(formatRate(last), 6)} max ${fit(formatRate(maxV), 6)}`;
  const sparkW = Math.max(1, width - labelW - tail.length);
  return { blocks: sparkline(downsample(values, sparkW), sparkW), tail };
}

export const Sparkline = memo(function Sparkline({ label, values, width, color, tint = 'cyan' }: SparklineProps) {
  const { blocks, tail } = sparklineParts(values, width);
  return <Text wrap="truncate"><Text dimColor>{fit(label, 10, 'left')}</Text><Text color={c(color, tint)}>{blocks}</Text>{tail}</Text>;
});
