// How each target was resolved: strategy, probe, symbol, why (and what was refused), plus the top stacks/sites. Pure.
import type { CaptureState } from '../../state/state.js';
import { TARGETS, targetSummaries } from '../view-model/header.js';
import { formatNs, si } from '../../format/numbers.js';
import { c, strategyColor } from '../theme.js';
import { bold, colored, dim, sanitize } from '../text/style.js';
import { wrapPlain } from '../text/width.js';

export interface ProbesViewProps { state: CaptureState; width: number; height: number; color: boolean }

export function probesLines({ state, width, height, color }: ProbesViewProps): string[] {
  const res = state.meta?.resolution;
  if (!res) return [dim('probes not resolved yet…')];
  const lines: string[] = [];
  const wrapped = (text: string) => { for (const l of wrapPlain(sanitize(text), width)) lines.push(dim(l)); };
  for (const t of TARGETS) {
    const r = res.find((x) => x.target === t);
    if (!r) {
      const s = targetSummaries(undefined, state.meta?.metricSources).find((x) => x.target === t)!;
      lines.push(bold(t) + ': ' + (s.strategy ? colored(s.strategy, strategyColor(s.strategy, color)) : dim('not requested')) + (s.reason ? dim(` - ${s.reason}`) : ''));
      continue;
    }
    lines.push(bold(t) + ': ' + colored(r.strategy, strategyColor(r.strategy, color))
      + sanitize(`${r.probe ? ` ${r.probe}` : ''}${r.symbol ? ` ${r.symbol}` : ''}${r.callsites?.length ? ` (${r.callsites.length} call sites)` : ''}`));
    if (r.reason) wrapped(`    why: ${r.reason}`);
    for (const rej of r.rejected) wrapped(`    not ${rej.strategy}: ${rej.reason}`);
  }
  if (state.contentionStacks.length > 0) {
    lines.push(bold('top contended stacks (waits, time)'));
    for (const s of state.contentionStacks.slice(0, 5)) {
      lines.push(`  ${si(s.waits).padStart(6)} ${formatNs(s.ns).padStart(8)} ` + colored(s.lockref ? 'lockref ' : '', c(color, s.lockref ? 'yellow' : 'gray'))
        + sanitize(s.stack.filter((f) => !/slowpath|^_raw_spin_lock/.test(f)).slice(0, 4).join(' < ')));
    }
  }
  if (state.lockrefCallsites.length > 0) {
    lines.push(bold('lockref_get_not_dead call sites'));
    for (const s of state.lockrefCallsites.slice(0, 5)) lines.push(sanitize(`  ${si(s.calls).padStart(6)} ${s.site}`));
  }
  return lines.slice(0, Math.max(1, height));
}
