// A call-site cache folder that cannot be written: one warning, and the scan's result is still used (the capture
// goes on). Runs the real scan of this machine's kernel (kcore, else bpftrace probe_read): root only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatherCallsites } from '../../../cli/kernel/gather-facts.js';
import { FACT_FUNCTIONS } from '../../../cli/kernel/fact-names.js';
import { kallsymsExcerptFromText, readKallsyms } from '../../../cli/kernel/kallsyms.js';
import { runningArch } from '../../../cli/kernel/arch/index.js';
import { bpftraceBin } from '../../../cli/capture/prepare.js';

test('read-only call-site cache folder: one warning, call sites still found', { timeout: 180_000 }, async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root: kallsyms addresses and kernel text');
  const bt = bpftraceBin();
  if (!bt) return t.skip('bpftrace not installed (reads kernel text where /proc/kcore is missing)');
  const text = `${kallsymsExcerptFromText(await readKallsyms(), FACT_FUNCTIONS).join('\n')}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-ro-'));
  const before = process.env.XDG_CACHE_HOME;
  try {
    // a file where the cache folder should be: no one can create it, root included
    writeFileSync(join(dir, 'rcuwalk'), 'not a folder');
    process.env.XDG_CACHE_HOME = dir;
    const lines: string[] = [];
    const g = await gatherCallsites(text, `rcuwalk-test-${process.pid}`, `test ${Date.now()}`, { arch: runningArch(), bpftrace: bt, log: (l) => lines.push(l) });
    assert.ok(g.facts, 'lockref_get_not_dead is in kallsyms');
    assert.ok(g.facts.sites.length > 0, `call sites found: ${JSON.stringify(g.facts)}`);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^call-site cache not written \(the capture goes on\): /);
    assert.equal(g.cacheFile, null, 'no second write is tried (LOOKUP_RCU update)');
    assert.ok(g.cache, 'the scan result is still at hand for LOOKUP_RCU');
  } finally {
    if (before === undefined) delete process.env.XDG_CACHE_HOME; else process.env.XDG_CACHE_HOME = before;
    rmSync(dir, { recursive: true, force: true });
  }
});
