// The door for short external commands (bpftrace --version, bpftrace -d, uname): run to completion, capture output.
import { execa } from 'execa';
import { CommandError } from '../errors.js';

export interface CommandResult { stdout: string; stderr: string; exitCode: number }
export interface RunOptions { signal?: AbortSignal; timeoutMs?: number; input?: string; env?: Record<string, string>; allowFailure?: boolean }

/** Runs `file args...` (never through a shell). Throws CommandError on a non-zero exit unless allowFailure. */
export async function runCommand(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const display = [file, ...args].join(' ');
  try {
    const r = await execa(file, args, {
      reject: false,
      cancelSignal: opts.signal,
      timeout: opts.timeoutMs ?? 60_000,
      input: opts.input,
      env: opts.env,
      stripFinalNewline: false,
      forceKillAfterDelay: 2000,
    });
    if (r.failed && r.exitCode === undefined) {
      throw new CommandError(`${file} could not run: ${r.shortMessage}`, display, String(r.stderr ?? ''));
    }
    const result = { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
    if (result.exitCode !== 0 && !opts.allowFailure) {
      throw new CommandError(`${file} exited with ${result.exitCode}`, display, result.stderr);
    }
    return result;
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError(`${file} could not run: ${(err as Error).message}`, display, '');
  }
}
