// SIGINT/SIGTERM/SIGHUP ask the capture to stop (keeping what was measured); a second signal exits at once.
export function installStopSignals(stop: () => void): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      process.stderr.write(`rcuwalk: ${signal}: stopping, keeping what was measured (again to quit at once)\n`);
      stop();
    } else {
      process.exit(130); // the 'exit' hook still kills every process group rcuwalk started
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => { for (const s of signals) process.off(s, handler); };
}
