// The lockref duration histogram (log2 ns buckets) for the whole run or one CPU. Pure.
import type { Histogram } from '../../schema/types.generated.js';
import { histBars, histBuckets, histTotal } from '../view-model/histogram.js';
import { fit } from '../view-model/format.js';
import { si } from '../../format/numbers.js';
import { c } from '../theme.js';
import { colored, dim, wrapStyle } from '../text/style.js';

export interface HistogramViewProps { hist: Histogram; cpu: number | null; width: number; height: number; color: boolean; ended?: boolean }

export function histogramLines({ hist, cpu, width, height, color, ended = false }: HistogramViewProps): string[] {
  const buckets = histBuckets(hist, cpu);
  const labelW = 18, countW = 8;
  const bars = histBars(buckets, Math.max(4, width - labelW - countW - 4));
  const what = hist.strategy === 'contention' ? 'lockref spinlock wait (contention)' : `lockref_get_not_dead duration (${hist.strategy})`;
  const shown = bars.slice(0, Math.max(1, height - 2));
  const lines = [wrapStyle(`${what} in ns, ` + colored(cpu === null ? 'all CPUs' : `CPU ${cpu}`, c(color, 'cyan'))
    + dim(`  ${si(histTotal(buckets))} samples  (left/right: CPU, enter in CPUs view)`), { bold: true })];
  if (hist.strategy === 'unavailable') lines.push(dim('lockref durations are not measured on this run (strategy unavailable)'));
  else if (bars.length === 0) lines.push(dim(ended ? 'none recorded in this run' : 'no samples yet (they arrive with each interval)'));
  else for (const b of shown) lines.push(fit(b.label, labelW, 'left') + fit(String(b.count), countW) + ' |' + colored(b.bar, c(color, 'green')));
  if (bars.length > shown.length) lines.push(dim(`  … ${bars.length - shown.length} more buckets`));
  return lines;
}
