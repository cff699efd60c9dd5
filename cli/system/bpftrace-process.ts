// The one door to bpftrace: spawn it in its own process group, read stdout line by line, stop it with SIGINT (so END runs).
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import { endGroup, registerGroup, unregisterGroup } from './process-groups.js';
import { findOnPath } from './find-on-path.js';

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
  /** false: the watchdog shell even when setpriv is there (tests of that path) */
  deathSignal?: boolean;
}

const STDERR_KEEP = 16 * 1024;

// bpftrace only notices rcuwalk's death (SIGPIPE) at its next print: with --interval 1h its probes would stay
// attached for up to an hour after a SIGKILL. So bpftrace starts through `setpriv --pdeathsig INT` (util-linux):
// the kernel sends it SIGINT the moment rcuwalk is gone, however it died, and setpriv execs bpftrace (one process,
// bpftrace's pid). Without setpriv, a watchdog shell (its own group, ended with bpftrace) reads its stdin, a
// pipe whose other end only rcuwalk holds and never writes: the read returns (end of file) the moment rcuwalk is
// gone, however it died, and the watchdog ends bpftrace's group ($1): SIGINT, then SIGKILL. No polling.
const WATCHDOG_SCRIPT = `
group=$1
read -r _
kill -INT -"$group" 2>/dev/null
i=0
while [ "$i" -lt 10 ] && kill -0 -"$group" 2>/dev/null; do sleep 0.5; i=$((i+1)); done
kill -KILL -"$group" 2>/dev/null
exit 0
`;

/** setpriv, looked up once; null: start bpftrace plainly and watch it with the shell */
let setprivPath: string | null | undefined;
function setpriv(): string | null {
  if (setprivPath === undefined) setprivPath = findOnPath('setpriv');
  return setprivPath;
}

function startWatchdog(group: number): number | undefined {
  const dog = execa('sh', ['-c', WATCHDOG_SCRIPT, 'rcuwalk-watchdog', String(group)], {
    detached: true, cleanup: false, reject: false, stdin: 'pipe', stdout: 'ignore', stderr: 'ignore',
  });
  if (dog.pid !== undefined) registerGroup(dog.pid);
  void dog.then(() => { if (dog.pid !== undefined) unregisterGroup(dog.pid); });
  return dog.pid;
}

export function spawnBpftrace(opts: SpawnBpftraceOptions): BpftraceProcess {
  // detached: its own process group, so a terminal Ctrl-C reaches rcuwalk only and rcuwalk decides the order of shutdown.
  const sp = opts.deathSignal === false ? null : setpriv();
  const [file, args] = sp
    ? [sp, ['--pdeathsig', 'INT', '--', opts.bin, '-f', 'json', '-e', opts.script]]
    : [opts.bin, ['-f', 'json', '-e', opts.script]];
  const child = execa(file, args, {
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
  const watchdog = sp ? undefined : startWatchdog(pid);

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
    if (watchdog !== undefined) await endGroup(watchdog, 'SIGKILL', 1000);
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
