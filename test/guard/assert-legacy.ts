// What a test gets for `node:assert` (hooks.ts): node's assert (loose where node's is), each check counted (tally.ts).
import realAssert from 'node:assert';
import strictAssert from './assert-strict.js';
import { countingAssert } from './counting-assert.js';

const assert = countingAssert(realAssert);
(assert as { strict: unknown }).strict = strictAssert;
export default assert;
export const {
  ok, equal, notEqual, deepEqual, notDeepEqual, deepStrictEqual, notDeepStrictEqual, strictEqual, notStrictEqual,
  throws, doesNotThrow, rejects, doesNotReject, match, doesNotMatch, fail, ifError, AssertionError, CallTracker, strict,
} = assert;
