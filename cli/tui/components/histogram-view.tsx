// The lockref duration histogram (log2 ns buckets) for the whole run or one CPU.
import { Box, Text } from 'ink';
import type { Histogram } from '../../schema/types.generated.js';
import { histBars, histBuckets, histTotal } from '../view-model/histogram.js';
import { fit } from '../view-model/format.js';
import { si } from '../../format/numbers.js';
import { c } from '../theme.js';

export interface HistogramViewProps { hist: Histogram; cpu: number | null; width: number; height: number; color: boolean; ended?: boolean; note?: string | null }

export function HistogramView({ hist, cpu, width, height, color, ended = false, note = null }: HistogramViewProps) {
  const buckets = histBuckets(hist, cpu);
  const labelW = 18, countW = 8;
  const bars = histBars(buckets, Math.max(4, width - labelW - countW - 4));
  const what = hist.strategy === 'contention' ? 'lockref spinlock wait (contention)' : `lockref_get_not_dead duration (${hist.strategy})`;
  const shown = bars.slice(0, Math.max(1, height - 2 - (note ? 1 : 0)));
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text bold wrap="truncate">
        {`${what} in ns, `}<Text color={c(color, 'cyan')}>{cpu === null ? 'all CPUs' : `CPU ${cpu}`}</Text>
        <Text dimColor>{`  ${si(histTotal(buckets))} samples  (left/right: CPU, enter in CPUs view)`}</Text>
      </Text>
      {note ? <Text dimColor wrap="truncate">{note}</Text> : null}
      {hist.strategy === 'unavailable' ? <Text dimColor>lockref durations are not measured on this run (strategy unavailable)</Text>
        : bars.length === 0 ? <Text dimColor>{ended ? 'none recorded in this run' : 'no samples yet (they arrive with each interval)'}</Text>
        : shown.map((b) => <Text key={b.label} wrap="truncate">{fit(b.label, labelW, 'left') + fit(String(b.count), countW) + ' |'}<Text color={c(color, 'green')}>{b.bar}</Text></Text>)}
      {bars.length > shown.length ? <Text dimColor>{`  … ${bars.length - shown.length} more buckets`}</Text> : null}
    </Box>
  );
}
