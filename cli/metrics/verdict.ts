// Better or worse, not up or down: a change read through the metric's direction ("ps runs/s +154%" is the fix
// working, so it is improved, not red).
import type { Direction } from './catalogue.js';

export type Verdict = 'improved' | 'regressed' | 'changed' | '~';

/** The verdict on a change of `changePct` (null: undefined change); '~' when not significant. */
export function verdict(direction: Direction, changePct: number | null, significant: boolean): Verdict {
  if (!significant || changePct === null || changePct === 0) return '~';
  if (direction === 'neutral') return 'changed';
  return (changePct > 0) === (direction === 'higher-better') ? 'improved' : 'regressed';
}

/** The tone of a raw (untested) change, for colouring deltas: the same rule without the significance test. */
export function tone(direction: Direction, change: number): 'better' | 'worse' | 'neutral' {
  if (direction === 'neutral' || change === 0) return 'neutral';
  return (change > 0) === (direction === 'higher-better') ? 'better' : 'worse';
}
