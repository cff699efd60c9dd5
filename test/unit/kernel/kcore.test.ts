import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kcoreFileOffset, parseKcoreSegments } from '../../../cli/kernel/kcore.js';

// A hand-built ELF64 header with two program headers: a test of the format parser, not a kernel recording
// (the development kernel has no /proc/kcore).
function elf(): Buffer {
  const b = Buffer.alloc(64 + 2 * 56);
  b.writeUInt32BE(0x7f454c46, 0); b[4] = 2; b[5] = 1;
  b.writeBigUInt64LE(64n, 0x20); b.writeUInt16LE(56, 0x36); b.writeUInt16LE(2, 0x38);
  const ph = (i: number, type: number, off: bigint, vaddr: bigint, size: bigint) => {
    const p = 64 + i * 56;
    b.writeUInt32LE(type, p); b.writeBigUInt64LE(off, p + 8); b.writeBigUInt64LE(vaddr, p + 16); b.writeBigUInt64LE(size, p + 32);
  };
  ph(0, 4, 0x100n, 0n, 0x10n); // PT_NOTE: ignored
  ph(1, 1, 0x7fff81002000n, 0xffffffff81000000n, 0x2000000n);
  return b;
}

test('PT_LOAD segments map kernel addresses to file offsets', () => {
  const segs = parseKcoreSegments(elf());
  assert.equal(segs.length, 1);
  assert.equal(kcoreFileOffset(segs, 0xffffffff816cab40n, 288), 0x7fff81002000n + 0x6cab40n);
  assert.equal(kcoreFileOffset(segs, 0xffffffff80000000n, 8), null);
  assert.equal(kcoreFileOffset(segs, 0xffffffff81000000n + 0x2000000n - 4n, 8), null); // runs off the end
  assert.throws(() => parseKcoreSegments(Buffer.alloc(64)), /not an ELF/);
});

test('readKcore reads at file offsets above 2^53 (6.1+ with KASLR): a sparse file on tmpfs stands in for /proc/kcore', async (t) => {
  const { existsSync, writeFileSync, rmSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const { readKcore } = await import('../../../cli/kernel/kcore.js');
  if (!existsSync('/dev/shm')) { t.skip('no /dev/shm tmpfs to hold a sparse file this large'); return; }
  const path = `/dev/shm/rcuwalk-kcore-test-${process.pid}`;
  const vaddr = 0xffffffff816cab40n;
  const fileOff = 0xffffff9ad7a1f0n; // the offset one real 6.1 boot used (test/vm/README.md)
  const head = Buffer.alloc(64 + 56);
  head.writeUInt32BE(0x7f454c46, 0); head[4] = 2; head[5] = 1;
  head.writeBigUInt64LE(64n, 0x20); head.writeUInt16LE(56, 0x36); head.writeUInt16LE(1, 0x38);
  head.writeUInt32LE(1, 64); // PT_LOAD
  head.writeBigUInt64LE(fileOff, 64 + 8); head.writeBigUInt64LE(vaddr, 64 + 16); head.writeBigUInt64LE(4096n, 64 + 32);
  const code = Buffer.from('0f1f440000f64738', 'hex');
  writeFileSync(path, head);
  // node cannot write at a bigint position (it writes at the current one): dd can
  execFileSync('dd', [`of=${path}`, `seek=${fileOff}`, 'oflag=seek_bytes', 'conv=notrunc', 'status=none'], { input: code });
  try {
    assert.equal((await readKcore(vaddr, code.length, path)).toString('hex'), code.toString('hex'));
  } finally { rmSync(path, { force: true }); }
});
