// Every test and subtest body node:test runs, counted (tally.ts) and refused when it checked nothing. node runs a body
// as `test.runInAsyncScope(fn, ctx, ctx[, done])` from its Test resource (node 20's lib/internal/test_runner/test.js):
// wrapping that one method sees each body with its context. Wrapping test() instead would make node report every
// test's location as this file's. test/unit/guard/guard.test.ts fails if node stops running bodies this way.
import { AsyncResource } from 'node:async_hooks';
import type { TestContext } from 'node:test';
import { counted } from './counting-assert.js';
import { countingIn, newTally, refuseUnchecked, type Tally } from './tally.js';

/** What is read of node's Test resource: its class, body and static skip (`{ skip }` / test.skip). */
interface NodeTest { constructor?: { name: string }; fn: unknown; skipped: boolean; message: string | null | undefined }
type Body = (this: TestContext, t: TestContext, done?: (err?: unknown) => void) => unknown;
type AnyFunction = (...args: never[]) => unknown;

const NO_REASON = 'test guard: skipped without saying why: t.skip("what this machine lacks"), or { skip: "..." }';
const tallies = new WeakMap<TestContext, Tally>();
const patched = new WeakSet<object>();

/** The body with its assertions counted, refused at its end if it checked nothing. */
function guarded(body: Body, t: TestContext, done: ((err?: unknown) => void) | undefined): unknown {
  const tally = newTally();
  tallies.set(t, tally);
  if (done) {
    // the error-first callback form: the test ends when it calls done
    return countingIn(tally, () => body.call(t, t, (err?: unknown) => {
      if (err) return done(err);
      try { refuseUnchecked(tally); } catch (refused) { return done(refused); }
      done();
    }));
  }
  const ended = countingIn(tally, () => body.call(t, t));
  return Promise.resolve(ended).then(() => refuseUnchecked(tally));
}

/** t.skip() must say why; t.assert's checks count. Done once, on the contexts' prototype. */
function patchContexts(t: TestContext): void {
  const proto = Object.getPrototypeOf(t) as TestContext;
  if (patched.has(proto)) return;
  patched.add(proto);
  const skip = proto.skip;
  proto.skip = function (this: TestContext, message?: string) {
    if (!message) throw new Error(NO_REASON);
    const tally = tallies.get(this);
    if (tally) tally.skipped = message;
    skip.call(this, message);
  };
  const assertGetter = Object.getOwnPropertyDescriptor(proto, 'assert');
  const copies = new WeakMap<object, object>();
  if (assertGetter?.get) {
    const get = assertGetter.get;
    Object.defineProperty(proto, 'assert', {
      ...assertGetter,
      get(this: TestContext) {
        const real = get.call(this) as Record<string, AnyFunction>;
        let copy = copies.get(real);
        if (!copy) copies.set(real, copy = Object.fromEntries(Object.entries(real).map(([k, f]) => [k, counted(f, k === 'ok')])));
        return copy;
      },
    });
  }
}

const runInAsyncScope = AsyncResource.prototype.runInAsyncScope;
AsyncResource.prototype.runInAsyncScope = function (this: NodeTest, fn: Body, thisArg: TestContext, ...args: unknown[]) {
  if (this.constructor?.name !== 'Test' || fn !== this.fn) return Reflect.apply(runInAsyncScope, this, [fn, thisArg, ...args]);
  if (this.skipped && !this.message) {
    // a reason-less `{ skip: true }` / test.skip(): run as a failing test (node reports a skipped test's error as a skip)
    this.skipped = false;
    return Reflect.apply(runInAsyncScope, this, [() => { throw new Error(NO_REASON); }, thisArg, ...args]);
  }
  if (this.skipped) return Reflect.apply(runInAsyncScope, this, [fn, thisArg, ...args]);
  patchContexts(thisArg);
  const done = typeof args[1] === 'function' ? args[1] as (err?: unknown) => void : undefined;
  return Reflect.apply(runInAsyncScope, this, [(t: TestContext) => guarded(fn, t, done), thisArg, ...args]);
} as typeof AsyncResource.prototype.runInAsyncScope;
