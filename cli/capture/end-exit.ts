// The one mapping to rcuwalk's exit code from how a capture ended and how the user left (capture, run, view, the
// live UI, and plans' stops).
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { EndReason } from '../state/events.js';

/** How the user ended a session, when it knows: Ctrl-C or a signal ('interrupt'), or q ('quit', a normal end). */
export type UserStop = 'interrupt' | 'quit';

/** The exit code for the user's way out alone (nothing was capturing, or the user did not wait for it). */
export function exitCodeForStop(userStop: UserStop): ExitCode {
  return userStop === 'interrupt' ? EXIT.interrupted : EXIT.ok;
}

/**
 * A failed run (bpftrace or the workload) is EXIT.commandFailed whatever stopped it; otherwise the user's way out
 * decides when known (q is a normal end, Ctrl-C is not), else the engine's reason: interrupted is EXIT.interrupted.
 */
export function exitCodeForEnd(reason: EndReason, userStop: UserStop | null = null): ExitCode {
  if (reason === 'error' || reason === 'workload-exited') return EXIT.commandFailed;
  return exitCodeForStop(userStop ?? (reason === 'interrupted' ? 'interrupt' : 'quit'));
}
