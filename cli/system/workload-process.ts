// The one door to the workload: N shell loops in one process group, each printing its index per completed run,
// and a ballast group of idle processes. Both notice rcuwalk's death on their own (see the scripts).
import { execa, execaSync } from 'execa';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CommandError } from '../errors.js';
import { endGroup, registerGroup } from './process-groups.js';
import { RunTally } from './run-tally.js';

/** The upstream report's reproducer. */
export const PS_COMMAND = 'TZ=/etc/localtime ps -fe >/dev/null';

// $1 = workers, $2 = kind (ps|cmd), $3 = user command (cmd only; run with eval in a subshell, never spliced into this text).
// A worker writes its index after each run; when rcuwalk is gone the write fails (SIGPIPE) and the loop ends.
const WORKERS_SCRIPT = `
n=$1; kind=$2; cmd=$3
i=0
while [ "$i" -lt "$n" ]; do
  if [ "$kind" = ps ]; then
    ( while :; do TZ=/etc/localtime ps -fe >/dev/null; echo "$i" || exit 0; done ) &
  else
    ( while :; do ( eval "$cmd" ) >/dev/null 2>&1 </dev/null; echo "$i" || exit 0; done ) &
  fi
  i=$((i+1))
done
wait
`;

// $1 = idle processes. The sleepers live until the group is killed, or rcuwalk is gone: stdin is a pipe only
// rcuwalk holds and never writes, so the read returns (end of file) when rcuwalk dies.
const BALLAST_SCRIPT = `
n=$1
i=0
while [ "$i" -lt "$n" ]; do sleep 2147483 </dev/null & i=$((i+1)); done
echo ready
read -r _
kill -KILL 0
`;

export interface WorkloadSpec { kind: 'ps' | 'cmd'; parallel: number; command?: string }

export interface Workers {
  pid: number;
  /** runs completed per worker since the last call (and resets the counts) */
  takeRuns(): number[];
  /** resolves if the workers' shell exits by itself */
  exited: Promise<{ exitCode: number | null; stderr: string }>;
  /**
   * resolves (never rejects) if reading the run counts fails (EIO, EBADF...: not the pipe being empty). Reading
   * stops there (the counts stay as they were); the workers run on until stop().
   */
  failed: Promise<CommandError>;
  stop(): Promise<void>;
}

/** How often the run reports are drained between takes, so a fast workload never fills the pipe (64 KiB). */
const DRAIN_MS = 250;

/**
 * The workers' stdout is a FIFO that rcuwalk reads only when it needs the counts (each tick, and every
 * DRAIN_MS): a pipe node watched would wake rcuwalk once per completed run (hundreds per second), which was
 * most of its CPU while capturing. The FIFO's name is gone before the workers start (no file is left behind).
 */
function openRunPipe(): { readFd: number; writeFd: number } {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-runs-'));
  try {
    const path = join(dir, 'runs');
    execaSync('mkfifo', ['-m', '600', path]);
    // the read end first, non-blocking (an open for reading alone would wait for a writer)
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    // the write end blocks when the pipe is full (workers wait, never fail a write) and dies with its reader
    const writeFd = openSync(path, constants.O_WRONLY);
    return { readFd, writeFd };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** reads the run FIFO (readSync; a test passes one that fails) */
export type ReadRuns = (fd: number, buffer: Buffer, offset: number, length: number, position: null) => number;

export function startWorkers(spec: WorkloadSpec, readRuns: ReadRuns = readSync): Workers {
  const tally = new RunTally(spec.parallel);
  const { readFd, writeFd } = openRunPipe();
  let child;
  try {
    child = execa('bash', ['-c', WORKERS_SCRIPT, 'rcuwalk-workers', String(spec.parallel), spec.kind, spec.command ?? ''], {
      detached: true, cleanup: false, reject: false, stdin: 'ignore', buffer: { stderr: true },
      // execa passes any integer fd through to the child (its types list only 1 and 2)
      stdout: writeFd as unknown as 1,
    });
  } finally {
    closeSync(writeFd); // the workers hold the only write ends now: when they are gone, reads see end-of-file
  }
  const pid = child.pid;
  if (pid === undefined) { closeSync(readFd); throw new Error('could not start the workload shell (bash)'); }
  registerGroup(pid);
  const buf = Buffer.allocUnsafe(65536);
  let open = true;
  let broken = false;
  let onFailed: (err: CommandError) => void = () => {};
  const failed = new Promise<CommandError>((r) => { onFailed = r; });
  // runs from a timer and from the engine's line handler: a failed read is told through `failed`, never thrown
  const drain = () => {
    while (open && !broken) {
      let n: number;
      try { n = readRuns(readFd, buf, 0, buf.length, null); } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return;
        broken = true;
        clearInterval(timer);
        const why = err instanceof Error ? err.message : String(err);
        onFailed(new CommandError(`cannot read the workload's run counts: ${why}`, `rcuwalk-workers: ${spec.parallel} x ${spec.kind === 'ps' ? PS_COMMAND : spec.command ?? ''}`, ''));
        return;
      }
      if (n === 0) return; // no writer left
      tally.feed(buf, n);
    }
  };
  const timer = setInterval(drain, DRAIN_MS);
  timer.unref();
  const close = () => {
    if (!open) return;
    drain();
    open = false;
    clearInterval(timer);
    try { closeSync(readFd); } catch { /* a failed read may have been EBADF */ }
  };
  const exited = (async () => {
    const r = await child;
    return { exitCode: r.exitCode ?? null, stderr: String(r.stderr ?? '') };
  })();
  return {
    pid,
    takeRuns() {
      drain();
      return tally.take();
    },
    exited,
    failed,
    async stop() {
      await endGroup(pid, 'SIGTERM', 3000);
      await exited;
      close();
    },
  };
}

export interface Ballast { pid: number; stop(): Promise<void> }

/** Starts n idle processes (so /proc is as large as on a busy host); resolves once all exist. */
export async function startBallast(n: number): Promise<Ballast> {
  const child = execa('bash', ['-c', BALLAST_SCRIPT, 'rcuwalk-ballast', String(n)], {
    detached: true, cleanup: false, reject: false, stdin: 'pipe', buffer: { stdout: false, stderr: true },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the ballast shell (bash)');
  registerGroup(pid);
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  await new Promise<void>((resolve, reject) => {
    lines.once('line', () => resolve());
    void child.then((r) => reject(new Error(`ballast shell exited early: ${String(r.stderr ?? '')}`)));
  });
  return {
    pid,
    async stop() {
      await endGroup(pid, 'SIGKILL', 2000);
      await child;
    },
  };
}
