// The hex dump format of the kernel-text fixtures and of dump-facts' text/*.hex: '#' header lines, then hex. PURE.

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
