// How each target was resolved: strategy, probe, symbol, why (and what was refused), plus the top stacks/sites.
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { CaptureState } from '../state/state.js';
import { TARGETS, targetSummaries } from './view-model/header.js';
import { formatNs, si } from '../format/numbers.js';
import { c, strategyColor } from './theme.js';

export interface ProbesViewProps { state: CaptureState; height: number; color: boolean }

export function ProbesView({ state, height, color }: ProbesViewProps) {
  const res = state.meta?.resolution;
  if (!res) return <Text dimColor>probes not resolved yet…</Text>;
  const lines: { key: string; node: ReactElement }[] = [];
  for (const t of TARGETS) {
    const r = res.find((x) => x.target === t);
    if (!r) {
      const s = targetSummaries(undefined, state.meta?.metricSources).find((x) => x.target === t)!;
      lines.push({
        key: t,
        node: <Text wrap="truncate"><Text bold>{t}</Text>: {s.strategy ? <Text color={strategyColor(s.strategy, color)}>{s.strategy}</Text> : <Text dimColor>not requested</Text>}{s.reason ? <Text dimColor>{` - ${s.reason}`}</Text> : null}</Text>,
      });
      continue;
    }
    lines.push({
      key: t,
      node: (
        <Text wrap="truncate">
          <Text bold>{t}</Text>: <Text color={strategyColor(r.strategy, color)}>{r.strategy}</Text>
          {r.probe ? ` ${r.probe}` : ''}{r.symbol ? ` ${r.symbol}` : ''}
          {r.callsites?.length ? ` (${r.callsites.length} call sites)` : ''}
        </Text>
      ),
    });
    if (r.reason) lines.push({ key: `${t}-why`, node: <Text wrap="wrap" dimColor>{`    why: ${r.reason}`}</Text> });
    for (const [i, rej] of r.rejected.entries()) {
      lines.push({ key: `${t}-rej${i}`, node: <Text wrap="wrap" dimColor>{`    not ${rej.strategy}: ${rej.reason}`}</Text> });
    }
  }
  if (state.contentionStacks.length > 0) {
    lines.push({ key: 'cs', node: <Text bold>top contended stacks (waits, time)</Text> });
    for (const [i, s] of state.contentionStacks.slice(0, 5).entries()) {
      lines.push({
        key: `cs${i}`,
        node: (
          <Text wrap="truncate">
            {`  ${si(s.waits).padStart(6)} ${formatNs(s.ns).padStart(8)} `}
            <Text color={c(color, s.lockref ? 'yellow' : 'gray')}>{s.lockref ? 'lockref ' : ''}</Text>
            {s.stack.filter((f) => !/slowpath|^_raw_spin_lock/.test(f)).slice(0, 4).join(' < ')}
          </Text>
        ),
      });
    }
  }
  if (state.lockrefCallsites.length > 0) {
    lines.push({ key: 'ls', node: <Text bold>lockref_get_not_dead call sites</Text> });
    for (const [i, s] of state.lockrefCallsites.slice(0, 5).entries()) {
      lines.push({ key: `ls${i}`, node: <Text wrap="truncate">{`  ${si(s.calls).padStart(6)} ${s.site}`}</Text> });
    }
  }
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, height)).map((l) => <Box key={l.key}>{l.node}</Box>)}</Box>;
}
