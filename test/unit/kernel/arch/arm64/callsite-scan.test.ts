// arm64 call sites: `bl` to lockref_get_not_dead in real Debian arm64 kernels' path-walk callers (bytes read
// from /proc/kcore in a qemu guest by dump-facts), checked against objdump's view of the same bytes recorded
// beside them (test/fixtures/kernels/<release>/text/objdump-calls.txt, test/vm/facts/arm64-crosscheck.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHexDump } from '../../../../../cli/kernel/hex-dump.js';
import { scanCallSites } from '../../../../../cli/kernel/arch/arm64/callsite-scan.js';
import { blDisplacement, bitmask32 } from '../../../../../cli/kernel/arch/arm64/insn.js';
import { FIXTURES_DIR } from '../../../../helpers/fixtures.js';
import { code, W } from './insn-forms.js';

const ARM64 = ['5.10.0-32-arm64', '6.1.0-57-arm64'];

function objdumpOffsets(dir: string): { target: bigint; calls: Record<string, number[]> } {
  const calls: Record<string, number[]> = {};
  let caller = '';
  let base = 0n;
  let target = 0n;
  for (const line of readFileSync(join(dir, 'objdump-calls.txt'), 'utf8').split('\n')) {
    const t = /grep "bl\\t0x([0-9a-f]+)"/.exec(line);
    if (t) target = BigInt(`0x${t[1]}`);
    const h = /^== (\S+) 0x([0-9a-f]+)/.exec(line);
    if (h) { caller = h[1]!; base = BigInt(`0x${h[2]}`); calls[caller] = []; continue; }
    const c = /^([0-9a-f]+):\s+[0-9a-f]{8}\s+bl\s+0x([0-9a-f]+)/.exec(line);
    if (c) { assert.equal(BigInt(`0x${c[2]}`), target); calls[caller]!.push(Number(BigInt(`0x${c[1]}`) - base)); }
  }
  return { target, calls };
}

for (const k of ARM64) {
  test(`${k} callers (real bytes from /proc/kcore): bl to lockref_get_not_dead matches objdump exactly`, () => {
    const dir = join(FIXTURES_DIR, 'kernels', k, 'text');
    const { target, calls } = objdumpOffsets(dir);
    assert.ok(target > 0n, 'objdump-calls.txt names the target');
    const files = readdirSync(dir).filter((f) => f.endsWith('.hex') && !f.endsWith('.head.hex'));
    assert.ok(files.length >= 3, `callers recorded: ${files.join(', ')}`);
    let total = 0;
    for (const f of files) {
      const { bytes, headers } = parseHexDump(readFileSync(join(dir, f), 'utf8'));
      assert.equal(bytes.length, Number(headers.size));
      const sites = scanCallSites(bytes, BigInt(`0x${headers.address}`), target);
      assert.deepEqual(sites.map((s) => s.offset), calls[headers.symbol!], headers.symbol);
      for (const s of sites) { assert.equal(s.offset % 4, 0); assert.equal(s.nextOffset, s.offset + 4); }
      total += sites.length;
    }
    assert.ok(total >= 3, `${total} call sites`);
  });
}

test('bl imm26 both ways; b (a tail call) and a target one off are not call sites', () => {
  assert.equal(blDisplacement(W.bl_fwd_0x1000), 0x1000);
  assert.equal(blDisplacement(W.bl_back_0x1000), -0x1000);
  assert.equal(blDisplacement(W.b_fwd_0x1000), null);
  const c = code(W.nop, W.bl_fwd_0x1000, W.bl_back_0x1000, W.b_fwd_0x1000);
  const start = 0xffff800010000000n;
  assert.deepEqual(scanCallSites(c, start, start + 4n + 0x1000n), [{ offset: 4, nextOffset: 8 }]);
  assert.deepEqual(scanCallSites(c, start, start + 8n - 0x1000n), [{ offset: 8, nextOffset: 12 }]);
  assert.deepEqual(scanCallSites(c, start, start + 12n + 0x1000n), []);
  assert.deepEqual(scanCallSites(c, start, start + 4n + 0x1000n + 4n), []);
  // a trailing partial word is not read
  assert.deepEqual(scanCallSites(code(W.bl_fwd_0x1000).subarray(0, 3), start, start + 0x1000n), []);
});

test('32-bit logical immediates decode as the ARM ARM says', () => {
  assert.equal(bitmask32(0, 26, 0), 0x40); // tst w1, #0x40
  assert.equal(bitmask32(0, 24, 0), 0x100);
  assert.equal(bitmask32(0, 27, 1), 0x60);
  assert.equal(bitmask32(0, 0, 0b111100), 0x55555555); // esize 2, one bit set
  assert.equal(bitmask32(1, 0, 0), null); // N=1: 64-bit element
  assert.equal(bitmask32(0, 0, 0b011111), null); // all ones: reserved
});
