// The UI's own state (view, sort, filter, scroll, pause, overlays) and the keys that change it. Pure.
import type { CaptureState } from '../../state/state.js';
import { nextSort, type SortKey, type Span } from './cpu-rows.js';
import { moveCursor, type Scroll } from './scroll.js';

export type View = 'cpus' | 'histogram' | 'timeline' | 'probes';
export const VIEWS: readonly View[] = ['cpus', 'histogram', 'timeline', 'probes'];

export interface UiState {
  view: View;
  sort: SortKey;
  busyOnly: boolean;
  span: Span;
  scroll: Scroll;
  /** group summaries (NUMA node / CPU group) above the table */
  groups: boolean | null;
  help: boolean;
  reasons: boolean;
  /** the state shown while paused (collection continues underneath) */
  frozen: CaptureState | null;
  /** histogram: null = whole run, else that CPU */
  histCpu: number | null;
  quitting: boolean;
}

export const initialUi: UiState = {
  view: 'cpus', sort: 'cpu', busyOnly: false, span: 'now', scroll: { cursor: 0, offset: 0 },
  groups: null, help: false, reasons: false, frozen: null, histCpu: null, quitting: false,
};

export type UiAction =
  | { type: 'quit' }
  | { type: 'pause'; state: CaptureState }
  | { type: 'help' }
  | { type: 'escape' }
  | { type: 'nextView'; back?: boolean }
  | { type: 'sort' }
  | { type: 'busy' }
  | { type: 'span' }
  | { type: 'groups'; current: boolean }
  | { type: 'reasons' }
  | { type: 'move'; delta: number; total: number; visible: number }
  | { type: 'histCpu'; delta: number; cpus: readonly number[] }
  | { type: 'histSelect'; cpu: number | null };

export function uiReducer(ui: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'quit': return { ...ui, quitting: true };
    // states are never modified once published (the reducer builds a new intervals window per tick): keep this one
    case 'pause': return { ...ui, frozen: ui.frozen ? null : a.state };
    case 'help': return { ...ui, help: !ui.help };
    case 'escape': return { ...ui, help: false, reasons: false };
    case 'nextView': {
      const i = VIEWS.indexOf(ui.view);
      const n = VIEWS.length;
      return { ...ui, view: VIEWS[(i + (a.back ? n - 1 : 1)) % n]!, help: false };
    }
    case 'sort': return { ...ui, sort: nextSort(ui.sort), scroll: { cursor: 0, offset: 0 } };
    case 'busy': return { ...ui, busyOnly: !ui.busyOnly, scroll: { cursor: 0, offset: 0 } };
    case 'span': return { ...ui, span: ui.span === 'now' ? 'run' : 'now' };
    case 'groups': return { ...ui, groups: !a.current };
    case 'reasons': return { ...ui, reasons: !ui.reasons };
    case 'move': return { ...ui, scroll: moveCursor(ui.scroll, a.delta, a.total, a.visible) };
    case 'histCpu': {
      // cycles: all -> cpu0 -> cpu1 ... -> all
      const order: (number | null)[] = [null, ...a.cpus];
      const i = Math.max(0, order.indexOf(ui.histCpu));
      const n = order.length;
      return { ...ui, histCpu: order[(((i + a.delta) % n) + n) % n] ?? null };
    }
    case 'histSelect': return { ...ui, histCpu: a.cpu };
  }
}

export const SORT_LABEL: Record<SortKey, string> = {
  cpu: 'CPU', sys: '%sys', pr: 'prv/s', echild: 'ECHILD/s', echildShare: 'ech%', unlazy: 'unlz/s',
  unlazyFail: 'ufail/s', lockref: 'lockref/s', spinMs: 'spin ms/s', spinPct: 'spin%', maxSpin: 'maxspin', ctxSpinMs: 'allspin',
};

export const KEY_HELP: readonly [string, string][] = [
  ['q, Ctrl-C', 'quit (stops the capture; --out keeps what was measured)'],
  ['p', 'pause the display (collection continues)'],
  ['tab, shift-tab', 'next / previous view: CPUs, histogram, timeline, probes'],
  ['s', 'cycle the sort column'],
  ['b', 'only busy CPUs (non-idle >= 5%, or ECHILD / spin seen)'],
  ['a, w', 'last interval / whole-run averages'],
  ['g, n', 'summary lines per NUMA node or CPU group (view: n)'],
  ['j k, arrows', 'move the selection; PgUp PgDn page; Home End'],
  ['enter', 'histogram of the selected CPU'],
  ['left right', 'histogram: previous / next CPU (or all)'],
  ['r', 'why each target has its strategy (reasons)'],
  ['?', 'this help; esc closes'],
];
