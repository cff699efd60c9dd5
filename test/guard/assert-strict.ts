// What a test gets for `node:assert/strict` (hooks.ts): node's strict assert, each check counted (tally.ts).
import realStrict from 'node:assert/strict';
import { countingAssert } from './counting-assert.js';

const assert = countingAssert(realStrict);
(assert as { strict: unknown }).strict = assert;
export default assert;
export const {
  ok, equal, notEqual, deepEqual, notDeepEqual, deepStrictEqual, notDeepStrictEqual, strictEqual, notStrictEqual,
  throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch, fail, ifError, AssertionError, CallTracker, strict,
} = assert;
