// Parsed "<kstack>,<cpu>" keys of the contention maps, remembered per capture. The same keys come back every interval
// (V8 internalizes JSON keys, so looking them up is cheap), and splitting them was most of a 128-CPU tick. A memo of a
// pure function, so the reducer stays pure; one per capture (initialState makes it), so captures in one process
// (ab, sweep trials) share nothing. Two generations, rotated every KEY_GENERATION_TICKS ticks: it holds the keys seen
// lately (a long run meets ever more distinct stacks; memory stays flat), never more than KEYS_CAP.
import { stackCpuKey, stackFrames, stackHolds } from '../bpftrace/keys.js';
import { LOCKREF_SYMBOL } from '../facts/target-functions.js';

export interface ParsedStack { stack: string; frames: string[]; lockref: boolean }
export type ParsedKey = (ParsedStack & { cpu: number }) | null;

const KEY_GENERATION_TICKS = 64;
const KEYS_CAP = 100_000;

export class KeyMemo {
  private keysNow = new Map<string, ParsedKey>();
  private keysBefore = new Map<string, ParsedKey>();
  // stack texts (a stack comes once per CPU it ran on): the same two generations
  private stacksNow = new Map<string, ParsedStack>();
  private stacksBefore = new Map<string, ParsedStack>();
  private ticksInGeneration = 0;

  /** Called once per tick: starts a new generation every KEY_GENERATION_TICKS ticks or when full. */
  rotate(): void {
    if (++this.ticksInGeneration < KEY_GENERATION_TICKS && this.keysNow.size < KEYS_CAP) return;
    this.ticksInGeneration = 0;
    this.keysBefore = this.keysNow;
    this.keysNow = new Map();
    this.stacksBefore = this.stacksNow;
    this.stacksNow = new Map();
  }

  /** A "<kstack>,<cpu>" key -> its frames, whether it holds LOCKREF_SYMBOL, and its CPU (null: not such a key). */
  parseKey(key: string): ParsedKey {
    let p = this.keysNow.get(key);
    if (p !== undefined) return p;
    p = this.keysBefore.get(key);
    if (p === undefined) {
      const sc = stackCpuKey(key);
      const st = sc && this.parseStack(sc.stack);
      // written out field by field: every parsed key has one object shape (a spread made ticks 2.5x slower)
      p = sc && st ? { stack: st.stack, frames: st.frames, lockref: st.lockref, cpu: sc.cpu } : null;
    }
    this.keysNow.set(key, p);
    return p;
  }

  private parseStack(text: string): ParsedStack {
    let p = this.stacksNow.get(text) ?? this.stacksBefore.get(text);
    if (!p) {
      const frames = stackFrames(text);
      p = { stack: frames.join('\n'), frames, lockref: stackHolds(frames, LOCKREF_SYMBOL) };
    }
    this.stacksNow.set(text, p);
    return p;
  }
}
