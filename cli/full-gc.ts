// One full garbage collection once the probes are resolved. Reading /proc/kallsyms and BTF leaves ~20 MB of
// garbage; V8 kept it until the heap had grown enough for a major GC, minutes into a capture (RSS 83 MB for the
// first minutes, then 61 MB). Collected while bpftrace compiles, it costs no time of the run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** A full GC now (V8's `gc`, reached through a fresh context once --expose-gc is set); a no-op if V8 refuses. */
export function collectStartupGarbage(): void {
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
