import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBtf, BtfError } from '../../../cli/kernel/btf.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const fixture = JSON.parse(readFileSync(join(FIXTURES_DIR, 'kernels', '6.18', 'btf.json'), 'utf8')) as { sizeBytes: number; funcs: Record<string, unknown>; enums: Record<string, unknown>; members: Record<string, unknown> };
const source = readFileSync(join(FIXTURES_DIR, 'kernels', '6.18', 'source.txt'), 'utf8');
const release = /^release=(.*)$/m.exec(source)![1];
const onRecordedKernel = existsSync(VMLINUX) && existsSync('/proc/sys/kernel/osrelease') && readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim() === release;

test('6.18 recorded protos: pid_revalidate(dir, name, dentry, flags) -> int; try_to_* -> bool', () => {
  const pr = fixture.funcs.pid_revalidate as { params: { name: string }[]; returns: string };
  assert.deepEqual(pr.params.map((p) => p.name), ['dir', 'name', 'dentry', 'flags']);
  assert.equal(pr.returns, 'int');
  assert.equal((fixture.funcs.try_to_unlazy_next as { returns: string }).returns, 'bool');
  assert.equal(fixture.funcs.unlazy_child, null);
  assert.equal(fixture.enums.LOOKUP_RCU, null); // a #define, not in BTF
  assert.equal(fixture.members['nameidata.flags'], 56);
});

test('the live BTF of the recorded kernel parses to the same protos', { skip: onRecordedKernel ? false : `not running on ${release}` }, () => {
  const buf = readFileSync(VMLINUX);
  assert.equal(buf.length, fixture.sizeBytes);
  const btf = parseBtf(buf);
  for (const [name, want] of Object.entries(fixture.funcs)) assert.deepEqual(btf.findFunc(name), want, name);
  assert.equal(btf.findEnumValue('LOOKUP_RCU'), null);
  assert.equal(btf.findMemberOffset('nameidata', 'flags'), 56);
  assert.equal(btf.findMemberOffset('nameidata', 'no_such_member'), null);
  assert.equal(btf.findEnumValue('LAST_NORM'), 0);
  assert.equal(btf.findEnumValue('WALK_MORE'), 2);
});

test('rejects what is not BTF', () => {
  assert.throws(() => parseBtf(Buffer.alloc(10)), BtfError);
  assert.throws(() => parseBtf(Buffer.alloc(64)), /magic/);
});

// Any build: what rcuwalk reads from BTF is there, with the shapes the resolver expects (the recorded-kernel test
// above checks the exact protos, but only on that one build).
test('live, any build: the path-walk functions and nameidata.flags are in this kernel\'s BTF', { skip: existsSync(VMLINUX) ? false : `no ${VMLINUX}` }, () => {
  const btf = parseBtf(readFileSync(VMLINUX));
  const pr = btf.findFunc('pid_revalidate');
  assert.ok(pr, 'pid_revalidate');
  assert.ok(pr.params.some((p) => p.name === 'flags'), JSON.stringify(pr.params));
  assert.equal(pr.returns, 'int');
  const unlazy = btf.findFunc('try_to_unlazy') ?? btf.findFunc('unlazy_walk');
  assert.ok(unlazy, 'try_to_unlazy or unlazy_walk');
  assert.ok(['bool', 'int'].includes(unlazy.returns), unlazy.returnType);
  const off = btf.findMemberOffset('nameidata', 'flags');
  assert.ok(off !== null && off > 0 && off % 4 === 0, `nameidata.flags at ${off}`);
  assert.equal(btf.findFunc('no_such_function_rcuwalk'), null);
});
