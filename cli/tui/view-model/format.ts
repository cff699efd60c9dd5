// Display-only number formatting for the TUI cells (compact, fixed-width friendly). Pure.

/** Compact count or rate: 3.4, 123, 12.3k, 123k, 1.2M. null -> '-'. */
export function fmtCompact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a === 0) return '0';
  if (a < 0.95) return sign + String(+a.toPrecision(2));
  if (a < 10) return sign + trim(a.toFixed(1));
  if (a < 1000) return sign + Math.round(a).toString();
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [div, u] of units) {
    if (a >= div * 0.9995) {
      const v = a / div;
      return sign + (v < 99.95 ? v.toFixed(1) : Math.round(v).toString()) + u;
    }
  }
  return sign + Math.round(a).toString();
}

function trim(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Percent without the sign: 97.1, 100, 0.4. null -> '-'. */
export function fmtPct(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  if (n >= 99.95) return '100';
  return n.toFixed(1);
}

/** A duration in ns: 850ns, 12.3us, 4.1ms, 2.0s. null -> '-'. */
export function fmtNs(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  if (n < 1e3) return `${Math.round(n)}ns`;
  if (n < 1e6) return `${fmt3(n / 1e3)}us`;
  if (n < 1e9) return `${fmt3(n / 1e6)}ms`;
  return `${fmt3(n / 1e9)}s`;
}

function fmt3(v: number): string {
  return v < 9.995 ? v.toFixed(1) : v < 999.5 ? Math.round(v).toString() : Math.round(v).toString();
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
