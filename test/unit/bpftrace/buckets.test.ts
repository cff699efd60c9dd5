import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeBuckets, normaliseBucket, parseIntervalLabel } from '../../../cli/bpftrace/buckets.js';

test('interval labels as bpftrace text prints them', () => {
  assert.deepEqual(parseIntervalLabel('[4K, 8K)'), { min: 4096, max: 8191 });
  assert.deepEqual(parseIntervalLabel('[0]'), { min: 0, max: 0 });
  assert.deepEqual(parseIntervalLabel('[1]'), { min: 1, max: 1 });
  assert.deepEqual(parseIntervalLabel('[2, 4)'), { min: 2, max: 3 });
  assert.deepEqual(parseIntervalLabel('[512, 1K)'), { min: 512, max: 1023 });
  assert.deepEqual(parseIntervalLabel('[1M, 2M)'), { min: 1048576, max: 2097151 });
  assert.deepEqual(parseIntervalLabel('[100, ...)'), { min: 100, max: Number.MAX_SAFE_INTEGER });
  assert.equal(parseIntervalLabel('(..., 0)'), null);
  assert.equal(parseIntervalLabel('nonsense'), null);
});

test('bucket objects: min/max/count, missing ends, strings, labels', () => {
  assert.deepEqual(normaliseBucket({ min: 64, max: 127, count: 1 }), { min: 64, max: 127, count: 1 });
  assert.equal(normaliseBucket({ max: -1, count: 3 }), null);
  assert.deepEqual(normaliseBucket({ min: 100, count: 2 }), { min: 100, max: Number.MAX_SAFE_INTEGER, count: 2 });
  assert.deepEqual(normaliseBucket({ min: '64', max: '127', count: '5' }), { min: 64, max: 127, count: 5 });
  assert.deepEqual(normaliseBucket({ min: '4K', max: '8K', count: 5 }), { min: 4096, max: 8192, count: 5 });
  assert.deepEqual(normaliseBucket({ interval: '[4K, 8K)', count: 5 }), { min: 4096, max: 8191, count: 5 });
  assert.equal(normaliseBucket({ min: 1, max: 2 }), null);
  assert.equal(normaliseBucket([1, 2]), null);
  assert.equal(normaliseBucket(null), null);
});

test('merging bucket lists adds equal buckets and sorts by min', () => {
  const a = [{ min: 64, max: 127, count: 1 }, { min: 256, max: 511, count: 2 }];
  const b = [{ min: 128, max: 255, count: 4 }, { min: 64, max: 127, count: 3 }];
  assert.deepEqual(mergeBuckets(a, b), [{ min: 64, max: 127, count: 4 }, { min: 128, max: 255, count: 4 }, { min: 256, max: 511, count: 2 }]);
  assert.deepEqual(a[0], { min: 64, max: 127, count: 1 }, 'inputs untouched');
});
