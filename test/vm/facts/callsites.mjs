#!/usr/bin/env node
// callsites.mjs <kallsyms.txt> <dir-with-<caller>.bin> <out-dir> [callers...]
// Scans the raw bytes of each caller (dumped from /proc/kcore) for `e8 rel32` calls whose
// target is lockref_get_not_dead, writes <out-dir>/text/<caller>.hex (format of
// test/fixtures/kernels/README.md) and <out-dir>/text/callsites.json, and prints one
// `caller offset nextOffset` line per call site on stdout.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [ksyms, binDir, outDir, ...rest] = process.argv.slice(2);
const callers = rest.length ? rest : ['try_to_unlazy_next', 'unlazy_child', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'];
const lines = readFileSync(ksyms, 'utf8').split('\n').filter((l) => /^[0-9a-f]+ /.test(l)).map((l) => l.split(/\s+/));
const addrOf = (name) => { const l = lines.find((x) => x[2] === name && /^[tT]$/.test(x[1])); return l ? BigInt(`0x${l[0]}`) : null; };
const lr = addrOf('lockref_get_not_dead');
if (lr === null) { console.error('no lockref_get_not_dead in kallsyms'); process.exit(2); }
const release = execFileSync('uname', ['-r']).toString().trim(), version = execFileSync('uname', ['-v']).toString().trim();
mkdirSync(`${outDir}/text`, { recursive: true });
const found = [];
for (const caller of callers) {
  const file = `${binDir}/${caller}.bin`;
  if (!existsSync(file)) continue;
  const bytes = readFileSync(file);
  const base = addrOf(caller);
  const hex = bytes.toString('hex');
  const rows = [`# symbol ${caller}`, `# address ${base.toString(16)}`, `# size ${bytes.length}`, '# read-from /proc/kcore', `# kernel ${release} ${version}`];
  for (let i = 0; i < hex.length; i += 64) rows.push(hex.slice(i, i + 64));
  writeFileSync(`${outDir}/text/${caller}.hex`, `${rows.join('\n')}\n`);
  for (let i = 0; i + 5 <= bytes.length; i++) {
    if (bytes[i] !== 0xe8) continue;
    const target = base + BigInt(i + 5) + BigInt(bytes.readInt32LE(i + 1));
    if (target === lr) found.push({ caller, offset: i, nextOffset: i + 5 });
  }
}
const crossCheck = process.env.CROSSCHECK ?? 'gdb -c /proc/kcore disassemble (see disassembly.txt)';
writeFileSync(`${outDir}/text/callsites.json`, `${JSON.stringify({ target: 'lockref_get_not_dead', targetAddress: lr.toString(16), callsites: found, crossCheck }, null, 2)}\n`);
for (const c of found) console.log(`${c.caller} ${c.offset} ${c.nextOffset}`);
