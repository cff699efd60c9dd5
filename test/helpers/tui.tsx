// The live UI without a terminal, through ink-testing-library: App frames for given props, a LiveSession on a
// host that keeps its frames, and keys typed as the bytes a terminal sends.
import './ink-as-terminal.js'; // first: ink loaded as on a terminal, also under CI=true
import { cloneElement, type ReactElement } from 'react';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { App, type AppProps } from '../../cli/tui/app.js';
import { LiveSession, type LiveSessionOptions } from '../../cli/tui/live-session.js';
import type { UiHost } from '../../cli/tui/ui-host.js';

// ink colours through chalk, which turns itself off without a TTY: the tests see what a terminal gets
chalk.level = 1;

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[0-9;]*m/g;
export const plain = (s: string | undefined) => (s ?? '').replace(SGR, '');

export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

export interface Mounted {
  /** the last frame, styled */
  lastFrame(): string;
  /** the last frame without SGR codes */
  text(): string;
  stdin: { write(bytes: string): void };
  rerender(p: AppProps): void;
  unmount(): void;
}

/** App at a fixed size (100x40 unless given) in ink-testing-library. */
export function mountApp(p: AppProps): Mounted {
  const size = { width: p.width ?? 100, height: p.height ?? 40 };
  const r = render(<App {...p} {...size} />);
  return {
    lastFrame: () => r.lastFrame() ?? '',
    text: () => plain(r.lastFrame()),
    stdin: r.stdin,
    rerender: (next) => r.rerender(<App {...next} {...size} />),
    unmount: () => r.unmount(),
  };
}

/** A UiHost in ink-testing-library at a fixed size; counts the frames ink drew. */
export function testHost(width = 100, height = 30, interactive = true) {
  let r: ReturnType<typeof render> | null = null;
  let finished = false;
  const host: UiHost = {
    interactive,
    mount(el: ReactElement) {
      const sized = cloneElement(el as ReactElement<AppProps>, { width, height });
      if (r) r.rerender(sized); else r = render(sized);
    },
    finish() { finished = true; r?.unmount(); },
  };
  return {
    host,
    lastFrame: () => r?.lastFrame() ?? '',
    text: () => plain(r?.lastFrame()),
    type: (bytes: string) => r?.stdin.write(bytes),
    /** frames ink has drawn (ink-testing-library renders in debug mode: one frame per commit) */
    frames: () => r?.frames.length ?? 0,
    finished: () => finished,
  };
}

/** A started LiveSession on a test host. */
export function startSession(o: Omit<LiveSessionOptions, 'host'> & { width?: number; height?: number; interactive?: boolean }) {
  const t = testHost(o.width ?? 100, o.height ?? 30, o.interactive ?? true);
  const session = new LiveSession({ ...o, host: t.host }).start();
  let code: number | null = null;
  void session.closed.then((c) => { code = c; });
  return { ...t, session, code: () => code };
}

/** Polls until the frame matches (ink draws after input on its own schedule). */
export async function until(text: () => string, re: RegExp, ms = 8000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (re.test(text())) return text();
    await tick(10);
  }
  if (!re.test(text())) throw new Error(`frame did not show ${re}:\n${text()}`);
  return text();
}
