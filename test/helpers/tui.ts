// The live UI without a terminal: AppView frames for given props, a LiveSession on a terminal that keeps its
// frames, and keys typed as the bytes a terminal sends. What ink-testing-library did for the ink version.
import { AppView, type AppProps } from '../../cli/tui/app-view.js';
import { LiveSession, type LiveSessionOptions } from '../../cli/tui/live-session.js';
import { parseKeys, type Key } from '../../cli/tui/term/keys.js';
import type { Terminal } from '../../cli/tui/term/terminal.js';
import type { UiState } from '../../cli/tui/view-model/ui-state.js';

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[0-9;]*m/g;
export const plain = (s: string | undefined) => (s ?? '').replace(SGR, '');

export interface Mounted {
  /** the last frame, styled */
  lastFrame(): string;
  /** the last frame without SGR codes */
  text(): string;
  stdin: { write(bytes: string): void };
  rerender(p: AppProps): void;
}

/** AppView at a fixed size: each key and rerender draws a new frame (synchronously). */
export function mountApp(p: AppProps & { width?: number; height?: number; initial?: Partial<UiState> }): Mounted {
  const view = new AppView(p.initial);
  const width = p.width ?? 100, height = p.height ?? 40;
  let props: AppProps = p;
  let frame = view.frame(props, width, height).join('\n');
  return {
    lastFrame: () => frame,
    text: () => plain(frame),
    stdin: { write(bytes) { for (const k of parseKeys(bytes)) { view.key(k, props); frame = view.frame(props, width, height).join('\n'); } } },
    rerender(next) { props = next; frame = view.frame(props, width, height).join('\n'); },
  };
}

/** A Terminal that keeps the frames drawn on it; keys are fed with type(). */
export function memoryTerminal(width = 100, height = 30, interactive = true) {
  const frames: string[] = [];
  const keys = new Set<(k: Key) => void>();
  let finished = false;
  const term: Terminal = {
    columns: () => width,
    rows: () => height,
    interactive,
    frame: (lines) => { frames.push(lines.join('\n')); },
    finish: () => { finished = true; },
    onKey: (cb) => { keys.add(cb); return () => { keys.delete(cb); }; },
    onResize: () => () => undefined,
  };
  return {
    term,
    frames,
    text: () => plain(frames[frames.length - 1]),
    type: (bytes: string) => { for (const k of parseKeys(bytes)) for (const l of keys) l(k); },
    finished: () => finished,
  };
}

/** A started LiveSession on a memory terminal. */
export function startSession(o: Omit<LiveSessionOptions, 'term'> & { width?: number; height?: number }) {
  const t = memoryTerminal(o.width ?? 100, o.height ?? 30);
  const session = new LiveSession({ ...o, term: t.term }).start();
  let code: number | null = null;
  void session.closed.then((c) => { code = c; });
  return { ...t, session, code: () => code };
}
