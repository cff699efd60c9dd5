// Names the kernel addresses a prototype run printed (return addresses of @ul_site/@uln_site, method pointers of
// @reval/@perm/@link/@mount) from /proc/kallsyms of the same boot, modules included (9p's v9fs_lookup_revalidate is
// a module's): prints, per address, `<address hex> <symbol>+<offset> [module]`. Run in the guest right after the
// run (KASLR moves everything at the next boot). A developer's tool, not shipped.
// Usage: node dist/scripts/attribution/resolve-values.js BPFTRACE.ndjson [KALLSYMS]
import { readFileSync } from 'node:fs';
import { parseKallsyms } from '../../cli/kernel/kallsyms.js';

const [file, ks] = process.argv.slice(2);
if (!file) { process.stderr.write('usage: resolve-values BPFTRACE.ndjson [KALLSYMS]\n'); process.exit(2); }
const values = new Set<bigint>();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line.startsWith('{"type": "map"')) continue;
  const data = (JSON.parse(line) as { data: Record<string, Record<string, unknown>> }).data;
  for (const [map, entries] of Object.entries(data)) {
    for (const key of Object.keys(entries)) {
      const parts = key.split(',');
      const pick = map === '@ul_site' || map === '@uln_site' ? [parts[0]] : ['@reval', '@perm', '@link', '@mount'].includes(map) ? parts.slice(0, 2) : [];
      for (const p of pick) if (p && /^-?\d+$/.test(p.trim())) values.add(BigInt.asUintN(64, BigInt(p.trim())));
    }
  }
}
const text = parseKallsyms(readFileSync(ks ?? '/proc/kallsyms', 'utf8')).filter((e) => e.type === 't' || e.type === 'T');
for (const v of [...values].sort((a, b) => (a < b ? -1 : 1))) {
  let lo = 0, hi = text.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (text[m]!.address <= v) lo = m + 1; else hi = m; }
  const e = text[lo - 1];
  const name = v === 0n ? '(null)' : e && v - e.address < 0x100000n ? `${e.name}+${v - e.address}${e.module ? ` [${e.module}]` : ''}` : '?';
  console.log(`${v.toString(16)} ${name}`);
}
