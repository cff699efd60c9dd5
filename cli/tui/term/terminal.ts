// What the live session needs from a terminal: its size, a place to draw frames of lines, key presses, resizes.
// tty.ts is the real one (stdin in raw mode, stdout); tests use one that keeps the frames.
import type { Key } from './keys.js';

export interface Terminal {
  columns(): number;
  rows(): number;
  /** keys can be read (stdin is a terminal in raw mode): without, nobody can press q */
  readonly interactive: boolean;
  /** draw these lines as the current frame */
  frame(lines: readonly string[]): void;
  /** leave the last frame on screen, cursor below it, input released */
  finish(): void;
  onKey(cb: (k: Key) => void): () => void;
  onResize(cb: () => void): () => void;
}
