// Inline SVG charts for the HTML report, generated here (no chart library, no network). Pure string builders.

export const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Round tick values covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) { hi = lo === 0 ? 1 : lo * 1.1 + (lo < 0 ? 0 : 0); if (hi === lo) hi = lo + 1; }
  const span = hi - lo;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

export function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${Number((v / 1e9).toPrecision(3))}G`;
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
}

export interface LineSeries {
  name: string; points: ReadonlyArray<readonly [number, number | null]>; color?: string; dashed?: boolean; markers?: boolean;
  /** min..max whiskers at x (e.g. over trials) */
  ranges?: ReadonlyArray<readonly [number, number, number]>;
}
export interface ChartOpts { id: string; title: string; xLabel: string; yLabel: string; width?: number; height?: number; xLog2?: boolean }

const M = { l: 64, r: 16, t: 28, b: 40 };

function frame(o: ChartOpts, w: number, h: number, top: number, xt: number[], yt: number[], sx: (x: number) => number, sy: (y: number) => number, xfmt: (v: number) => string): string {
  const parts: string[] = [];
  parts.push(`<text class="title" x="${M.l}" y="16">${esc(o.title)}</text>`);
  for (const v of yt) {
    const y = sy(v).toFixed(1);
    parts.push(`<line class="grid" x1="${M.l}" x2="${w - M.r}" y1="${y}" y2="${y}"/><text class="tick" x="${M.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmtTick(v))}</text>`);
  }
  for (const v of xt) {
    const x = sx(v).toFixed(1);
    parts.push(`<line class="tickmark" x1="${x}" x2="${x}" y1="${h - M.b}" y2="${h - M.b + 4}"/><text class="tick" x="${x}" y="${h - M.b + 16}" text-anchor="middle">${esc(xfmt(v))}</text>`);
  }
  parts.push(`<line class="axis" x1="${M.l}" x2="${w - M.r}" y1="${h - M.b}" y2="${h - M.b}"/><line class="axis" x1="${M.l}" x2="${M.l}" y1="${top}" y2="${h - M.b}"/>`);
  parts.push(`<text class="label" x="${(M.l + w - M.r) / 2}" y="${h - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text class="label" transform="translate(14 ${(top + h - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  return parts.join('');
}

/** The legend: a row under the title (only with two or more series). */
function legend(series: { name: string; color: string; dashed?: boolean }[]): string {
  if (series.length < 2) return '';
  let x = M.l;
  const items: string[] = [];
  for (const s of series) {
    items.push(`<g class="legend-item"><line x1="${x}" x2="${x + 16}" y1="30" y2="30" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/><text class="tick" x="${x + 20}" y="30" dominant-baseline="middle">${esc(s.name)}</text></g>`);
    x += s.name.length * 6.5 + 40;
  }
  return items.join('');
}

/** Top margin: room for the title, and the legend row when there is one. */
const topOf = (nSeries: number) => (nSeries >= 2 ? 46 : M.t);

/** A line chart; null y values break the line (unavailable). */
export function lineChart(o: ChartOpts, series: LineSeries[]): string {
  const w = o.width ?? 760, h = o.height ?? 240;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => [...s.points.map((p) => p[1]), ...(s.ranges ?? []).map((r) => r[2])].filter((v): v is number => v !== null && Number.isFinite(v)));
  const tx = (x: number) => (o.xLog2 ? Math.log2(Math.max(x, 1e-9)) : x);
  const xlo = xs.length ? Math.min(...xs.map(tx)) : 0, xhi0 = xs.length ? Math.max(...xs.map(tx)) : 1;
  const xhi = xhi0 === xlo ? xlo + 1 : xhi0;
  const yt = niceTicks(Math.min(0, ...ys), ys.length ? Math.max(...ys) : 1);
  const ylo = yt[0]!, yhi = yt[yt.length - 1]!;
  const sx = (x: number) => M.l + ((tx(x) - xlo) / (xhi - xlo)) * (w - M.l - M.r);
  const top = topOf(series.length);
  const sy = (y: number) => h - M.b - ((y - ylo) / (yhi - ylo || 1)) * (h - top - M.b);
  const xt = o.xLog2 ? [...new Set(xs)].sort((a, b) => a - b) : niceTicks(xlo, xhi).filter((v) => v >= xlo - 1e-9 && v <= xhi + 1e-9);
  const colored = series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length]! }));
  const body: string[] = [];
  for (const s of colored) {
    let d = '', pen = false;
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
      pen = true;
    }
    body.push(`<path class="series" data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    for (const [x, lo, hi] of s.ranges ?? []) {
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo === hi) continue;
      body.push(`<line class="range" x1="${sx(x).toFixed(1)}" x2="${sx(x).toFixed(1)}" y1="${sy(lo).toFixed(1)}" y2="${sy(hi).toFixed(1)}" stroke="${s.color}" stroke-width="1"><title>${esc(`${s.name}: ${o.xLabel} ${x}: ${fmtTick(lo)} .. ${fmtTick(hi)}`)}</title></line>`);
    }
    if (s.markers) {
      for (const [x, y] of s.points) {
        if (y === null || !Number.isFinite(y)) continue;
        body.push(`<circle class="point" cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(`${s.name}: ${o.xLabel} ${x}: ${fmtTick(y)} ${o.yLabel}`)}</title></circle>`);
      }
    }
  }
  const noData = ys.length === 0 ? `<text class="nodata" x="${w / 2}" y="${h / 2}" text-anchor="middle">unavailable on this run</text>` : '';
  return `<svg class="chart line-chart" id="${esc(o.id)}" role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">${frame(o, w, h, top, xt, yt, sx, sy, (v) => fmtTick(v))}${body.join('')}${noData}${legend(colored)}</svg>`;
}

export interface BarSeries { name: string; values: ReadonlyArray<number | null>; color?: string }

/** Grouped bars over categories (CPUs, histogram buckets). */
export function barChart(o: ChartOpts, categories: string[], series: BarSeries[]): string {
  const w = o.width ?? 760, h = o.height ?? 240;
  const ys = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yt = niceTicks(0, ys.length ? Math.max(...ys) : 1);
  const yhi = yt[yt.length - 1]!;
  const plotW = w - M.l - M.r;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(1, (groupW * 0.8) / Math.max(1, series.length));
  const top = topOf(series.length);
  const sy = (y: number) => h - M.b - (y / (yhi || 1)) * (h - top - M.b);
  const labelEvery = Math.max(1, Math.ceil(categories.length / 24));
  const colored = series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length]! }));
  const body: string[] = [];
  const xTicks: string[] = [];
  categories.forEach((c, i) => {
    const gx = M.l + i * groupW + groupW * 0.1;
    colored.forEach((s, k) => {
      const v = s.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const y = sy(v);
      body.push(`<rect class="bar" data-series="${esc(s.name)}" x="${(gx + k * barW).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0, h - M.b - y).toFixed(1)}" fill="${s.color}"><title>${esc(`${s.name} ${o.xLabel} ${c}: ${fmtTick(v)} ${o.yLabel}`)}</title></rect>`);
    });
    if (i % labelEvery === 0) xTicks.push(`<text class="tick" x="${(M.l + (i + 0.5) * groupW).toFixed(1)}" y="${h - M.b + 16}" text-anchor="middle">${esc(c)}</text>`);
  });
  const parts: string[] = [];
  parts.push(`<text class="title" x="${M.l}" y="16">${esc(o.title)}</text>`);
  for (const v of yt) {
    const y = sy(v).toFixed(1);
    parts.push(`<line class="grid" x1="${M.l}" x2="${w - M.r}" y1="${y}" y2="${y}"/><text class="tick" x="${M.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmtTick(v))}</text>`);
  }
  parts.push(`<line class="axis" x1="${M.l}" x2="${w - M.r}" y1="${h - M.b}" y2="${h - M.b}"/>`);
  parts.push(`<text class="label" x="${(M.l + w - M.r) / 2}" y="${h - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text class="label" transform="translate(14 ${(top + h - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  const noData = ys.length === 0 ? `<text class="nodata" x="${w / 2}" y="${h / 2}" text-anchor="middle">unavailable on this run</text>` : '';
  return `<svg class="chart bar-chart" id="${esc(o.id)}" role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}${body.join('')}${xTicks.join('')}${noData}${legend(colored)}</svg>`;
}
