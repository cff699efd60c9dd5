// Histogram buckets as bpftrace prints them, normalised to the schema's {min, max, count} (inclusive, non-negative).
import type { Bucket } from '../schema/types.generated.js';

/** bpftrace prints integers that don't fit a double as strings (0.24+); accept both. */
export function toInt(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Math.trunc(Number(v));
  return null;
}

const SUFFIX: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/** A label as in text hist output: "64", "4K", "1M" (1024-based, as bpftrace prints them). */
function labelValue(s: string): number | null {
  const m = /^\s*(-?\d+)\s*([KMGTP]?)\s*$/i.exec(s);
  if (!m) return null;
  return Number(m[1]) * SUFFIX[m[2]!.toUpperCase()]!;
}

/**
 * An interval label as bpftrace's text output prints it: "[4K, 8K)", "[0]", "[1, 2)", "(..., 0)", "[100, ...)".
 * Returns the inclusive range, or null for a negative-only or unreadable label.
 */
export function parseIntervalLabel(label: string): { min: number; max: number } | null {
  const t = label.trim();
  const single = /^\[([^,\]]+)\]$/.exec(t);
  if (single) {
    const v = labelValue(single[1]!);
    return v === null || v < 0 ? null : { min: v, max: v };
  }
  const m = /^([[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])$/.exec(t);
  if (!m) return null;
  const lo = m[2] === '...' ? null : labelValue(m[2]!);
  const hi = m[3] === '...' ? null : labelValue(m[3]!);
  if (m[2] !== '...' && lo === null) return null;
  if (m[3] !== '...' && hi === null) return null;
  if (lo === null) return null; // (..., x): the negative bucket
  const min = m[1] === '(' ? lo + 1 : lo;
  const max = hi === null ? Number.MAX_SAFE_INTEGER : m[4] === ')' ? hi - 1 : hi;
  if (max < 0 || max < min) return null;
  return { min: Math.max(0, min), max };
}

/**
 * One bucket object from -f json: {"min","max","count"} (0.17+), where the first bucket of a hist with
 * negative values has no "min" (`{"max": -1, ...}`) and an lhist's overflow bucket has no "max"
 * (`{"min": 100, ...}`); values may be strings when huge. Also accepted: an interval label
 * (`{"interval": "[4K, 8K)", "count": 3}`, or min/max given as labels).
 * Negative-only buckets are dropped (durations are never negative); an open upper end becomes MAX_SAFE_INTEGER.
 */
export function normaliseBucket(raw: unknown): Bucket | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const b = raw as Record<string, unknown>;
  const count = toInt(b.count ?? b.value);
  if (count === null || count < 0) return null;
  const label = typeof b.interval === 'string' ? b.interval : typeof b.range === 'string' ? b.range : null;
  if (label !== null) {
    const r = parseIntervalLabel(label);
    return r ? { ...r, count } : null;
  }
  let min = 'min' in b ? toInt(b.min) ?? (typeof b.min === 'string' ? labelValue(b.min) : null) : null;
  let max = 'max' in b ? toInt(b.max) ?? (typeof b.max === 'string' ? labelValue(b.max) : null) : null;
  if (!('min' in b)) {
    if (max === null || max < 0) return null; // (..., 0): negative values
    min = 0;
  }
  if (!('max' in b)) max = Number.MAX_SAFE_INTEGER;
  if (min === null || max === null || max < 0) return null;
  if (min < 0) min = 0;
  if (max < min) return null;
  return { min, max, count };
}

/** Normalise a bucket list; drops what can't be read. */
export function normaliseBuckets(raw: unknown): Bucket[] {
  if (!Array.isArray(raw)) return [];
  const out: Bucket[] = [];
  for (const r of raw) {
    const b = normaliseBucket(r);
    if (b) out.push(b);
  }
  return out;
}

/** Add bucket lists (same bucket = same min and max), sorted by min. Inputs are not modified (and are shared
 * in the result when the other side is empty). Linear when both are sorted, as bpftrace prints them. */
export function mergeBuckets(a: readonly Bucket[], b: readonly Bucket[]): Bucket[] {
  if (b.length === 0) return a as Bucket[];
  if (a.length === 0 && isSorted(b)) return b as Bucket[];
  if (!isSorted(a) || !isSorted(b)) return mergeUnsorted(a, b);
  const out: Bucket[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i], y = b[j];
    if (y === undefined || (x !== undefined && (x.min < y.min || (x.min === y.min && x.max < y.max)))) { out.push(x!); i++; }
    else if (x === undefined || y.min < x.min || (y.min === x.min && y.max < x.max)) { out.push(y); j++; }
    else { out.push(y.count === 0 ? x : x.count === 0 ? y : { min: x.min, max: x.max, count: x.count + y.count }); i++; j++; }
  }
  return out;
}

function isSorted(a: readonly Bucket[]): boolean {
  for (let i = 1; i < a.length; i++) {
    const p = a[i - 1]!, q = a[i]!;
    if (p.min > q.min || (p.min === q.min && p.max >= q.max)) return false;
  }
  return true;
}

function mergeUnsorted(a: readonly Bucket[], b: readonly Bucket[]): Bucket[] {
  const m = new Map<string, Bucket>();
  for (const x of [...a, ...b]) {
    const k = `${x.min}:${x.max}`;
    const cur = m.get(k);
    m.set(k, cur ? { min: cur.min, max: cur.max, count: cur.count + x.count } : x);
  }
  return [...m.values()].sort((p, q) => p.min - q.min || p.max - q.max);
}
