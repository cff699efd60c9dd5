// How many assertions the running test (and each test around it) has made: kept per test in an AsyncLocalStorage,
// so a check counts for the test whose code, callbacks or promises made it, whichever helper it went through.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Tally {
  assertions: number;
  /** The reason the test gave t.skip(reason). */
  skipped: string | undefined;
  /** The test this one is a subtest of: its assertions count for it too. */
  parent: Tally | undefined;
}

const running = new AsyncLocalStorage<Tally>();

/** A tally for a test starting now: a subtest of the test running here, if any. */
export const newTally = (): Tally => ({ assertions: 0, skipped: undefined, parent: running.getStore() });

/** Runs a test body so that the assertions it makes count in `tally`. */
export const countingIn = <T>(tally: Tally, body: () => T): T => running.run(tally, body);

/** One assertion made: it counts for the running test and every test it is a subtest of. */
export function countAssertion(): void {
  for (let t = running.getStore(); t; t = t.parent) t.assertions += 1;
}

/** Throws if a test that ended without failing checked nothing and did not skip saying why. */
export function refuseUnchecked(tally: Tally): void {
  if (tally.assertions > 0 || tally.skipped !== undefined) return;
  const refused = new Error('test guard: made no assertion: check something it could get wrong, or t.skip("what this machine lacks")');
  refused.stack = `Error: ${refused.message}`; // the test's location says where; the guard's frames would not help
  throw refused;
}
