// Finds every function that calls (or tail-jumps to) the unlazy functions in the running kernel, records each
// caller's bytes and its direct branches to function entries (all of them: the classifier reads the calls around a
// site), and writes the folder test/fixtures/kernels/<release>/attribution/ holds: callers.json, text/<caller>.hex,
// kallsyms.txt. A developer's tool, not shipped. Root.
// Usage: node dist/scripts/attribution/find-unlazy-callers.js OUTDIR [--whole-text] [--callers a,b,...] [--bpftrace PATH]
//   --whole-text: scan _stext.._etext from /proc/kcore for branches to the unlazy functions (finds callers no
//                 list names); otherwise only the functions named by --callers (default CANDIDATE_CALLERS, clones
//                 included), read from /proc/kcore or with bpftrace.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { release, version } from 'node:os';
import { kallsymsExcerpt, parseKallsyms, type KallsymsEntry } from '../../cli/kernel/kallsyms.js';
import { readKcore } from '../../cli/kernel/kcore.js';
import { readKernelText } from '../../cli/kernel/kernel-text.js';
import { formatHexDump, parseHexDump } from '../../cli/kernel/hex-dump.js';

const readHex = (f: string) => parseHexDump(readFileSync(f, 'utf8')).bytes;
import { runningArch } from '../../cli/kernel/arch/index.js';
import { branchScannerFor } from '../../cli/kernel/arch/branch.js';
import { CANDIDATE_CALLERS, UNLAZY_FUNCTIONS, classifySites, type CallersFile, type CallerCode } from '../../cli/kernel/unlazy-sites.js';

const CHUNK = 1 << 20;
const baseOf = (n: string) => (n.includes('.') ? n.slice(0, n.indexOf('.')) : n);
const isText = (e: KallsymsEntry) => (e.type === 't' || e.type === 'T') && e.module === null;

async function main(argv: string[]): Promise<void> {
  const out = argv.find((a, i) => !a.startsWith('--') && !['--callers', '--bpftrace'].includes(argv[i - 1] ?? ''));
  if (!out) throw new Error('usage: find-unlazy-callers OUTDIR [--whole-text] [--callers a,b] [--bpftrace PATH]');
  const whole = argv.includes('--whole-text');
  const opt = (k: string) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
  const bpftrace = opt('--bpftrace');
  const wantedCallers: readonly string[] = opt('--callers')?.split(',') ?? CANDIDATE_CALLERS;
  const arch = runningArch();
  const scan = branchScannerFor(arch);
  if (!scan) throw new Error(`no branch scanner for ${arch}`);

  const all = parseKallsyms(readFileSync('/proc/kallsyms', 'utf8'));
  const text = all.filter(isText);
  const entryName = new Map<bigint, string>();
  for (const e of text) if (!e.name.startsWith('__pfx_') && !entryName.has(e.address)) entryName.set(e.address, e.name);
  const targets = text.filter((e) => (UNLAZY_FUNCTIONS as readonly string[]).includes(baseOf(e.name)));
  if (!targets.length) throw new Error('no unlazy function in /proc/kallsyms');
  const targetAt = new Set(targets.map((t) => t.address));
  const nextAfter = (addr: bigint): bigint | null => {
    let lo = 0, hi = all.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (all[m]!.address <= addr) lo = m + 1; else hi = m; }
    return lo < all.length ? all[lo]!.address : null;
  };
  const containing = (addr: bigint): KallsymsEntry | null => {
    let lo = 0, hi = text.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (text[m]!.address <= addr) lo = m + 1; else hi = m; }
    for (let i = lo - 1; i >= 0; i--) if (!text[i]!.name.startsWith('__pfx_')) return text[i]!;
    return null;
  };

  // which functions to record
  const callerEntries = new Map<string, KallsymsEntry>();
  let scanned = '';
  if (whole) {
    const s = all.find((e) => e.name === '_stext')?.address;
    const e = all.find((x) => x.name === '_etext')?.address;
    if (s === undefined || e === undefined) throw new Error('no _stext/_etext in /proc/kallsyms');
    for (let a = s; a < e; a += BigInt(CHUNK)) {
      const len = Number(e - a < BigInt(CHUNK) ? e - a : BigInt(CHUNK));
      const pad = Number(e - a - BigInt(len) >= 8n ? 8n : e - a - BigInt(len));
      const bytes = readKcore(a, len + pad);
      for (const b of scan(bytes, a, (d) => targetAt.has(d))) {
        if (b.offset >= len) continue;
        const c = containing(a + BigInt(b.offset));
        if (c && !targetAt.has(c.address)) callerEntries.set(c.name, c);
      }
    }
    scanned = `_stext.._etext (${Number(e - s)} bytes) from /proc/kcore`;
  } else {
    for (const e of text) if (wantedCallers.includes(baseOf(e.name))) callerEntries.set(e.name, e);
    scanned = `the functions named ${wantedCallers.join(',')} (clones included)`;
  }

  mkdirSync(join(out, 'text'), { recursive: true });
  const callers: CallerCode[] = [];
  for (const c of [...callerEntries.values()].sort((x, y) => (x.address < y.address ? -1 : 1))) {
    const end = nextAfter(c.address);
    if (end === null) continue;
    const size = Number(end - c.address);
    const r = await readKernelText(c.address, size, { bpftrace });
    const branches = scan(r.bytes, c.address, (d) => entryName.has(d)).map((b) => ({
      offset: b.offset, nextOffset: b.nextOffset, kind: b.kind, target: entryName.get(b.dest)!,
    }));
    callers.push({ name: c.name, address: c.address.toString(16), size, branches });
    writeFileSync(join(out, 'text', `${c.name}.hex`), formatHexDump(r.bytes, {
      symbol: c.name, address: c.address.toString(16), size: String(size), 'read-from': r.source, kernel: `${release()} ${version()}`,
    }));
  }
  const doc: CallersFile = {
    release: release(), arch, recordedAt: new Date().toISOString(), recordedWith: `node dist/scripts/attribution/find-unlazy-callers.js ${argv.join(' ')}`,
    scanned, targets: Object.fromEntries(targets.map((t) => [t.name, t.address.toString(16)])), callers,
  };
  writeFileSync(join(out, 'callers.json'), `${JSON.stringify(doc, null, 1)}\n`);
  const bases = [...new Set([...callers.map((c) => baseOf(c.name)), ...UNLAZY_FUNCTIONS])];
  writeFileSync(join(out, 'kallsyms.txt'), `${kallsymsExcerpt(all, bases).join('\n')}\n`);
  const codes = new Map<string, Uint8Array>();
  for (const c of callers) codes.set(c.name, readHex(join(out, 'text', `${c.name}.hex`)));
  const sites = classifySites(doc, (n) => codes.get(n) ?? null).map((s) => `${s.caller}+${s.nextOffset}:${s.reason}`);
  process.stderr.write(`find-unlazy-callers: ${release()} ${arch}: scanned ${scanned}; ${callers.length} callers, ${sites.length} sites: ${sites.join(' ')}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`find-unlazy-callers: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
