import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelReadScript, parseKernelReadOutput, readKernelText } from '../../../cli/kernel/kernel-text.js';
import { parseHexDump } from '../../../cli/kernel/callsite-scan.js';
import { FIXTURES_DIR } from '../../../cli/paths.js';

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
