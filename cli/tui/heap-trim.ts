// Keeps the live UI's heap near its live size. Every ink frame leaves ~1 MB of garbage (a styled cell per
// character on the screen); V8 lets old-generation garbage pile up to several times the live heap before a full
// GC, which put the UI's peak RSS 20-50 MB above a headless capture's (107-139 MB against 85). A full GC when the
// heap has grown past what the last one left by that much again (at least 16 MB: every dozen or so frames on a
// small host, ~10 ms each) holds it there; relative, so a large live heap (128 CPUs, a baseline, an hour of
// intervals) is not collected every frame (that cost 8-80 ms per frame).
import { getHeapStatistics } from 'node:v8';
import { fullGc } from '../full-gc.js';

const GROWTH = 16 * 1024 * 1024;
let live: number | null = null;

export function trimHeap(): void {
  const used = getHeapStatistics().used_heap_size;
  if (live === null) { live = used; return; }
  if (used < live + Math.max(GROWTH, live)) return;
  fullGc();
  live = getHeapStatistics().used_heap_size;
}
