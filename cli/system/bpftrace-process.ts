// The one door to bpftrace: spawn it in its own process group, read stdout line by line, stop it with SIGINT (so END runs).
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import { endGroup, registerGroup, unregisterGroup } from './process-groups.js';

export interface BpftraceExit { exitCode: number | null; signal: string | null; stderr: string }

export interface BpftraceProcess {
  pid: number;
  /** resolves when bpftrace has exited and its stdout is fully read */
  exited: Promise<BpftraceExit>;
  /** the last lines bpftrace wrote to stderr */
  stderrTail(): string;
  /** SIGINT (END prints the last interval), then SIGKILL after graceMs */
  stop(graceMs?: number): Promise<BpftraceExit>;
}

export interface SpawnBpftraceOptions {
  bin: string;
  script: string;
  onLine: (line: string) => void;
  env?: Record<string, string>;
}

const STDERR_KEEP = 16 * 1024;

export function spawnBpftrace(opts: SpawnBpftraceOptions): BpftraceProcess {
  // detached: its own process group, so a terminal Ctrl-C reaches rcuwalk only and rcuwalk decides the order of shutdown.
  const child = execa(opts.bin, ['-f', 'json', '-e', opts.script], {
    detached: true,
    cleanup: false,
    reject: false,
    buffer: { stdout: false, stderr: false },
    stdin: 'ignore',
    env: opts.env,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${opts.bin}`);
  registerGroup(pid);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  lines.on('line', opts.onLine);
  const stdoutDone = new Promise<void>((resolve) => lines.once('close', resolve));

  const exited = (async (): Promise<BpftraceExit> => {
    const r = await child;
    await stdoutDone;
    unregisterGroup(pid);
    return { exitCode: r.exitCode ?? null, signal: r.signal ?? null, stderr };
  })();

  return {
    pid,
    exited,
    stderrTail: () => stderr.trim().split('\n').slice(-8).join('\n'),
    async stop(graceMs = 10_000) {
      await endGroup(pid, 'SIGINT', graceMs);
      return exited;
    },
  };
}
