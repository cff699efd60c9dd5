// The one mapping from how a capture ended to rcuwalk's exit code (capture, run, the live UI, and plans' stops).
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { EndReason } from '../state/events.js';

/** How the user ended a live session, when it knows: Ctrl-C or a signal ('interrupt'), or q ('quit', a normal end). */
export type UserStop = 'interrupt' | 'quit';

/**
 * A failed run (bpftrace or the workload) is EXIT.commandFailed whatever stopped it; otherwise the user's way out
 * decides when known (q is a normal end, Ctrl-C is not), else the engine's reason: interrupted is EXIT.interrupted.
 */
export function exitCodeForEnd(reason: EndReason, userStop: UserStop | null = null): ExitCode {
  if (reason === 'error' || reason === 'workload-exited') return EXIT.commandFailed;
  if (userStop !== null) return userStop === 'interrupt' ? EXIT.interrupted : EXIT.ok;
  return reason === 'interrupted' ? EXIT.interrupted : EXIT.ok;
}
