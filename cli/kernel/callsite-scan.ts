// Finds direct calls to a target inside a caller's machine code (x86-64): `e8 rel32` whose destination
// (address of the next instruction + rel32) is exactly the target. Pure.

export interface CallSite {
  /** offset of the e8 byte from the caller's start */
  offset: number;
  /** offset of the instruction after the call (offset + 5) */
  nextOffset: number;
}

/**
 * Scans every byte position (a linear sweep without decoding): an `e8` whose rel32 lands exactly on the
 * target. A false match needs an e8 byte inside another instruction followed by the exact 32-bit distance
 * to the target, which the tests cross-check against a disassembler on real kernels.
 */
export function scanCallSites(code: Uint8Array, start: bigint, target: bigint): CallSite[] {
  const out: CallSite[] = [];
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i + 5 <= code.length; i++) {
    if (code[i] !== 0xe8) continue;
    const rel = (code[i + 1]! | (code[i + 2]! << 8) | (code[i + 3]! << 16) | (code[i + 4]! << 24)) | 0; // int32
    const dest = (start + BigInt(i + 5) + BigInt(rel)) & mask;
    if (dest === target) out.push({ offset: i, nextOffset: i + 5 });
  }
  return out;
}

/** Parses the hex dump format of test fixtures and caches: '#' comment lines, then hex digits (whitespace ignored). */
export function parseHexDump(text: string): { bytes: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let hex = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const m = /^#\s*(\S+)\s+(.*)$/.exec(line);
      if (m) headers[m[1]!] = m[2]!.trim();
      continue;
    }
    hex += line.replace(/\s+/g, '');
  }
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) throw new Error('hex dump holds non-hex text or an odd digit count');
  return { bytes: Buffer.from(hex, 'hex'), headers };
}

/** Formats bytes as the hex dump format (32 bytes per line) under the given header lines. */
export function formatHexDump(bytes: Uint8Array, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([k, v]) => `# ${k} ${v}`);
  const hex = Buffer.from(bytes).toString('hex');
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64));
  return `${lines.join('\n')}\n`;
}
