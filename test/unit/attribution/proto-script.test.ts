// The prototype attribution script (scripts/attribution/proto-script.ts) rendered for every recorded kernel compiles
// with each bpftrace at hand in its syntax (0.17 `-d`, 0.23 `--emit-elf`, 0.27 `--mode codegen`), without attaching:
// this kernel has no kprobes, so the functions are only "not traceable" warnings here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { classifySites, type CallersFile } from '../../../cli/kernel/unlazy-sites.js';
import type { KernelLayout } from '../../../cli/kernel/btf-layout.js';
import { renderAttributionScript, renderContentionNamingScript, type ProtoInput } from '../../../scripts/attribution/proto-script.js';
import { availableBpftraces } from '../../helpers/bpftraces.js';
import { callerCodeBeside } from '../../../scripts/attribution/phase-report.js';
import { runningArch } from '../../../cli/kernel/arch/index.js';

const KERNELS = join(FIXTURES_DIR, 'kernels');
const kernels = readdirSync(KERNELS).filter((k) => existsSync(join(KERNELS, k, 'attribution', 'callers.json')));

function input(k: string, syntax: ProtoInput['syntax']): ProtoInput {
  const dir = join(KERNELS, k, 'attribution');
  const callers = JSON.parse(readFileSync(join(dir, 'callers.json'), 'utf8')) as CallersFile;
  const layout = JSON.parse(readFileSync(join(dir, 'layout.json'), 'utf8')) as KernelLayout;
  const addr = new Map(callers.callers.map((c) => [c.name, c.address]));
  const names = Object.keys(callers.targets);
  const plain = names.find((n) => /^(try_to_unlazy|unlazy_walk)(\.|$)/.test(n))!;
  const next = names.find((n) => /^(try_to_unlazy_next|unlazy_child)(\.|$)/.test(n))!;
  return {
    arch: callers.arch as ProtoInput['arch'], syntax, layout, plain, next, returnsInt: plain.startsWith('unlazy_walk'),
    sites: classifySites(callers, callerCodeBeside(join(dir, 'callers.json'))).map((s) => ({ ...s, callerAddress: addr.get(s.caller)! })),
    restart: ['path_lookupat', 'path_openat'], lockrefSites: [{ caller: '__legitimize_path', offset: 34, nextOffset: 39 }],
    contention: true, intervalMs: 1000,
  };
}

test('the script reads each method only at the sites of its reason, and names dentries once per address', () => {
  assert.ok(kernels.length >= 2);
  for (const k of kernels) {
    const text = renderAttributionScript(input(k, 'legacy'));
    assert.equal((text.match(/str\(/g) ?? []).length, 6, `${k}: three names, in the lockref and the contention part`);
    assert.equal((text.match(/if \(@dn_seen\[\$l\] == 0\)/g) ?? []).length, 2, k);
    assert.match(text, /@perm\[\$ra, /, k);
    assert.match(text, /@reval\[\$ra, /, k);
    assert.match(text, /@link\[\$ra, /, k);
    assert.doesNotMatch(text, /kstack\(\d+\);[\s\S]*kprobe:try_to_unlazy/, `${k}: no stack walk in the unlazy probes`);
  }
});

for (const bt of availableBpftraces()) {
  const modern = bt.version.syntax === 'modern';
  test(`bpftrace ${bt.version.version} (${bt.label}): the prototype of every recorded kernel compiles`, { skip: process.getuid?.() !== 0 ? 'needs root' : false, timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-proto-'));
    try {
      const help = spawnSync(bt.path, ['--help'], { encoding: 'utf8' });
      const codegen = /--mode MODE/.test(`${help.stdout}${help.stderr}`);
      // bpftrace checks reg() names against the machine it runs on: arm64 scripts (reg("r30")) compile on arm64 only
      const here = kernels.filter((k) => input(k, 'legacy').arch === runningArch());
      assert.ok(here.length >= 2, `${here.length} recorded kernels of this architecture`);
      const texts = [...here.map((k) => ({ k, text: renderAttributionScript(input(k, modern ? 'modern' : 'legacy')) })),
        { k: '6.18 contention', text: renderContentionNamingScript(input('6.18', 'legacy').layout, modern ? 'modern' : 'legacy', 1000) }];
      for (const { k, text } of texts) {
        const file = join(dir, 'p.bt');
        writeFileSync(file, text);
        const fns = [...new Set([...text.matchAll(/^k(?:ret)?probe:([\w.]+)/gm)].map((m) => m[1]!))];
        writeFileSync(join(dir, 'traceable.txt'), fns.map((f) => `${f}\n`).join(''));
        const args = codegen ? ['--traceable-functions', join(dir, 'traceable.txt'), '--mode', 'codegen', file] : modern ? ['--emit-elf', join(dir, 'p.o'), file] : ['-d', file];
        const r = spawnSync(bt.path, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
        const errors = `${r.stderr}`.split('\n').filter((l) => /ERROR/.test(l) && !/RLIMIT_MEMLOCK/.test(l));
        assert.deepEqual(errors, [], `${k}: ${bt.path} ${args.join(' ')}`);
        assert.equal(r.status, 0, `${k}: exit ${r.status}: ${r.stderr.slice(-400)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
