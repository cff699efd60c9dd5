// The header: host, bpftrace, strategy per target (reasons on `r`), workload, progress, runs/s, %sys. Pure.
import type { HeaderModel, TargetSummary } from '../view-model/header.js';
import { elapsedText, progressBar } from '../view-model/header.js';
import { c, strategyColor } from '../theme.js';
import { colored, dim, sanitize, styled } from '../text/style.js';

const SHORT: Record<string, string> = {
  pid_revalidate: 'prv', unlazy_next: 'unlz_next', unlazy: 'unlz', lockref: 'lockref', spin: 'spin',
};

function strategyText(t: TargetSummary, wide: boolean): string {
  return t.strategy === null ? '?' : t.strategy === 'unavailable' ? (wide ? 'unavailable' : 'n/a') : t.strategy;
}

export interface HeaderProps {
  model: HeaderModel;
  width: number;
  color: boolean;
  paused: boolean;
  reasons: boolean;
  baselineLabel: string | null;
  status: string | null;
}

/** The header's lines (not yet cut to the width: the screen does that). */
export function headerLines({ model: h, width, color, paused, reasons, baselineLabel, status }: HeaderProps): string[] {
  const barW = Math.max(5, Math.min(30, width - 60));
  const phaseColor = h.phase === 'failed' ? 'red' : h.phase === 'running' ? 'green' : 'yellow';
  const lines = [
    styled(h.title, { bold: true, color: c(color, 'cyan') }) + '  ' + colored(h.phase, c(color, phaseColor)) + '  '
      + `${progressBar(h.progress, barW, !color)} ${elapsedText(h)}`
      + (paused ? styled(' PAUSED ', { inverse: true }) : '')
      + (h.lostEvents > 0 ? colored(`  lost ${h.lostEvents}`, c(color, 'red')) : ''),
    dim('kernel ') + sanitize(h.kernel) + dim('  bpftrace ') + sanitize(h.bpftrace),
    dim('targets') + h.targets.map((t) => ` ${SHORT[t.target]}=` + colored(strategyText(t, width >= 110), strategyColor(t.strategy, color))).join('')
      + (reasons ? '' : dim('  (r)')),
  ];
  if (reasons) {
    for (const t of h.targets) {
      lines.push(`  ${t.target}: ` + colored(t.strategy ?? 'not resolved yet', strategyColor(t.strategy, color)) + (t.reason ? sanitize(` - ${t.reason}`) : ''));
    }
  }
  lines.push(
    dim('workload ') + sanitize(h.workload)
      + dim('  runs/s ') + h.runsNow + dim(' now ') + h.runsAll + dim(' all')
      + (h.runsRatio !== null ? colored(` ${h.runsRatio}`, c(color, 'magenta')) : '')
      + dim('  %sys ') + h.sysAll
      + (h.sysRatio !== null ? colored(` ${h.sysRatio}`, c(color, 'magenta')) : '')
      + (baselineLabel ? dim(` vs ${baselineLabel}`) : ''),
  );
  if (h.endNote || status) {
    lines.push(colored([h.endNote, status].filter(Boolean).join('  '), c(color, h.endNote?.includes('error') ? 'red' : 'yellow')));
  }
  return lines;
}

/** How many lines the header takes (for the table's height budget). */
export function headerHeight(h: HeaderModel, reasons: boolean, status: string | null): number {
  return 4 + (reasons ? h.targets.length : 0) + (h.endNote || status ? 1 : 0);
}
