// The unlazy call-site classifier over the callers recorded on real kernels (test/fixtures/kernels/*/attribution/
// callers.json): every site gets the reason a run (or the disassembly) showed (sites-verified.txt beside it), and the
// branch scanners find exactly the calls a disassembler shows (gdb-callers.txt from /proc/kcore on x86-64,
// objdump-callers.txt on arm64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { parseHexDump } from '../../../cli/kernel/hex-dump.js';
import { branchScannerFor } from '../../../cli/kernel/arch/branch.js';
import { classifyCaller, classifySites, type CallersFile } from '../../../cli/kernel/unlazy-sites.js';
import { callerCodeBeside } from '../../../scripts/attribution/phase-report.js';

const KERNELS = join(FIXTURES_DIR, 'kernels');
const kernels = readdirSync(KERNELS).filter((k) => existsSync(join(KERNELS, k, 'attribution', 'callers.json')))
  .map((k) => ({ k, dir: join(KERNELS, k, 'attribution'), callers: JSON.parse(readFileSync(join(KERNELS, k, 'attribution', 'callers.json'), 'utf8')) as CallersFile }));

test('every recorded kernel: each site has the reason its run (or its disassembly) showed', () => {
  const verified = kernels.filter((x) => existsSync(join(x.dir, 'sites-verified.txt')));
  assert.ok(verified.length >= 2, `${verified.length} kernels with sites-verified.txt`);
  for (const { k, dir, callers } of verified) {
    const want = readFileSync(join(dir, 'sites-verified.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
      .map((l) => l.replace(/\s*#.*$/, '').split(/\s+/)).map(([site, reason]) => `${site} ${reason}`);
    const got = classifySites(callers, callerCodeBeside(join(dir, 'callers.json'))).map((s) => `${s.caller}+${s.nextOffset} ${s.reason}`);
    assert.deepEqual(got.sort(), want.sort(), k);
  }
});

test('every recorded kernel: one complete_walk site, no tail call to an unlazy function, no unknown caller', () => {
  assert.ok(kernels.length >= 2);
  for (const { k, callers } of kernels) {
    const sites = classifySites(callers, callerCodeBeside(join(KERNELS, k, 'attribution', 'callers.json')));
    assert.equal(sites.filter((s) => s.reason === 'normal').length, 1, k);
    assert.deepEqual(sites.filter((s) => s.kind === 'jump').map((s) => `${s.caller}+${s.offset}`), [], `${k}: a tail call would hide the caller`);
    assert.deepEqual(sites.filter((s) => s.reason === 'other').map((s) => s.caller), [], k);
    for (const r of ['nodentry', 'revalidate', 'permission', 'enotdir', 'open'] as const) assert.ok(sites.some((s) => s.reason === r), `${k}: no ${r} site`);
  }
});

test('the branch scanner finds, in the recorded bytes, the branches callers.json lists', () => {
  for (const { k, dir, callers } of kernels) {
    const scan = branchScannerFor(callers.arch)!;
    const entries = new Map(Object.entries(callers.targets).map(([n, a]) => [BigInt(`0x${a}`), n]));
    for (const c of callers.callers) {
      const { bytes } = parseHexDump(readFileSync(join(dir, 'text', `${c.name}.hex`), 'utf8'));
      assert.equal(bytes.length, c.size, `${k} ${c.name}`);
      const found = scan(bytes, BigInt(`0x${c.address}`), (d) => entries.has(d)).map((b) => `${b.offset} ${b.kind} ${entries.get(b.dest)}`);
      const listed = c.branches.filter((b) => b.target in callers.targets).map((b) => `${b.offset} ${b.kind} ${b.target}`);
      assert.deepEqual(found, listed, `${k} ${c.name}`);
    }
  }
});

test('x86-64: the unlazy calls found are exactly the ones gdb disassembles from /proc/kcore', () => {
  const withGdb = kernels.filter((x) => existsSync(join(x.dir, 'gdb-callers.txt')));
  assert.ok(withGdb.length >= 1);
  for (const { k, dir, callers } of withGdb) {
    const targets = new Set(Object.values(callers.targets));
    const gdb = new Set<string>();
    for (const line of readFileSync(join(dir, 'gdb-callers.txt'), 'utf8').split('\n')) {
      const m = /^\s+0x([0-9a-f]+):\s+(call|jmp)\s+0x([0-9a-f]+)\s*$/.exec(line);
      if (m && targets.has(m[3]!)) gdb.add(`${m[1]} ${m[2] === 'call' ? 'call' : 'jump'}`);
    }
    const ours = new Set(callers.callers.flatMap((c) => classifyCaller(c).map((s) => `${(BigInt(`0x${c.address}`) + BigInt(s.offset)).toString(16)} ${s.kind}`)));
    assert.deepEqual([...ours].sort(), [...gdb].sort(), k);
  }
});

const withObjdump = kernels.filter((x) => existsSync(join(x.dir, 'objdump-callers.txt')));
test('arm64: the unlazy calls found are exactly the bl/b objdump shows', { skip: withObjdump.length ? false : 'no arm64 recording with objdump-callers.txt (bash test/vm/record-attribution.sh arm64-bookworm)' }, () => {
  for (const { k, dir, callers } of withObjdump) {
    const targets = new Set(Object.values(callers.targets));
    const od = new Set<string>();
    for (const line of readFileSync(join(dir, 'objdump-callers.txt'), 'utf8').split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(bl|b)\s+0x([0-9a-f]+)/.exec(line);
      if (m && targets.has(m[3]!)) od.add(`${m[1]} ${m[2] === 'bl' ? 'call' : 'jump'}`);
    }
    const ours = new Set(callers.callers.flatMap((c) => classifyCaller(c).map((s) => `${(BigInt(`0x${c.address}`) + BigInt(s.offset)).toString(16)} ${s.kind}`)));
    assert.ok(od.size >= 5, `${k}: ${od.size} unlazy branches in objdump-callers.txt`);
    assert.deepEqual([...ours].sort(), [...od].sort(), k);
  }
});

