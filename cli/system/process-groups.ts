// Every process group rcuwalk starts is registered here, so that every exit path (even an uncaught error) ends it.
const live = new Set<number>();
let hooked = false;

function killAllNow(): void {
  for (const pgid of live) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
  live.clear();
}

/** Track a process group (the child was spawned detached, so its pid is the pgid). */
export function registerGroup(pgid: number): void {
  live.add(pgid);
  if (!hooked) {
    hooked = true;
    // 'exit' handlers must be synchronous: SIGKILL whatever is still registered.
    process.on('exit', killAllNow);
  }
}

export function unregisterGroup(pgid: number): void {
  live.delete(pgid);
}

/** Send a signal to a whole group; false when it no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try { process.kill(-pgid, signal); return true; } catch { return false; }
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** Ask a group to end (signal), then SIGKILL it after graceMs; resolves once it is gone (or after the kill). */
export async function endGroup(pgid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  signalGroup(pgid, signal);
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
    const hard = Date.now() + 2000;
    while (groupAlive(pgid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 20));
  }
  unregisterGroup(pgid);
}
