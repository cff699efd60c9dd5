// How each target was resolved: strategy, probe, symbol, why (and what was refused), plus the top stacks/sites.
import { Box, Text } from 'ink';
import type { CaptureState } from '../../state/state.js';
import { TARGETS, targetSummaries } from '../view-model/header.js';
import { formatNs, si } from '../../format/numbers.js';
import { c, strategyColor } from '../theme.js';
import { sanitize } from '../sanitize.js';

export interface ProbesViewProps { state: CaptureState; color: boolean }

/** An indented reason, wrapped by ink within the width, each wrapped line keeping the indent. */
function Why({ text }: { text: string }) {
  return <Box paddingLeft={4} flexShrink={0}><Text dimColor wrap="wrap">{sanitize(text)}</Text></Box>;
}

export function ProbesView({ state, color }: ProbesViewProps) {
  const res = state.meta?.resolution;
  if (!res) return <Text dimColor>probes not resolved yet…</Text>;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {TARGETS.map((t) => {
        const r = res.find((x) => x.target === t);
        if (!r) {
          const s = targetSummaries(undefined, state.meta?.metricSources).find((x) => x.target === t)!;
          return (
            <Text key={t} wrap="truncate">
              <Text bold>{t}</Text>{': '}
              {s.strategy ? <Text color={strategyColor(s.strategy, color)}>{s.strategy}</Text> : <Text dimColor>not requested</Text>}
              {s.reason ? <Text dimColor>{sanitize(` - ${s.reason}`)}</Text> : null}
            </Text>
          );
        }
        return (
          <Box key={t} flexDirection="column" flexShrink={0}>
            <Text wrap="truncate">
              <Text bold>{t}</Text>{': '}<Text color={strategyColor(r.strategy, color)}>{r.strategy}</Text>
              {sanitize(`${r.probe ? ` ${r.probe}` : ''}${r.symbol ? ` ${r.symbol}` : ''}${r.callsites?.length ? ` (${r.callsites.length} call sites)` : ''}`)}
            </Text>
            {r.reason ? <Why text={`why: ${r.reason}`} /> : null}
            {r.rejected.map((rej, i) => <Why key={i} text={`not ${rej.strategy}: ${rej.reason}`} />)}
          </Box>
        );
      })}
      {state.contentionStacks.length > 0 ? <Text bold>top contended stacks (waits, time)</Text> : null}
      {state.contentionStacks.slice(0, 5).map((s, i) => (
        <Text key={i} wrap="truncate">
          {`  ${si(s.waits).padStart(6)} ${formatNs(s.ns).padStart(8)} `}
          {s.lockref ? <Text color={c(color, 'yellow')}>lockref </Text> : null}
          {sanitize(s.stack.filter((f) => !/slowpath|^_raw_spin_lock/.test(f)).slice(0, 4).join(' < '))}
        </Text>
      ))}
      {state.lockrefCallsites.length > 0 ? <Text bold>lockref_get_not_dead call sites</Text> : null}
      {state.lockrefCallsites.slice(0, 5).map((s, i) => <Text key={i} wrap="truncate">{sanitize(`  ${si(s.calls).padStart(6)} ${s.site}`)}</Text>)}
    </Box>
  );
}
