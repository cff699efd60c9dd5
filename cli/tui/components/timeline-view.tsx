// The run over time: wide sparklines and the last intervals as lines.
import { Box, Text } from 'ink';
import type { CaptureState } from '../../state/state.js';
import { SERIES_METRIC as M, type Series } from '../view-model/sparkline.js';
import { Sparkline } from './sparkline.js';
import { fit, fmtPct } from '../view-model/format.js';
import { formatRate } from '../../format/numbers.js';

export interface TimelineViewProps { state: CaptureState; series: Series; width: number; height: number; color: boolean }

export function TimelineView({ state, series: s, width, height, color }: TimelineViewProps) {
  const rows = Math.max(0, height - 6);
  const last = state.intervals.slice(-rows);
  const first = state.intervals.length - last.length;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Sparkline label={M.runsPerSec.short} values={s.runsPerSec} width={width} color={color} tint="green" />
      <Sparkline label={M.sysPct.short} values={s.sysPct} width={width} color={color} tint="magenta" />
      <Sparkline label={M.echildPerSec.short} values={s.echildPerSec} width={width} color={color} tint="yellow" />
      <Sparkline label={M.spinMsPerSec.short} values={s.spinMsPerSec} width={width} color={color} tint="red" />
      <Text bold wrap="truncate">{`${fit('#', 5)} ${fit('t', 7)} ${fit(M.runsPerSec.short, 8)} ${fit(M.sysPct.short, 6)} ${fit(M.echildPerSec.short, 9)} ${fit(M.spinMsPerSec.short, 10)}`}</Text>
      {last.length === 0 ? <Text dimColor>no interval closed yet</Text> : null}
      {last.map((iv, k) => {
        const i = first + k;
        return (
          <Text key={iv.seq} wrap="truncate">
            {`${fit(String(iv.seq), 5)} ${fit((iv.endMs / 1000).toFixed(1) + 's', 7)} ${fit(formatRate(s.runsPerSec[i] ?? null), 8)} ${fit(fmtPct(s.sysPct[i] ?? null), 6)} ${fit(formatRate(s.echildPerSec[i] ?? null), 9)} ${fit(formatRate(s.spinMsPerSec[i] ?? null), 10)}`}
          </Text>
        );
      })}
    </Box>
  );
}
