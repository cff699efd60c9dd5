// Two kinds of errors: what the user must fix (with the next step), and failures of external commands (with command and stderr).
import { EXIT, type ExitCode } from './exit-codes.js';

/** Something the user must fix. `message` says what is wrong; `next` says what to do. One line each. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, readonly next: string, readonly exitCode: ExitCode = EXIT.usage) {
    super(message);
  }
}

/** An external command failed: carries the command line and the tail of its stderr. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(message: string, readonly command: string, readonly stderr: string, readonly exitCode: ExitCode = EXIT.commandFailed) {
    super(message);
  }
}

/** The one line (two with the next step) printed for an error, and its exit code. */
export function describeError(err: unknown): { lines: string[]; exitCode: ExitCode } {
  if (err instanceof UserError) return { lines: [`rcuwalk: ${err.message}`, `  next: ${err.next}`], exitCode: err.exitCode };
  if (err instanceof CommandError) {
    const tail = err.stderr.trim().split('\n').slice(-5).map((l) => `  | ${l}`);
    return { lines: [`rcuwalk: ${err.message}`, `  command: ${err.command}`, ...tail], exitCode: err.exitCode };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { lines: [`rcuwalk: internal error: ${e.stack ?? e.message}`], exitCode: EXIT.internal };
}
