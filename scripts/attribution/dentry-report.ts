// Reads the prototype's bpftrace -f json output (proto-script.ts) and ranks the contended dentries: spinning waits
// (@cd_n/@cd_ns, keyed by kstack and lock address; @lr_n/@lr_ns, keyed by lock and call site) summed over the run,
// named from the first-sight maps (@dn name, @dp parent's name, @dfs filesystem type). A lock is a dentry's d_lockref
// only when a wait on it had lockref_get_not_dead in its stack (or was timed at a lockref_get_not_dead call site).
// PURE (dentryReport); a developer's tool, not shipped. Usage: node dist/scripts/attribution/dentry-report.js BPFTRACE.ndjson [TOP]
import { readFileSync } from 'node:fs';

export interface DentryRow { lock: string; name: string | null; parent: string | null; fs: string | null; waits: number; ns: number; lockref: boolean; via: string[] }

/** A map key's lock address as an unsigned decimal: 0.17/0.23 print int64 keys signed, 0.27 unsigned. */
function unsignedKey(k: string): string {
  return BigInt.asUintN(64, BigInt(k.trim())).toString();
}

/** A stack key's frames: 0.17 "\n    f+1", 0.23 "\\n        f+1" (escaped twice), 0.27 "\nf+1". */
function frames(stack: string): string[] {
  return stack.replace(/\\n/g, '\n').split('\n').map((f) => f.trim()).filter(Boolean);
}

export function dentryReport(ndjson: string): DentryRow[] {
  const rows = new Map<string, DentryRow>();
  const row = (lock: string) => {
    let r = rows.get(lock);
    if (!r) { r = { lock, name: null, parent: null, fs: null, waits: 0, ns: 0, lockref: false, via: [] }; rows.set(lock, r); }
    return r;
  };
  for (const line of ndjson.split('\n')) {
    if (!line.startsWith('{')) continue;
    const rec = JSON.parse(line) as { type: string; data: Record<string, Record<string, unknown>> };
    if (rec.type !== 'map') continue;
    for (const [map, entries] of Object.entries(rec.data)) {
      for (const [key, value] of Object.entries(entries)) {
        if (map === '@cd_n' || map === '@cd_ns') {
          const comma = key.lastIndexOf(',');
          const r = row(unsignedKey(key.slice(comma + 1)));
          const f = frames(key.slice(0, comma));
          if (map === '@cd_n') r.waits += Number(value); else r.ns += Number(value);
          const i = f.findIndex((x) => x.startsWith('lockref_get_not_dead'));
          if (i >= 0) {
            r.lockref = true;
            const caller = f[i + 1]?.replace(/\+\d+$/, '');
            if (map === '@cd_n' && caller && !r.via.includes(caller)) r.via.push(caller);
          }
        } else if (map === '@lr_n' || map === '@lr_ns') {
          const r = row(unsignedKey(key.split(',')[0]!));
          r.lockref = true;
          if (map === '@lr_n') r.waits += Number(value); else r.ns += Number(value);
        } else if (map === '@dn' || map === '@dp' || map === '@dfs') {
          const r = row(unsignedKey(key));
          const field = map === '@dn' ? 'name' : map === '@dp' ? 'parent' : 'fs';
          if (r[field] === null) r[field] = String(value);
        }
      }
    }
  }
  return [...rows.values()].filter((r) => r.lockref && (r.waits > 0 || r.ns > 0)).sort((a, b) => b.ns - a.ns || b.waits - a.waits);
}

function main([file, top]: string[]): void {
  if (!file) { process.stderr.write('usage: dentry-report BPFTRACE.ndjson [TOP]\n'); process.exitCode = 2; return; }
  const rows = dentryReport(readFileSync(file, 'utf8'));
  for (const r of rows.slice(0, Number(top ?? 10))) {
    console.log(`${r.name ?? '?'}\tparent=${r.parent ?? '?'}\tfs=${r.fs ?? '?'}\twaits=${r.waits}\tns=${r.ns}\tvia=${r.via.join(',')}\tlock=0x${BigInt(r.lock).toString(16)}`);
  }
}

if (process.argv[1]?.endsWith('dentry-report.js')) main(process.argv.slice(2));
