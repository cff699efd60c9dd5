// `rcuwalk view`: the live UI over a recorded run, with a time cursor. left/right step through the intervals,
// Home/End jump to the first/last, `g` then digits and enter go to an interval number (#, as in the timeline), `w`
// (or `a`) shows the whole run instead of the interval under the cursor. Everything else is the live UI's keys.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Text, type Key } from 'ink';
import type { Capture } from '../schema/types.generated.js';
import type { RunSource } from '../view/load-run.js';
import type { CaptureState } from '../state/state.js';
import { App, type QuitHow } from './app.js';
import { clampCursor, viewState, type ViewCursor } from '../view/view-state.js';
import { KEY_HELP } from './view-model/ui-state.js';
import { c } from './theme.js';
import { sanitize } from './sanitize.js';

export interface ViewerProps {
  run: RunSource;
  /** the file's name, for the cursor line */
  label: string;
  baseline?: Capture | null;
  baselineLabel?: string | null;
  color?: boolean;
  onQuit?: (how: QuitHow) => void;
  /** an interval that is not what the schema says, met when first shown (a UserError: exit 2) */
  onError?: (err: unknown) => void;
  width?: number;
  height?: number;
  /** where the cursor starts (default: the last interval) */
  initialIndex?: number;
}

export const VIEW_KEY_HELP: readonly (readonly [string, string])[] = [
  ['left right', 'previous / next interval (the time cursor)'],
  ['Home End', 'first / last interval'],
  ['g 12 enter', 'go to interval #12 (esc cancels)'],
  ['w, a', 'the interval under the cursor / the whole run'],
  ...KEY_HELP.filter(([k]) => !['a, w', 'left right', 'g, n'].includes(k)),
  ['n', 'summary lines per NUMA node or CPU group'],
  ['h l', 'histogram: previous / next CPU (or all)'],
];

/** The index of the interval numbered `seq` (or the nearest before it). */
export function indexOfSeq(src: RunSource, seq: number): number {
  let lo = 0, hi = src.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (src.seqAt(mid) <= seq) lo = mid; else hi = mid - 1;
  }
  return Math.max(0, lo);
}

export function Viewer(p: ViewerProps) {
  const cap = p.run;
  const n = cap.count;
  const [cur, setCur] = useState<ViewCursor>({ index: clampCursor(cap, p.initialIndex ?? n - 1), span: 'interval' });
  const [typing, setTyping] = useState<string | null>(null);
  // keys arrive faster than renders: the handler reads the latest values
  const live = useRef({ cur, typing });
  live.current = { cur, typing };
  const state = useMemo((): CaptureState | Error => {
    try { return viewState(cap, cur); } catch (err) { return err instanceof Error ? err : new Error(String(err)); }
  }, [cap, cur]);
  const color = p.color ?? true;
  // an interval that fails its schema check is reported once, after the render that met it (not during it)
  const { onError } = p;
  useEffect(() => { if (state instanceof Error) onError?.(state); }, [state, onError]);

  const move = (to: (i: number) => number) => {
    const next = { ...live.current.cur, index: clampCursor(cap, to(live.current.cur.index)), span: 'interval' as const };
    live.current.cur = next;
    setCur(next);
  };
  const setTyped = (t: string | null) => { live.current.typing = t; setTyping(t); };

  const onKey = (input: string, key: Key): boolean => {
    const t = live.current.typing;
    if (t !== null) {
      if (key.ctrl && input === 'c') return false;
      if (/^[0-9]$/.test(input)) setTyped(t + input);
      else if (key.backspace || key.delete) setTyped(t.slice(0, -1));
      else if (key.return) { if (t !== '') move(() => indexOfSeq(cap, Number(t))); setTyped(null); }
      else if (key.escape || input === 'q') setTyped(null);
      return true;
    }
    if (input === 'g') { setTyped(''); return true; }
    if (input === 'w' || input === 'a') {
      const next = { ...live.current.cur, span: live.current.cur.span === 'interval' ? 'run' as const : 'interval' as const };
      live.current.cur = next;
      setCur(next);
      return true;
    }
    if (key.leftArrow) { move((i) => i - 1); return true; }
    if (key.rightArrow) { move((i) => i + 1); return true; }
    if (key.home) { move(() => 0); return true; }
    if (key.end) { move(() => n - 1); return true; }
    return false;
  };

  if (state instanceof Error) return null;
  const iv = n > 0 ? cap.at(cur.index) : undefined;
  const where = n === 0 ? 'no intervals in this run'
    : cur.span === 'run' ? `whole run: ${n} intervals, ${(cap.head.run.elapsedMs / 1000).toFixed(1)}s`
    : `interval #${iv!.seq} (${cur.index + 1}/${n})  t ${(iv!.startMs / 1000).toFixed(1)}-${(iv!.endMs / 1000).toFixed(1)}s`;
  const banner = (
    <Text wrap="truncate">
      <Text bold color={c(color, 'cyan')}>{sanitize(`view ${p.label}`)}</Text>{'  '}
      <Text inverse={cur.span === 'interval'}>{where}</Text>
      {typing !== null
        ? <Text color={c(color, 'yellow')}>{`  go to interval #: ${typing}_  (enter, esc)`}</Text>
        : <Text dimColor>  ←/→ Home/End g:go to  w:{cur.span === 'run' ? 'interval' : 'whole run'}</Text>}
    </Text>
  );
  return (
    <App
      state={state} baseline={p.baseline ?? null} baselineLabel={p.baselineLabel ?? null} color={color}
      width={p.width} height={p.height} onQuit={p.onQuit} onKey={onKey} banner={banner} bannerLines={1}
      span={cur.span === 'run' ? 'run' : 'now'} spanLabels={['interval', 'whole run']} keyHelp={VIEW_KEY_HELP}
      histogramNote="the whole run's (a capture keeps no histogram per interval)"
    />
  );
}
