// Leaving at once (a second Ctrl-C): only cli/bin.ts ends the process, and registers here how it does. Its 'exit'
// hooks still run (every process group rcuwalk started is killed, the terminal restored).
import type { ExitCode } from './exit-codes.js';

let leave: ((code: ExitCode) => void) | null = null;

/** cli/bin.ts: how to end the process now. */
export function setExitNow(fn: (code: ExitCode) => void): void {
  leave = fn;
}

/** Ends the process with `code` (without bin.ts, as in tests: only sets process.exitCode). */
export function exitNow(code: ExitCode): void {
  if (leave) leave(code);
  else process.exitCode = code;
}
