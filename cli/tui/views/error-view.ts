// An error found at start (not root, bpftrace missing, probes unavailable): what is wrong and the next step. Pure.
import { c } from '../theme.js';
import { styled } from '../text/style.js';
import { wrapPlain } from '../text/width.js';
import { boxLines } from './box.js';

/** lines as from describeError: the first says what is wrong, `  next: …` what to do, the rest context. */
export function errorLines(lines: readonly string[], width: number, color: boolean): string[] {
  const [first, ...rest] = lines;
  const inner = Math.max(1, width - 4);
  const body = wrapPlain(first ?? 'rcuwalk: failed', inner).map((l) => styled(l, { bold: true, color: c(color, 'red') }));
  for (const l of rest) {
    const next = l.trimStart().startsWith('next:');
    for (const w of wrapPlain(l.trim(), inner)) body.push(styled(w, { bold: next, color: next ? c(color, 'green') : undefined }));
  }
  return boxLines(body, width, color, 'red');
}
