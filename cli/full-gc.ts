// A full garbage collection on demand: the engine's, once the probes are resolved (their startup garbage). The
// live UI forces none (its heap growth is capped at start: the bin's shebang).
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
