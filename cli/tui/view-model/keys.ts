// What a key press does to the live UI: the UI actions it makes, or a request to quit. Reads the layout of the
// last screen (rows, the visible window, the CPUs) for the moves. Pure.
import type { Layout } from '../screen-model.js';
import type { CaptureState } from '../../state/state.js';
import type { UiAction, UiState } from './ui-state.js';
import type { UserStop } from '../../capture/end-exit.js';

export type QuitHow = 'q' | 'ctrl-c';

/** The user's way out of the UI as exit codes read it: q quits, Ctrl-C or a signal interrupts. */
export function userStopOf(how: QuitHow | 'signal'): UserStop {
  return how === 'q' ? 'quit' : 'interrupt';
}

/** The fields of ink's Key this UI reads. */
export interface KeyPress {
  ctrl: boolean; shift: boolean; escape: boolean; tab: boolean; return: boolean;
  upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean;
  pageUp: boolean; pageDown: boolean; home: boolean; end: boolean;
}

export type KeyResult = { quit: QuitHow } | { actions: UiAction[] };

export function keyActions(input: string, k: KeyPress, ui: UiState, layout: Layout, ctx: { error: boolean; state: CaptureState }): KeyResult {
  if (k.ctrl && input === 'c') return { quit: 'ctrl-c' };
  if (input === 'q') return { quit: 'q' };
  const one = (a: UiAction): KeyResult => ({ actions: [a] });
  const none: KeyResult = { actions: [] };
  if (ctx.error) return none;
  const { rows: total, visible, cpus, selectedCpu, wantGroups } = layout;
  if (input === '?') return one({ type: 'help' });
  if (k.escape) return one({ type: 'escape' });
  if (k.tab) return one({ type: 'nextView', back: k.shift });
  if (input === 'p') return one({ type: 'pause', state: ctx.state });
  if (input === 's') return one({ type: 'sort' });
  if (input === 'b') return one({ type: 'busy' });
  if (input === 'a' || input === 'w') return one({ type: 'span' });
  if (input === 'g' || input === 'n') return one({ type: 'groups', current: wantGroups });
  if (input === 'r') return one({ type: 'reasons' });
  const move = (delta: number) => one({ type: 'move', delta, total, visible });
  if (ui.view === 'histogram' && (k.leftArrow || k.rightArrow || input === 'h' || input === 'l')) {
    return one({ type: 'histCpu', delta: k.leftArrow || input === 'h' ? -1 : 1, cpus });
  }
  if (input === 'j' || k.downArrow) return move(1);
  if (input === 'k' || k.upArrow) return move(-1);
  if (k.pageDown || input === ' ') return move(visible);
  if (k.pageUp) return move(-visible);
  if (k.home) return move(-total);
  if (k.end || input === 'G') return move(total);
  if (k.return && ui.view === 'cpus' && selectedCpu !== null) return { actions: [{ type: 'histSelect', cpu: selectedCpu }, { type: 'nextView' }] };
  return none;
}
