// A helper that asserts on the calling test's behalf (for guard.test.ts's samples).
import assert from 'node:assert/strict';

export const assertSorted = (xs: number[]) => assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
