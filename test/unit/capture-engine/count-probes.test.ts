import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countAttachPoints } from '../../../cli/capture/count-probes.js';

test('counts every attach point of every top-level block, BEGIN/END/interval included', () => {
  const script = `// header { not a block }
/* also { not } */
BEGIN { printf("rcuwalk-ready\\n"); }
kprobe:pid_revalidate { @pr_calls[cpu] = count(); if (arg1 & 0x40) { @pr_rcu[cpu] = count(); } }
kretprobe:pid_revalidate /(int32)retval == -10/ { @pr_echild[cpu] = count(); }
kprobe:try_to_unlazy_next+63, kprobe:d_alloc_parallel+358 { @lr_ts[tid] = nsecs; @lr_site["a,b{"] = count(); }
interval:ms:1000 { print(@pr_calls); printf("rcuwalk-tick %llu\\n", nsecs); }
END { clear(@lr_ts); }`;
  assert.equal(countAttachPoints(script), 7);
});

test('an empty script has no probes', () => {
  assert.equal(countAttachPoints('// nothing\n'), 0);
});
