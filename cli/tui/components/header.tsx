// The header: host, bpftrace, strategy per target (reasons on `r`), workload, progress, runs/s, %sys.
import { Box, Text } from 'ink';
import type { HeaderModel, TargetSummary } from '../view-model/header.js';
import { elapsedText, progressBar } from '../view-model/header.js';
import { c, strategyColor } from '../theme.js';
import { sanitize } from '../sanitize.js';

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

export function Header({ model: h, width, color, paused, reasons, baselineLabel, status }: HeaderProps) {
  const barW = Math.max(5, Math.min(30, width - 60));
  const phaseColor = h.phase === 'failed' ? 'red' : h.phase === 'running' ? 'green' : 'yellow';
  const note = [h.endNote, status].filter(Boolean).join('  ');
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text wrap="truncate">
        <Text bold color={c(color, 'cyan')}>{sanitize(h.title)}</Text>{'  '}
        <Text color={c(color, phaseColor)}>{h.phase}</Text>{'  '}
        {progressBar(h.progress, barW, !color)} {elapsedText(h)}
        {paused ? <Text inverse> PAUSED </Text> : null}
        {h.trouble ? <Text color={c(color, 'red')}>{`  ${h.trouble}`}</Text> : null}
      </Text>
      <Text wrap="truncate"><Text dimColor>kernel </Text>{sanitize(h.kernel)}<Text dimColor>  bpftrace </Text>{sanitize(h.bpftrace)}</Text>
      <Text wrap="truncate">
        <Text dimColor>targets</Text>
        {h.targets.map((t) => (
          <Text key={t.target}>{` ${SHORT[t.target]}=`}<Text color={strategyColor(t.strategy, color)}>{strategyText(t, width >= 110)}</Text></Text>
        ))}
        {reasons ? '' : <Text dimColor>  (r)</Text>}
      </Text>
      {reasons ? h.targets.map((t) => (
        <Text key={t.target} wrap="truncate">
          {`  ${t.target}: `}<Text color={strategyColor(t.strategy, color)}>{t.strategy ?? 'not resolved yet'}</Text>{t.reason ? sanitize(` - ${t.reason}`) : ''}
        </Text>
      )) : null}
      <Text wrap="truncate">
        <Text dimColor>workload </Text>{sanitize(h.workload)}
        <Text dimColor>  runs/s </Text>{h.runsNow}<Text dimColor> now </Text>{h.runsAll}<Text dimColor> all</Text>
        {h.runsRatio !== null ? <Text color={c(color, 'magenta')}>{` ${h.runsRatio}`}</Text> : null}
        <Text dimColor>  %sys </Text>{h.sysAll}
        {h.sysRatio !== null ? <Text color={c(color, 'magenta')}>{` ${h.sysRatio}`}</Text> : null}
        {baselineLabel ? <Text dimColor>{sanitize(` vs ${baselineLabel}`)}</Text> : null}
      </Text>
      {note ? <Text wrap="truncate" color={c(color, h.endNote?.includes('error') ? 'red' : 'yellow')}>{sanitize(note)}</Text> : null}
    </Box>
  );
}
