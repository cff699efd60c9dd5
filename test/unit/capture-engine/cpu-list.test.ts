import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpuList } from '../../../cli/capture/cpu-list.js';

test('parses sysfs CPU lists with ranges and singles', () => {
  assert.deepEqual(parseCpuList('0-3,8,10-11\n'), [0, 1, 2, 3, 8, 10, 11]);
  assert.deepEqual(parseCpuList('0\n'), [0]);
  assert.deepEqual(parseCpuList(''), []);
});

test('rejects garbage', () => {
  assert.throws(() => parseCpuList('0-a'), /not a CPU list/);
});
