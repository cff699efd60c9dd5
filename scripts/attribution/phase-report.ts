// Reads a prototype run (proto-script.ts output, bpftrace -f json) split at its `rcuwalk-phase n` markers and gives
// per phase: unlazy calls by site and reason (the sites classified from the same kernel's callers.json), the calls
// counted at return (kretprobes, the check that the reasons add up), failures, restarts, the methods that refused
// (named from symbols.txt: resolve-values.ts output of the same boot), the processes and the contended dentries.
// PURE (phaseReport); a developer's tool, not shipped.
// Usage: node dist/scripts/attribution/phase-report.js BPFTRACE.ndjson CALLERS.json SYMBOLS.txt
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseHexDump } from '../../cli/kernel/hex-dump.js';
import { classifySites, type CallersFile, type UnlazyReason } from '../../cli/kernel/unlazy-sites.js';
import { dentryReport, type DentryRow } from './dentry-report.js';

export interface PhaseReport {
  phase: number;
  /** unlazy calls at entry, by reason; sites no callers.json names are 'other:<addr>' */
  reasons: Record<string, number>;
  /** calls at entry (sum of reasons) and at return (kretprobes) */
  entries: number; returns: number; fails: number;
  restarts: Record<string, number>;
  /** method -> count, per kind (revalidate, permission, link, mount) */
  methods: Record<string, Record<string, number>>;
  who: [string, number][];
  dentries: DentryRow[];
}

const u64 = (k: string) => BigInt.asUintN(64, BigInt(k.trim()));

/** symbols.txt lines: `<hex address> <symbol+off [module]>` */
export function parseSymbols(text: string): Map<bigint, string> {
  const m = new Map<bigint, string>();
  for (const line of text.split('\n')) {
    const s = /^([0-9a-f]+) (.+)$/.exec(line.trim());
    if (s) m.set(BigInt(`0x${s[1]}`), s[2]!);
  }
  return m;
}

/** The callers' recorded bytes beside a callers.json (text/<caller>.hex), for the classifier. */
export function callerCodeBeside(callersJson: string): (caller: string) => Uint8Array | null {
  return (caller) => {
    const f = join(dirname(callersJson), 'text', `${caller}.hex`);
    return existsSync(f) ? parseHexDump(readFileSync(f, 'utf8')).bytes : null;
  };
}

/** The return address of every classified site -> its reason. */
export function siteReasons(callers: CallersFile, codeOf?: (caller: string) => Uint8Array | null): Map<bigint, UnlazyReason> {
  const addr = new Map(callers.callers.map((c) => [c.name, BigInt(`0x${c.address}`)]));
  return new Map(classifySites(callers, codeOf).map((s) => [addr.get(s.caller)! + BigInt(s.nextOffset), s.reason]));
}

export function phaseReport(ndjson: string, callers: CallersFile, symbols: Map<bigint, string>, codeOf?: (caller: string) => Uint8Array | null): PhaseReport[] {
  const reasonAt = siteReasons(callers, codeOf);
  const chunks = new Map<number, string[]>();
  let phase = 0;
  for (const line of ndjson.split('\n')) {
    const p = /"data": "rcuwalk-phase (\d+) /.exec(line);
    if (p) { phase = Number(p[1]); continue; }
    if (!chunks.has(phase)) chunks.set(phase, []);
    chunks.get(phase)!.push(line);
  }
  const name = (v: bigint) => (v === 0n ? '(null)' : (symbols.get(v)?.replace(/\+0( |$)/, '$1') ?? `0x${v.toString(16)}`));
  const out: PhaseReport[] = [];
  for (const [n, lines] of [...chunks].sort((a, b) => a[0] - b[0])) {
    const r: PhaseReport = { phase: n, reasons: {}, entries: 0, returns: 0, fails: 0, restarts: {}, methods: {}, who: [], dentries: dentryReport(lines.join('\n')) };
    const who = new Map<string, number>();
    const add = (o: Record<string, number>, k: string, v: number) => { o[k] = (o[k] ?? 0) + v; };
    for (const line of lines) {
      if (!line.startsWith('{"type": "map"')) continue;
      const data = (JSON.parse(line) as { data: Record<string, Record<string, number>> }).data;
      for (const [map, entries] of Object.entries(data)) {
        for (const [key, v] of Object.entries(entries)) {
          const parts = key.split(',');
          if (map === '@ul_site' || map === '@uln_site') {
            const ra = u64(parts[0]!);
            add(r.reasons, reasonAt.get(ra) ?? `other:${name(ra)}`, v);
            r.entries += v;
          } else if (map === '@ul_ret' || map === '@uln_ret') r.returns += v;
          else if (map === '@ul_fail' || map === '@uln_fail') r.fails += v;
          else if (map === '@restart') add(r.restarts, parts[0]!, v);
          else if (map === '@who') who.set(parts.slice(1).join(','), (who.get(parts.slice(1).join(',')) ?? 0) + v);
          else if (map === '@reval' || map === '@perm' || map === '@link' || map === '@mount') {
            const kind = { '@reval': 'revalidate', '@perm': 'permission', '@link': 'link', '@mount': 'mount' }[map]!;
            r.methods[kind] ??= {};
            add(r.methods[kind]!, name(u64(parts[1]!)), v);
          }
        }
      }
    }
    r.who = [...who].sort((a, b) => b[1] - a[1]);
    out.push(r);
  }
  return out;
}

function main([nd, cj, sy]: string[]): void {
  if (!nd || !cj) { process.stderr.write('usage: phase-report BPFTRACE.ndjson CALLERS.json [SYMBOLS.txt]\n'); process.exitCode = 2; return; }
  const callers = JSON.parse(readFileSync(cj, 'utf8')) as CallersFile;
  const reports = phaseReport(readFileSync(nd, 'utf8'), callers, sy ? parseSymbols(readFileSync(sy, 'utf8')) : new Map(), callerCodeBeside(cj));
  for (const r of reports) {
    const top = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`phase ${r.phase}: entries ${r.entries} returns ${r.returns} fails ${r.fails} | ${top(r.reasons)}`);
    for (const [kind, m] of Object.entries(r.methods)) console.log(`  ${kind}: ${top(m)}`);
    if (Object.keys(r.restarts).length) console.log(`  restarts: ${top(r.restarts)}`);
    console.log(`  who: ${r.who.slice(0, 4).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const d of r.dentries.slice(0, 3)) console.log(`  dentry: ${d.name} parent=${d.parent} fs=${d.fs} waits=${d.waits} ns=${d.ns} via=${d.via.join(',')}`);
  }
}

if (process.argv[1]?.endsWith('phase-report.js')) main(process.argv.slice(2));
