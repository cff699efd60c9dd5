// Number formatting for tables and progress lines. Pure. null/undefined/NaN print as '-'.

export const DASH = '-';

function bad(n: number | null | undefined): n is null | undefined {
  return n === null || n === undefined || !Number.isFinite(n);
}

/** 3 significant-ish digits with SI suffixes: 950, 1.2k, 12.3k, 123k, 1.2M, 3.4G. */
export function si(n: number | null | undefined): string {
  if (bad(n)) return DASH;
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a < 999.5) return sign + (Number.isInteger(a) ? String(a) : a < 10 ? a.toFixed(2) : a < 100 ? a.toFixed(1) : a.toFixed(0));
  const units = ['k', 'M', 'G', 'T', 'P'];
  let v = a;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  if (v >= 999.5 && i < units.length - 1) { v /= 1000; i++; }
  return sign + (v < 10 ? v.toFixed(1) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + units[i];
}

/** A duration in ns: 850ns, 12.3µs, 4.56ms, 1.20s. */
export function formatNs(ns: number | null | undefined): string {
  if (bad(ns)) return DASH;
  const a = Math.abs(ns);
  if (a < 1000) return `${Math.round(ns)}ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(a < 1e4 ? 2 : 1)}µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(a < 1e7 ? 2 : 1)}ms`;
  return `${(ns / 1e9).toFixed(2)}s`;
}


/** Time per second, e.g. spin ns accumulated per second of wall time: "12.3ms/s". */
export function formatNsPerSec(nsPerSec: number | null | undefined): string {
  if (bad(nsPerSec)) return DASH;
  return `${formatNs(nsPerSec)}/s`;
}

export function formatPct(p: number | null | undefined, digits = 1): string {
  if (bad(p)) return DASH;
  return `${p.toFixed(digits)}%`;
}

/** A rate with one decimal below 100, else SI: 41.0, 1.2k. */
export function formatRate(r: number | null | undefined): string {
  if (bad(r)) return DASH;
  return Math.abs(r) < 100 ? r.toFixed(1) : si(r);
}

/** Pad to a width, right-aligned (numbers) or left-aligned. */
export function pad(s: string, width: number, left = false): string {
  if (s.length >= width) return s;
  return left ? s + ' '.repeat(width - s.length) : ' '.repeat(width - s.length) + s;
}
