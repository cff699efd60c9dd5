// /proc/kallsyms: parse the text, find a function by base name (compiler clones included) and its size.
// Pure: callers pass the text in (see readKallsyms for the I/O).
import { readFile } from 'node:fs/promises';

export interface KallsymsEntry {
  address: bigint;
  /** the type letter as printed (t/T text, d/D data, ...) */
  type: string;
  name: string;
  module: string | null;
}

/** What a symbol name is, relative to a base name. */
export type SymbolKind =
  | 'exact'
  /** a compiler clone of the whole function: .isra.N, .constprop.N, .llvm.N (and combinations) */
  | 'clone'
  /** .part.N: a split-off piece of the function, not its entry */
  | 'part'
  /** .cold / .cold.N: the out-of-line cold block, not an entry */
  | 'cold'
  | 'other';

const CLONE_PART = /^(isra|constprop|llvm|lto_priv)\.\d+$/;

/** Classifies `name` against `base` (e.g. pid_revalidate.isra.0 vs pid_revalidate -> clone). */
export function classifySymbol(name: string, base: string): SymbolKind {
  if (name === base) return 'exact';
  if (!name.startsWith(`${base}.`)) return 'other';
  const rest = name.slice(base.length + 1);
  if (/(^|\.)cold(\.\d+)?$/.test(rest) || rest.startsWith('cold')) return 'cold';
  if (/(^|\.)part\.\d+/.test(rest)) return 'part';
  // every dotted pair must be a whole-function clone suffix: isra.0.constprop.0
  const pieces = rest.match(/[a-z_]+\.\d+/g);
  if (pieces && pieces.join('.') === rest && pieces.every((p) => CLONE_PART.test(p))) return 'clone';
  return 'other';
}

/** The text before the first '.', i.e. the function a clone belongs to. */
function baseName(name: string): string {
  const i = name.indexOf('.');
  return i < 0 ? name : name.slice(0, i);
}

/** Parses /proc/kallsyms text (or an excerpt of it: '#' lines are comments) into entries sorted by address. */
export function parseKallsyms(text: string): KallsymsEntry[] {
  const out: KallsymsEntry[] = [];
  let sorted = true;
  let prev = -1n;
  for (const raw of text.split('\n')) {
    if (raw === '' || raw.startsWith('#')) continue;
    // "ffffffff816cab40 t try_to_unlazy_next" or "... t name\t[module]"
    const sp1 = raw.indexOf(' ');
    const sp2 = raw.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp2 < 0) continue;
    const addrText = raw.slice(0, sp1);
    if (!/^[0-9a-fA-F]+$/.test(addrText)) continue;
    const type = raw.slice(sp1 + 1, sp2);
    let name = raw.slice(sp2 + 1);
    let module: string | null = null;
    const tab = name.indexOf('\t');
    if (tab >= 0) {
      const m = /\[([^\]]+)\]/.exec(name.slice(tab));
      module = m?.[1] ?? null;
      name = name.slice(0, tab);
    }
    const address = BigInt(`0x${addrText}`);
    if (address < prev) sorted = false;
    prev = address;
    out.push({ address, type, name: name.trim(), module });
  }
  if (!sorted) out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return out;
}

export interface FunctionSymbol {
  /** as in /proc/kallsyms: pid_revalidate or pid_revalidate.isra.0 */
  name: string;
  base: string;
  kind: 'exact' | 'clone';
  address: bigint;
  /** the next symbol's address (a higher address), or null if the chosen one is the last */
  end: bigint | null;
  nextSymbol: string | null;
  /** end - address in bytes, or null */
  size: number | null;
  type: string;
}

export interface FunctionLookup {
  base: string;
  chosen: FunctionSymbol | null;
  /** other symbols of the same base name and why they were not chosen */
  passedOver: { name: string; reason: string }[];
  /** true when every address is 0 (kallsyms read without privilege) */
  addressesHidden: boolean;
}

const isText = (t: string) => t === 't' || t === 'T';

/**
 * Looks up a function by base name among vmlinux text symbols: the exact name wins, then a whole-function
 * clone (.constprop before .isra: .isra may rewrite the argument layout); .part.N and .cold are never
 * entries. Module symbols are ignored (the targets are all built in).
 */
export function findFunction(entries: readonly KallsymsEntry[], base: string): FunctionLookup {
  const passedOver: FunctionLookup['passedOver'] = [];
  const candidates: { e: KallsymsEntry; i: number; kind: 'exact' | 'clone' }[] = [];
  let hidden = entries.length > 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.address !== 0n) hidden = false;
    if (!e.name.startsWith(base)) continue;
    const kind = classifySymbol(e.name, base);
    if (kind === 'other') continue;
    if (e.module !== null) { passedOver.push({ name: e.name, reason: `in module ${e.module}` }); continue; }
    if (!isText(e.type)) { passedOver.push({ name: e.name, reason: `not a text symbol (type ${e.type})` }); continue; }
    if (kind === 'part') { passedOver.push({ name: e.name, reason: '.part is a split-off piece, not the function entry' }); continue; }
    if (kind === 'cold') { passedOver.push({ name: e.name, reason: '.cold is an out-of-line block, not an entry' }); continue; }
    candidates.push({ e, i, kind });
  }
  const rank = (c: { e: KallsymsEntry; kind: string }) =>
    c.kind === 'exact' ? 0 : c.e.name.includes('.isra.') ? 2 : 1;
  candidates.sort((a, b) => rank(a) - rank(b) || (a.e.name < b.e.name ? -1 : 1));
  const best = candidates[0];
  for (const c of candidates.slice(1)) {
    passedOver.push({ name: c.e.name, reason: `another copy; ${best!.e.name} preferred` });
  }
  if (!best) return { base, chosen: null, passedOver, addressesHidden: hidden };
  let next: KallsymsEntry | null = null;
  for (let j = best.i + 1; j < entries.length; j++) {
    if (entries[j]!.address > best.e.address) { next = entries[j]!; break; }
  }
  const size = next && !hidden ? Number(next.address - best.e.address) : null;
  return {
    base,
    chosen: {
      name: best.e.name, base, kind: best.kind, address: best.e.address,
      end: next?.address ?? null, nextSymbol: next?.name ?? null, size, type: best.e.type,
    },
    passedOver,
    addressesHidden: hidden,
  };
}

/** Formats an entry as /proc/kallsyms prints it. */
function formatKallsymsLine(e: KallsymsEntry): string {
  const line = `${e.address.toString(16).padStart(16, '0')} ${e.type} ${e.name}`;
  return e.module ? `${line}\t[${e.module}]` : line;
}

/**
 * The excerpt a fixture folder stores: every symbol whose base name is in `bases` (clones, .part, .cold too)
 * and the symbol that follows each, in address order, without duplicates.
 */
export function kallsymsExcerpt(entries: readonly KallsymsEntry[], bases: readonly string[]): string[] {
  const want = new Set(bases);
  const keep = new Set<number>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.module !== null || !want.has(baseName(e.name))) continue;
    keep.add(i);
    for (let j = i + 1; j < entries.length; j++) {
      if (entries[j]!.address > e.address) { keep.add(j); break; }
    }
  }
  return [...keep].sort((a, b) => a - b).map((i) => formatKallsymsLine(entries[i]!));
}

/**
 * kallsymsExcerpt straight from the text, without parsing every line into an entry: the same lines (in
 * address order, formatted alike), for a fraction of the memory (122k entries with bigint addresses were
 * ~50 MB of rcuwalk's peak). Addresses are compared as zero-padded hex text.
 */
export function kallsymsExcerptFromText(text: string, bases: readonly string[]): string[] {
  const want = new Set(bases);
  const pad = (a: string) => a.toLowerCase().padStart(16, '0');
  /** calls fn(lineStart, lineEnd, addressText, nameStart) for every symbol line */
  const eachLine = (fn: (start: number, stop: number, addr: string, nameStart: number) => void) => {
    for (let start = 0; start < text.length;) {
      const end = text.indexOf('\n', start);
      const stop = end < 0 ? text.length : end;
      const sp1 = text.indexOf(' ', start);
      const sp2 = sp1 < 0 || sp1 >= stop ? -1 : text.indexOf(' ', sp1 + 1);
      if (sp2 > 0 && sp2 < stop && text[start] !== '#') {
        const addr = text.slice(start, sp1);
        if (/^[0-9a-fA-F]+$/.test(addr)) fn(start, stop, addr, sp2 + 1);
      }
      start = stop + 1;
    }
  };
  // pass 1: where the wanted built-in functions are (clones, .part and .cold included: base name before the '.')
  const hits: { start: number; addr: string }[] = [];
  eachLine((start, stop, addr, nameStart) => {
    const name = text.slice(nameStart, stop).trim();
    if (name.includes('\t')) return; // "name\t[module]"
    const dot = name.indexOf('.');
    if (want.has(dot < 0 ? name : name.slice(0, dot))) hits.push({ start, addr: pad(addr) });
  });
  // pass 2: for each hit, the first line with the lowest address above it (the symbol after it)
  const next = hits.map(() => ({ start: -1, addr: '' }));
  eachLine((start, _stop, addrText) => {
    const a = pad(addrText);
    for (let i = 0; i < hits.length; i++) {
      const n = next[i]!;
      if (a > hits[i]!.addr && (n.start < 0 || a < n.addr)) { n.start = start; n.addr = a; }
    }
  });
  const starts = new Set([...hits.map((h) => h.start), ...next.map((n) => n.start).filter((s) => s >= 0)]);
  const lines = [...starts].map((start) => {
    const end = text.indexOf('\n', start);
    return { start, e: parseKallsyms(end < 0 ? text.slice(start) : text.slice(start, end))[0]! };
  });
  // address order, ties in text order (as parseKallsyms' stable sort leaves them)
  lines.sort((x, y) => (x.e.address < y.e.address ? -1 : x.e.address > y.e.address ? 1 : x.start - y.start));
  return lines.map((l) => formatKallsymsLine(l.e));
}

/** Reads /proc/kallsyms (I/O). */
export async function readKallsyms(path = '/proc/kallsyms'): Promise<string> {
  return readFile(path, 'utf8');
}
