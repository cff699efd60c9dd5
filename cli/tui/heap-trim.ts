// Keeps the live UI's heap small. Every ink frame leaves ~1 MB of garbage (a styled cell per character on the
// screen); V8 lets old-generation garbage pile up to several times the live heap before a full GC, which put the
// UI's peak RSS 20-50 MB above a headless capture's (107-139 MB against 85). A full GC whenever the heap has
// grown past LIMIT (every few dozen frames, ~10 ms each) holds it near the live size.
import { getHeapStatistics } from 'node:v8';
import { collectStartupGarbage as fullGc } from '../capture/startup-garbage.js';

const LIMIT = 32 * 1024 * 1024;

export function trimHeap(): void {
  if (getHeapStatistics().used_heap_size > LIMIT) fullGc();
}
