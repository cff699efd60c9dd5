import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatHexDump, parseHexDump } from '../../../../../cli/kernel/hex-dump.js';
import { scanCallSites } from '../../../../../cli/kernel/arch/x86-64/callsite-scan.js';
import { FIXTURES_DIR } from '../../../../helpers/fixtures.js';

const dir = join(FIXTURES_DIR, 'kernels', '6.18', 'text');
const LOCKREF = 0xffffffff81b62fa0n; // lockref_get_not_dead in 6.18/kallsyms.txt

/** objdump's view of the same bytes (recorded once beside them): caller -> call offsets */
function objdumpOffsets(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  let caller = '';
  let base = 0n;
  for (const line of readFileSync(join(dir, 'objdump-calls.txt'), 'utf8').split('\n')) {
    const h = /^== (\S+) 0x([0-9a-f]+)/.exec(line);
    if (h) { caller = h[1]!; base = BigInt(`0x${h[2]}`); out[caller] = []; continue; }
    const c = /^([0-9a-f]+):\s+e8 /.exec(line);
    if (c) out[caller]!.push(Number(BigInt(`0x${c[1]}`) - base));
  }
  return out;
}

test('6.18 callers (real bytes): e8 calls to lockref_get_not_dead match objdump exactly', () => {
  const expected = objdumpOffsets();
  // *.head.hex are bytes read only for LOOKUP_RCU, not whole callers
  const files = readdirSync(dir).filter((f) => f.endsWith('.hex') && !f.endsWith('.head.hex'));
  assert.equal(files.length, 3);
  for (const f of files) {
    const { bytes, headers } = parseHexDump(readFileSync(join(dir, f), 'utf8'));
    assert.equal(bytes.length, Number(headers.size));
    const sites = scanCallSites(bytes, BigInt(`0x${headers.address}`), LOCKREF);
    assert.deepEqual(sites.map((s) => s.offset), expected[headers.symbol!], headers.symbol);
    for (const s of sites) assert.equal(s.nextOffset, s.offset + 5);
  }
  const t = parseHexDump(readFileSync(join(dir, 'try_to_unlazy_next.hex'), 'utf8'));
  assert.deepEqual(scanCallSites(t.bytes, 0xffffffff816cab40n, LOCKREF), [{ offset: 68, nextOffset: 73 }, { offset: 85, nextOffset: 90 }]);
});

test('the target must be exact: one byte off finds nothing; backward (negative rel32) calls work', () => {
  const t = parseHexDump(readFileSync(join(dir, 'try_to_unlazy_next.hex'), 'utf8'));
  assert.deepEqual(scanCallSites(t.bytes, 0xffffffff816cab40n, LOCKREF + 1n), []);
  // e8 with rel32 = -0x20 at offset 0x10 of a function at 0x1000 -> 0x1000 + 0x15 - 0x20
  const code = new Uint8Array(32);
  code.set([0xe8, 0xe0, 0xff, 0xff, 0xff], 0x10);
  assert.deepEqual(scanCallSites(code, 0x1000n, 0x1000n + 0x15n - 0x20n), [{ offset: 16, nextOffset: 21 }]);
  // a call at the very end that would need bytes past the buffer is not read
  assert.deepEqual(scanCallSites(new Uint8Array([0x90, 0xe8, 0, 0]), 0n, 6n), []);
});

test('hex dump format round-trips', () => {
  const bytes = Buffer.from(Array.from({ length: 70 }, (_, i) => i));
  const text = formatHexDump(bytes, { symbol: 'x', address: 'ffff' });
  const back = parseHexDump(text);
  assert.deepEqual(back.headers, { symbol: 'x', address: 'ffff' });
  assert.deepEqual([...back.bytes], [...bytes]);
  assert.throws(() => parseHexDump('zz\n'));
});
