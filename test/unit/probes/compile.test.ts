// Every script rcuwalk can produce with this machine's bpftrace compiles: `bpftrace -d` (0.17: "dry run,
// debug info": parse, semantic checks, codegen, no attach). Runs bpftrace for real; skips only when absent.
// Modern-syntax (>= 0.20) and kfunc scripts can't be compiled by 0.17 (and kfunc needs a readable
// available_filter_functions): render.test.ts checks their text instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../../cli/system/run-command.js';
import { parseBpftraceVersion } from '../../../cli/bpftrace/version.js';
import { scriptCases } from './scripts.js';

async function localBpftrace(): Promise<{ version: string; syntax: 'legacy' | 'modern' } | null> {
  try {
    const r = await runCommand('bpftrace', ['--version'], { allowFailure: true, timeoutMs: 15_000 });
    return parseBpftraceVersion(r.stdout + r.stderr);
  } catch {
    return null;
  }
}

const bt = await localBpftrace();

test('every producible script compiles with bpftrace -d', { skip: bt ? false : 'bpftrace is not installed on this machine' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-compile-'));
  try {
    const cases = (await scriptCases()).filter((c) => c.syntax === bt!.syntax && !(bt!.syntax === 'legacy' && /^kfunc:/m.test(c.script)));
    assert.ok(cases.length >= 5, `only ${cases.length} cases for ${bt!.version}`);
    for (const c of cases) {
      const file = join(dir, 'script.bt');
      writeFileSync(file, c.script);
      const r = await runCommand('bpftrace', ['-d', file], { allowFailure: true, timeoutMs: 120_000 });
      const errors = r.stderr.split('\n').filter((l) => /ERROR/.test(l) && !/RLIMIT_MEMLOCK/.test(l));
      assert.equal(r.exitCode, 0, `${c.name} (bpftrace ${bt!.version}):\n${errors.join('\n') || r.stderr.slice(-2000)}`);
      assert.deepEqual(errors, [], c.name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
