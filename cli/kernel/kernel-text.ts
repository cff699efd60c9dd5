// Reads bytes of kernel text: /proc/kcore when the kernel has it (CONFIG_PROC_KCORE, no lockdown), else a
// one-shot bpftrace program that reads the text with probe_read from a perf-event (interval) probe.
// The script holds only addresses taken from /proc/kallsyms, nothing user-supplied.
import { readKcore } from './kcore.js';
import { runCommand } from '../system/run-command.js';

export type TextSource = '/proc/kcore' | 'bpftrace probe_read';
const MARK = 'rcuwalk-kmem';
/** refuse huge reads: the callers we scan are a few hundred bytes to a few KiB */
const MAX_TEXT_BYTES = 16384;

/** PURE: a bpftrace program printing `rcuwalk-kmem <offset> <u64 hex>` for each 8-byte word of [addr, addr+len). */
export function kernelReadScript(addr: bigint, len: number): string {
  if (!Number.isInteger(len) || len <= 0 || len > MAX_TEXT_BYTES) throw new Error(`bad kernel text length ${len}`);
  const words = Math.ceil(len / 8);
  const lines: string[] = ['interval:ms:10 {'];
  for (let w = 0; w < words; w++) {
    const a = addr + BigInt(w * 8);
    lines.push(`  printf("${MARK} ${w * 8} %016lx\\n", *(uint64 *)0x${a.toString(16)});`);
  }
  lines.push('  exit();', '}');
  return `${lines.join('\n')}\n`;
}

/** PURE: the bytes from kernelReadScript's output (little-endian words), trimmed to len. */
export function parseKernelReadOutput(stdout: string, len: number): Buffer {
  const out = Buffer.alloc(Math.ceil(len / 8) * 8);
  const seen = new Set<number>();
  for (const line of stdout.split('\n')) {
    const m = /^rcuwalk-kmem (\d+) ([0-9a-f]{16})$/.exec(line.trim());
    if (!m) continue;
    const off = Number(m[1]);
    if (off + 8 > out.length) continue;
    out.writeBigUInt64LE(BigInt(`0x${m[2]}`), off);
    seen.add(off);
  }
  const want = out.length / 8;
  if (seen.size !== want) throw new Error(`bpftrace printed ${seen.size} of ${want} words of kernel text`);
  return out.subarray(0, len);
}

/** Reads len bytes at addr: kcore first, bpftrace second. Returns the bytes and where they came from. */
export async function readKernelText(addr: bigint, len: number, opts: { bpftrace?: string; signal?: AbortSignal } = {}): Promise<{ bytes: Buffer; source: TextSource; kcoreError: string | null }> {
  let kcoreError: string | null = null;
  try {
    return { bytes: await readKcore(addr, len), source: '/proc/kcore', kcoreError: null };
  } catch (err) {
    kcoreError = (err as Error).message;
  }
  const r = await runCommand(opts.bpftrace ?? 'bpftrace', ['-e', kernelReadScript(addr, len)], { signal: opts.signal, timeoutMs: 60_000 });
  return { bytes: parseKernelReadOutput(r.stdout, len), source: 'bpftrace probe_read', kcoreError };
}
