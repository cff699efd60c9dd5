// TUI-only text helpers (bare percents for % columns, a short clock, fixed-width cells). Numbers otherwise use
// the shared cli/format/numbers.ts. Pure.

/** Percent without the sign: 97.1, 100, 0.4. null -> '-'. */
export function fmtPct(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  if (n >= 99.95) return '100';
  return n.toFixed(1);
}

/** ms as a short clock: 5s, 1m05s, 1h02m. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Pads (or cuts) to exactly w columns; numbers right-aligned by default. */
export function fit(s: string, w: number, align: 'left' | 'right' = 'right'): string {
  if (w <= 0) return '';
  if (s.length > w) return w === 1 ? '…' : s.slice(0, w - 1) + '…';
  return align === 'right' ? s.padStart(w) : s.padEnd(w);
}
