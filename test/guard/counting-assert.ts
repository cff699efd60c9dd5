// node:assert with every check counted for the running test (tally.ts). Behaviour and messages are node's own but one:
// `assert(value)` / `assert.ok(value)` failing without a message says `<value> == true` (node quotes the caller's source
// line, which would be this wrapper's). The stack of a failed check starts where the test called it, as node's does.
import { AssertionError } from 'node:assert';
import { countAssertion } from './tally.js';

/** Any function: `never[]` parameters accept every signature. */
type AnyFunction = (...args: never[]) => unknown;
/** Not checks: the error class and the call tracker pass through uncounted. */
const PASS_THROUGH = new Set(['AssertionError', 'CallTracker', 'strict']);
/** This folder, as its frames appear in a stack: a failed check's stack starts in the test. */
const HERE = new URL('./', import.meta.url).href;

/** A function that counts one assertion, then calls `check` (a failed check's stack starts at its caller). `truthy`:
 * check is assert() or assert.ok(), which fails on a falsy first argument. */
export function counted<F extends AnyFunction>(check: F, truthy = false): F {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    countAssertion();
    if (truthy && args.length > 0 && !args[0] && args[1] === undefined) {
      throw new AssertionError({ actual: args[0], expected: true, operator: '==', stackStartFn: wrapper });
    }
    try {
      return Reflect.apply(check, this, args);
    } catch (err) {
      if (err instanceof AssertionError && err.stack) err.stack = err.stack.split('\n').filter((line) => !line.includes(HERE)).join('\n');
      throw err;
    }
  };
  return wrapper as unknown as F;
}

/** A counting copy of an assert function and its methods (`assert`, `assert.equal`, ...); `strict` is set by the caller. */
export function countingAssert<A extends AnyFunction>(real: A): A {
  const out = counted(real, true) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(real)) {
    out[key] = !PASS_THROUGH.has(key) && typeof value === 'function' ? counted(value as AnyFunction, key === 'ok') : value;
  }
  return out as unknown as A;
}
