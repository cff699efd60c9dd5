// A capture as JSON text, piece by piece: the intervals come from an iterable (the journal, read line by line), so
// the file is written without the whole capture in memory. The text is exactly JSON.stringify(capture, null, 1) + '\n'
// for the same capture with those intervals (the format rcuwalk has always written).
import type { Capture, Interval } from '../schema/types.generated.js';

/** JSON.stringify(x, null, 1), nested `depth` levels deep (its lines indented by `depth` spaces). */
function nested(x: unknown, depth: number): string {
  const s = JSON.stringify(x, null, 1);
  // JSON strings never hold a raw newline: every '\n' in the text is a line break of the layout
  return depth === 0 ? s : s.replace(/\n/g, '\n' + ' '.repeat(depth));
}

/**
 * Yields the text of `head` with its `intervals` replaced by `intervals` (in order). The keys keep head's order
 * (head must have an `intervals` key, e.g. []: it marks where they go); undefined values are skipped like JSON does.
 */
export function* captureJsonChunks(head: Capture, intervals: Iterable<Interval>): Generator<string> {
  if (!('intervals' in head)) throw new Error('captureJsonChunks: the head has no intervals key');
  yield '{';
  let first = true;
  for (const [k, v] of Object.entries(head)) {
    if (k !== 'intervals' && (v === undefined || typeof v === 'function' || typeof v === 'symbol')) continue;
    yield `${first ? '' : ','}\n ${JSON.stringify(k)}: `;
    first = false;
    if (k !== 'intervals') { yield nested(v, 1); continue; }
    let n = 0;
    for (const iv of intervals) yield `${n++ === 0 ? '[' : ','}\n  ${nested(iv, 2)}`;
    yield n === 0 ? '[]' : '\n ]';
  }
  yield first ? '}\n' : '\n}\n';
}
