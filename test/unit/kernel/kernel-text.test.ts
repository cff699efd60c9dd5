import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelReadScript, parseKernelReadOutput, readKernelText } from '../../../cli/kernel/kernel-text.js';
import { parseHexDump } from '../../../cli/kernel/hex-dump.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

test('the bpftrace reader script: one u64 read per 8 bytes, numeric addresses only', () => {
  const s = kernelReadScript(0xffffffff816cab40n, 20);
  assert.equal((s.match(/printf/g) ?? []).length, 3);
  assert.match(s, /\*\(uint64 \*\)0xffffffff816cab50\);/);
  assert.throws(() => kernelReadScript(0n, 0));
  assert.throws(() => kernelReadScript(0n, 1 << 20));
});

test('parses little-endian words back into bytes (real 6.18 output: try_to_unlazy_next starts 0f 1f 44 00 00 f6 47 39)', () => {
  const out = 'Attaching 1 probe...\nrcuwalk-kmem 0 3947f60000441f0f\nrcuwalk-kmem 8 4100000108840f01\n';
  assert.equal(parseKernelReadOutput(out, 12).toString('hex'), '0f1f440000f64739010f8408');
  assert.throws(() => parseKernelReadOutput('rcuwalk-kmem 0 3947f60000441f0f\n', 12), /1 of 2 words/);
});

const hexFile = join(FIXTURES_DIR, 'kernels', '6.18', 'text', 'try_to_unlazy_next.hex');
const fixture = parseHexDump(readFileSync(hexFile, 'utf8'));
const here = existsSync('/proc/sys/kernel/osrelease') && readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim() === fixture.headers.kernel?.split(' ')[0]
  && readFileSync('/proc/kallsyms', 'utf8').includes(`${fixture.headers.address} t try_to_unlazy_next\n`);

test('live: reading try_to_unlazy_next gives the recorded bytes', { skip: here ? false : 'not on the recorded 6.18 kernel (or KASLR moved it)' }, async () => {
  const r = await readKernelText(BigInt(`0x${fixture.headers.address}`), fixture.bytes.length);
  assert.equal(r.bytes.toString('hex'), fixture.bytes.toString('hex'));
});

// Any build of a kernel with function padding (x86, 6.2+): the 16 bytes at __pfx_<f> are the NOP padding before
// <f>, so reading them shows whether the reader reads live kernel text at the address kallsyms gives.
const pfx = (() => {
  try { return /^([0-9a-f]+) t __pfx_try_to_unlazy_next$/m.exec(readFileSync('/proc/kallsyms', 'utf8'))?.[1] ?? null; } catch { return null; }
})();
const pfxSkip = pfx === null ? 'no __pfx_try_to_unlazy_next in /proc/kallsyms (a kernel without function padding)'
  : /^0+$/.test(pfx) ? 'kallsyms addresses are hidden (kptr_restrict: run as root)' : false;

test('live, any build: the 16 bytes read at __pfx_try_to_unlazy_next are its NOP padding', { skip: pfxSkip }, async () => {
  const r = await readKernelText(BigInt(`0x${pfx}`), 16);
  assert.equal(r.bytes.toString('hex'), '90'.repeat(16), `read through ${r.source}`);
});
