// What a test file gets for `fast-check` (hooks.ts): fast-check, with fc.assert counted as an assertion (tally.ts).
import * as fc from 'fast-check';
import { counted } from './counting-assert.js';

export * from 'fast-check';
export const assert = counted(fc.assert as (...args: unknown[]) => unknown) as typeof fc.assert;
export default { ...fc, assert };
