// The one door to the workload: N shell loops in one process group, each printing its index per completed run,
// and a ballast group of idle processes. Both notice rcuwalk's death on their own (see the scripts).
import { execa } from 'execa';
import { createInterface } from 'node:readline';
import { endGroup, registerGroup } from './process-groups.js';

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

// $1 = idle processes, $2 = rcuwalk's pid. The sleepers live until the group is killed, or rcuwalk is gone.
const BALLAST_SCRIPT = `
n=$1; parent=$2
i=0
while [ "$i" -lt "$n" ]; do sleep 2147483 & i=$((i+1)); done
echo ready
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
kill -KILL 0
`;

export interface WorkloadSpec { kind: 'ps' | 'cmd'; parallel: number; command?: string }

export interface Workers {
  pid: number;
  /** runs completed per worker since the last call (and resets the counts) */
  takeRuns(): number[];
  /** resolves if the workers' shell exits by itself */
  exited: Promise<{ exitCode: number | null; stderr: string }>;
  stop(): Promise<void>;
}

export function startWorkers(spec: WorkloadSpec): Workers {
  const counts = new Array<number>(spec.parallel).fill(0);
  const child = execa('bash', ['-c', WORKERS_SCRIPT, 'rcuwalk-workers', String(spec.parallel), spec.kind, spec.command ?? ''], {
    detached: true, cleanup: false, reject: false, stdin: 'ignore', buffer: { stdout: false, stderr: true },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the workload shell (bash)');
  registerGroup(pid);
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  lines.on('line', (line) => {
    const w = Number(line);
    if (Number.isInteger(w) && w >= 0 && w < counts.length) counts[w]! += 1;
  });
  const exited = (async () => {
    const r = await child;
    return { exitCode: r.exitCode ?? null, stderr: String(r.stderr ?? '') };
  })();
  return {
    pid,
    takeRuns() {
      const out = counts.slice();
      counts.fill(0);
      return out;
    },
    exited,
    async stop() {
      await endGroup(pid, 'SIGTERM', 3000);
      await exited;
    },
  };
}

export interface Ballast { pid: number; stop(): Promise<void> }

/** Starts n idle processes (so /proc is as large as on a busy host); resolves once all exist. */
export async function startBallast(n: number): Promise<Ballast> {
  const child = execa('bash', ['-c', BALLAST_SCRIPT, 'rcuwalk-ballast', String(n), String(process.pid)], {
    detached: true, cleanup: false, reject: false, stdin: 'ignore', buffer: { stdout: false, stderr: true },
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
