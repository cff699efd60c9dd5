// Reading kernel text through /proc/kcore: an ELF64 core whose PT_LOAD segments map kernel virtual addresses.
// Pure: the program-header parser and address translation. I/O: readKcore (open, read headers, pread).
import { closeSync, openSync, readSync } from 'node:fs';

export interface KcoreSegment { vaddr: bigint; offset: bigint; filesz: bigint }

const PT_LOAD = 1;

/** Parses the ELF64 header + program headers (the first bytes of /proc/kcore). */
export function parseKcoreSegments(head: Buffer): KcoreSegment[] {
  if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (head[4] !== 2) throw new Error('not ELF64');
  if (head[5] !== 1) throw new Error('not little-endian');
  const phoff = Number(head.readBigUInt64LE(0x20));
  const phentsize = head.readUInt16LE(0x36);
  const phnum = head.readUInt16LE(0x38);
  if (phoff + phentsize * phnum > head.length) throw new Error(`program headers end at ${phoff + phentsize * phnum}, beyond the ${head.length} bytes read`);
  const out: KcoreSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (head.readUInt32LE(p) !== PT_LOAD) continue;
    out.push({ offset: head.readBigUInt64LE(p + 8), vaddr: head.readBigUInt64LE(p + 16), filesz: head.readBigUInt64LE(p + 32) });
  }
  return out;
}

/** The file offset holding [vaddr, vaddr+len), or null when no single segment covers it. */
export function kcoreFileOffset(segments: readonly KcoreSegment[], vaddr: bigint, len: number): bigint | null {
  for (const s of segments) {
    if (vaddr >= s.vaddr && vaddr + BigInt(len) <= s.vaddr + s.filesz) return s.offset + (vaddr - s.vaddr);
  }
  return null;
}

/**
 * Reads `len` bytes of kernel memory at `vaddr` from /proc/kcore (root; fails under lockdown confidentiality).
 * The file offset is a bigint and is passed to readSync as one: with KASLR, 6.1+ kernels put their text at
 * /proc/kcore offsets above 2^53 (Number would round them; FileHandle.read ignores a bigint position).
 */
export function readKcore(vaddr: bigint, len: number, path = '/proc/kcore'): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phsize = head.readUInt16LE(0x36) * head.readUInt16LE(0x38);
    const all = Buffer.alloc(phoff + phsize);
    readSync(fd, all, 0, all.length, 0);
    const off = kcoreFileOffset(parseKcoreSegments(all), vaddr, len);
    if (off === null) throw new Error(`address 0x${vaddr.toString(16)} is not in any /proc/kcore segment`);
    const out = Buffer.alloc(len);
    const bytesRead = readSync(fd, out, 0, len, off);
    if (bytesRead !== len) throw new Error(`short read from /proc/kcore: ${bytesRead} of ${len} bytes`);
    return out;
  } finally {
    closeSync(fd);
  }
}
