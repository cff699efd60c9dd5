import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { release } from 'node:os';
import { parseBtf } from '../../../cli/kernel/btf.js';
import { ATTRIBUTION_MEMBERS, ATTRIBUTION_SIZES, LayoutPathError, memberLayout, readKernelLayout, structSize, type KernelLayout } from '../../../cli/kernel/btf-layout.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { paholeOffset, paholeSize, parsePahole } from '../../helpers/pahole-layout.js';
import { compareLayout, offsetofProgram, parseOffsetofOutput } from '../../../scripts/layout-offsetof.js';
import { availableBpftraces } from '../../helpers/bpftraces.js';
import { spawnSync } from 'node:child_process';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const KERNELS = join(FIXTURES_DIR, 'kernels');
type Recorded = KernelLayout & { release: string; arch: string };
const recorded = readdirSync(KERNELS)
  .filter((k) => existsSync(join(KERNELS, k, 'attribution', 'layout.json')))
  .map((k) => ({ folder: k, dir: join(KERNELS, k, 'attribution'), layout: JSON.parse(readFileSync(join(KERNELS, k, 'attribution', 'layout.json'), 'utf8')) as Recorded }));

test('every recorded layout has every path the attribution probes read', () => {
  assert.ok(recorded.length >= 1, 'no test/fixtures/kernels/*/attribution/layout.json');
  for (const { folder, layout } of recorded) {
    assert.deepEqual(Object.keys(layout.members).sort(), [...ATTRIBUTION_MEMBERS].sort(), folder);
    assert.deepEqual(Object.keys(layout.sizes).sort(), [...ATTRIBUTION_SIZES].sort(), folder);
    // the probes need these on every kernel; nameidata.next_seq (6.1+) and d_automount may be absent
    for (const p of ['dentry.d_lockref', 'dentry.d_name.name', 'dentry.d_parent', 'dentry.d_op', 'dentry.d_sb', 'dentry.d_inode',
      'super_block.s_type', 'file_system_type.name', 'dentry_operations.d_revalidate', 'inode.i_op', 'inode_operations.permission',
      'inode_operations.get_link', 'nameidata.path.dentry', 'nameidata.inode', 'nameidata.flags', 'nameidata.stack', 'nameidata.depth',
      'nameidata.stack->link.dentry']) {
      assert.ok(layout.members[p], `${folder}: ${p}`);
    }
  }
});

test('recorded layouts agree with pahole reading the same BTF', () => {
  const withPahole = recorded.filter((r) => existsSync(join(r.dir, 'pahole.txt')));
  assert.ok(withPahole.length >= 1, 'no pahole.txt beside any layout.json');
  for (const { folder, dir, layout } of withPahole) {
    const structs = parsePahole(readFileSync(join(dir, 'pahole.txt'), 'utf8'));
    let compared = 0;
    for (const [path, m] of Object.entries(layout.members)) {
      const theirs = paholeOffset(structs, path);
      assert.equal(m?.offset ?? null, theirs, `${folder}: ${path}`);
      if (theirs !== null) compared++;
    }
    for (const [path, size] of Object.entries(layout.sizes)) assert.equal(size, paholeSize(structs, path), `${folder}: sizeof ${path}`);
    assert.ok(compared >= 40, `${folder}: only ${compared} paths compared`);
  }
});

test('recorded layouts agree with bpftrace offsetof/sizeof run on the same kernel', () => {
  let files = 0;
  for (const { folder, dir, layout } of recorded) {
    for (const f of readdirSync(dir).filter((n) => /^offsetof-.*\.txt$/.test(n))) {
      const seen = new Map<string, number>();
      const text = readFileSync(join(dir, f), 'utf8');
      for (const line of text.split('\n')) {
        const m = /^(sizeof \S+|\S+) (\S+) (-?\d+) (?:ok|DIFFERS)$/.exec(line);
        if (m) seen.set(m[1]!, Number(m[3]));
      }
      if (seen.size === 0) {
        // a bpftrace that cannot read this kernel's BTF says so (0.17 on 5.10: "Unknown identifier: 'struct dentry'")
        assert.match(text, /bpftrace exit [1-9]\d*; stderr: .*ERROR/, `${folder}/${f}: no values and no error`);
        continue;
      }
      assert.ok(seen.size >= 5, `${folder}/${f}: ${seen.size} values`);
      const { lines, differ } = compareLayout(layout, seen);
      assert.equal(differ, 0, `${folder}/${f}:\n${lines.filter((l) => l.endsWith('DIFFERS')).join('\n')}`);
      files++;
    }
  }
  assert.ok(files >= 1, 'no offsetof-*.txt recorded');
});

test('6.18: d_name sits in an anonymous union and is still found; d_lockref at the 128-byte line', () => {
  const l = recorded.find((r) => r.folder === '6.18')!.layout;
  assert.equal(l.members['dentry.d_name']!.type, 'const struct qstr');
  assert.equal(l.members['dentry.d_name.name']!.offset, l.members['dentry.d_name']!.offset + l.members['qstr.name']!.offset);
  assert.equal(l.members['dentry.d_lockref']!.offset, 128);
  assert.equal(l.members['nameidata.stack']!.type, 'struct saved *');
  assert.equal(l.members['nameidata.stack->link.dentry']!.offset, l.members['path.dentry']!.offset);
});

const live = existsSync(VMLINUX) ? parseBtf(readFileSync(VMLINUX)) : null;
const mine = recorded.find((r) => r.layout.release === release());

test('live: this kernel\'s layout equals the one recorded on it', { skip: !live ? `no ${VMLINUX}` : !mine ? `no layout recorded on ${release()} (recorded: ${recorded.map((r) => r.layout.release).join(', ')})` : false }, () => {
  const now = readKernelLayout(live!);
  assert.deepEqual(now.members, mine!.layout.members);
  assert.deepEqual(now.sizes, mine!.layout.sizes);
});

const modern = availableBpftraces().find((b) => b.version.major > 0 || b.version.minor >= 23);
test('live: the reader agrees with bpftrace >= 0.23 offsetof on this kernel', { skip: !live ? `no ${VMLINUX}` : !modern ? 'no bpftrace >= 0.23 (bash scripts/install-bpftrace-debian.sh trixie sid)' : process.getuid?.() !== 0 ? 'bpftrace needs root' : false }, () => {
  const layout = readKernelLayout(live!);
  const { script, paths } = offsetofProgram(layout, true);
  const r = spawnSync(modern!.path, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
  const seen = parseOffsetofOutput(r.stdout ?? '');
  assert.equal(seen.size, paths.length, `bpftrace printed ${seen.size} of ${paths.length}: ${r.stderr}`);
  const { lines, differ } = compareLayout(layout, seen);
  assert.equal(differ, 0, lines.join('\n'));
});

test('live: paths through anonymous members, pointers and bad paths', { skip: live ? false : `no ${VMLINUX}` }, () => {
  const t = live!.types;
  // lockref: union { u64 lock_count; struct { spinlock_t lock; int count; } }: count is 4 bytes in on every build
  assert.equal(memberLayout(t, 'lockref.count')!.offset, 4);
  assert.equal(memberLayout(t, 'dentry.no_such_member'), null);
  assert.equal(memberLayout(t, 'no_such_struct_rcuwalk.x'), null);
  assert.equal(memberLayout(t, 'dentry.d_flags.x'), null, 'd_flags is no struct');
  assert.equal(memberLayout(t, 'dentry.d_name->name'), null, 'd_name is no pointer');
  assert.throws(() => memberLayout(t, 'dentry'), LayoutPathError);
  assert.throws(() => memberLayout(t, 'dentry..d_name'), LayoutPathError);
  assert.equal(structSize(t, 'nameidata.path'), structSize(t, 'path'));
  assert.equal(structSize(t, 'dentry.d_parent->'), structSize(t, 'dentry'));
  assert.equal(structSize(t, 'dentry.d_flags->'), null);
});
