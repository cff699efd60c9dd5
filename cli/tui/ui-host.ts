// Where the live UI is drawn: ink on the process's terminal (inkHost), or ink-testing-library's in tests. A host
// mounts the UI once; its frames come from the stores the UI reads (ink coalesces renders within its frame
// interval). On finish() it leaves the last frame on screen with the cursor below it and the terminal's input mode
// restored.
import type { ReactElement } from 'react';
import type { Instance, RenderOptions } from 'ink';

export interface UiHost {
  /** keys can be read (stdin is a terminal): without, nobody can press q */
  readonly interactive: boolean;
  /** shows the UI (a second call replaces the element) */
  mount(el: ReactElement): void;
  finish(): void;
}

/** A host over ink's render(). */
export function inkHost(render: (el: ReactElement, o: RenderOptions) => Instance, stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): UiHost {
  let inst: Instance | null = null;
  let done = false;
  return {
    interactive: stdin.isTTY === true && typeof stdin.setRawMode === 'function',
    mount(el) {
      if (done) return;
      if (inst) { inst.rerender(el); return; }
      // ctrl-c and console output are ours to handle. Not incrementalRendering: in ink 6.8 it loses track of the
      // frame's lines (in tmux the footer was drawn again one line lower each frame)
      inst = render(el, { stdin, stdout, exitOnCtrlC: false, patchConsole: false });
    },
    finish() {
      if (done) return;
      done = true;
      inst?.unmount();
      inst?.cleanup();
    },
  };
}
