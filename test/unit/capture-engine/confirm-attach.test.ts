import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedKprobes, missingKprobes } from '../../../cli/capture/confirm-attach.js';

const script = `kprobe:pid_revalidate { @pr_calls[cpu] = count(); }
kretprobe:pid_revalidate /(int32)retval == -10/ { @pr_echild[cpu] = count(); }
kprobe:try_to_unlazy_next+69 { @lr_ts[tid] = nsecs; }
kprobe:try_to_unlazy_next+74 /@lr_ts[tid]/ { @lr_calls[cpu] = count(); }
tracepoint:lock:contention_begin { @x = count(); }`;

test('expected kprobes: entry, return and call-site probes counted per symbol', () => {
  assert.deepEqual([...expectedKprobes(script)], [['pid_revalidate', 2], ['try_to_unlazy_next', 2]]);
});

test('a complete kprobes/list passes; a missing or disabled probe is named', () => {
  const full = [
    'ffffffff8177e180  k  pid_revalidate+0x0    [FTRACE]',
    'ffffffff8177e180  r  pid_revalidate+0x0    [FTRACE]',
    'ffffffff816cab85  k  try_to_unlazy_next+0x45    ',
    'ffffffff816cab8a  k  try_to_unlazy_next+0x4a    ',
  ].join('\n');
  assert.deepEqual(missingKprobes(full, expectedKprobes(script)), []);
  const disabled = full.replace('try_to_unlazy_next+0x4a    ', 'try_to_unlazy_next+0x4a    [DISABLED]');
  assert.deepEqual(missingKprobes(disabled, expectedKprobes(script)), ['try_to_unlazy_next (1 of 2)']);
  assert.deepEqual(missingKprobes('', expectedKprobes(script)), ['pid_revalidate (0 of 2)', 'try_to_unlazy_next (0 of 2)']);
});
