// A full garbage collection on demand: the engine's once the probes are resolved (their startup garbage), the live
// UI's when its heap has grown (tui/heap-trim.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** A full GC now (V8's `gc`, reached through a fresh context once --expose-gc is set); a no-op if V8 refuses. */
export function fullGc(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
