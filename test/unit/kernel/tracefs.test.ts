import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blacklistedNames, findMount, parseLockdown, traceableBaseNames } from '../../../cli/kernel/tracefs.js';

test('mount points, lockdown mode', () => {
  const mounts = 'proc /proc proc rw 0 0\ntracefs /sys/kernel/debug/tracing tracefs rw 0 0\ndebugfs /sys/kernel/debug debugfs rw 0 0\n';
  assert.equal(findMount(mounts, 'tracefs'), '/sys/kernel/debug/tracing');
  assert.equal(findMount(mounts, 'debugfs'), '/sys/kernel/debug');
  assert.equal(findMount(mounts, 'bpf'), null);
  assert.equal(parseLockdown('none [integrity] confidentiality\n'), 'integrity');
  assert.equal(parseLockdown('[none] integrity confidentiality\n'), 'none');
});

test('available_filter_functions by base name (clones count), kprobe blacklist', () => {
  const aff = 'pid_revalidate.isra.0\ntry_to_unlazy\nd_alloc_parallel [somemod]\n';
  assert.deepEqual(traceableBaseNames(aff, ['pid_revalidate', 'try_to_unlazy', 'try_to_unlazy_next', 'd_alloc_parallel', 'lockref_get_not_dead']), {
    pid_revalidate: true, try_to_unlazy: true, try_to_unlazy_next: false, d_alloc_parallel: true, lockref_get_not_dead: false,
  });
  const bl = '0xffffffff81000000-0xffffffff81000010\tdo_int3\n0xffffffff81b62fa0-0xffffffff81b63040\tlockref_get_not_dead\n';
  assert.deepEqual(blacklistedNames(bl, ['lockref_get_not_dead', 'pid_revalidate']), { lockref_get_not_dead: true, pid_revalidate: false });
});
