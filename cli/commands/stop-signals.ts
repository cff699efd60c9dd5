// The one handler of SIGINT/SIGTERM/SIGHUP: the first asks the capture to stop (keeping what was measured), a second
// exits at once with EXIT.interrupted (through bin.ts: its 'exit' hook kills every process group rcuwalk started).
import { EXIT } from '../exit-codes.js';
import { exitNow } from '../exit-now.js';

export interface StopSignalOptions {
  /** say on stderr that rcuwalk is stopping (default true; the live UI says it on screen) */
  announce?: boolean;
  /** run before exiting at the second signal (the live UI restores the terminal) */
  beforeExit?: () => void;
}

/** Installs the handler; returns the function that removes it. */
export function installStopSignals(stop: (signal: NodeJS.Signals) => void, opts: StopSignalOptions = {}): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      if (opts.announce !== false) process.stderr.write(`rcuwalk: ${signal}: stopping, keeping what was measured (again to quit at once)\n`);
      stop(signal);
    } else {
      opts.beforeExit?.();
      exitNow(EXIT.interrupted);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => { for (const s of signals) process.off(s, handler); };
}
