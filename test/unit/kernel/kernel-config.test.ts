import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configEnabled, configExcerpt, parseKernelConfig } from '../../../cli/kernel/kernel-config.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

test('parses set, module, numeric and not-set lines; other comments are ignored', () => {
  const c = parseKernelConfig('# comment\nCONFIG_A=y\nCONFIG_B=m\nCONFIG_C=16\nCONFIG_D="x y"\n# CONFIG_E is not set\n');
  assert.equal(c.get('CONFIG_A'), 'y');
  assert.equal(c.get('CONFIG_C'), '16');
  assert.equal(c.get('CONFIG_D'), '"x y"');
  assert.equal(configEnabled(c, 'CONFIG_B'), true);
  assert.equal(configEnabled(c, 'CONFIG_E'), false);
  assert.equal(configEnabled(c, 'CONFIG_Z'), null);
  assert.equal(configEnabled(null, 'CONFIG_A'), null);
  assert.deepEqual(configExcerpt(c, ['CONFIG_E', 'CONFIG_Z', 'CONFIG_A']), ['# CONFIG_E is not set', 'CONFIG_A=y']);
});

test('6.18 (recorded from /proc/config.gz): no kprobes, no kcore, BPF events on', () => {
  const c = parseKernelConfig(readFileSync(join(FIXTURES_DIR, 'kernels', '6.18', 'config.txt'), 'utf8'));
  assert.equal(configEnabled(c, 'CONFIG_KPROBES'), false);
  assert.equal(configEnabled(c, 'CONFIG_PROC_KCORE'), false);
  assert.equal(configEnabled(c, 'CONFIG_BPF_EVENTS'), true);
  assert.equal(configEnabled(c, 'CONFIG_KPROBE_EVENTS'), null); // depends on KPROBES: not even mentioned
});
