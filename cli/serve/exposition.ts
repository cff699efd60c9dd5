// Totals -> a prom-client Registry (Prometheus text or OpenMetrics). Every name, type, unit scale and help text
// comes from the catalogue (cli/metrics/); this file only lays values out. Each family reads `source()` when it
// is rendered, so a scrape shows the totals of that moment and never waits for bpftrace.
import { Registry } from 'prom-client';
import { COUNTERS, type CounterDef } from '../metrics/counters.js';
import { CPU_LABEL, EXPORTER, HIST_LE_SECONDS, LOCKREF_HISTOGRAM, type PromFamily } from '../metrics/exporter-metrics.js';
import type { CounterValues, Totals } from './running-totals.js';

/** What the exporter knows about itself (serve only; a capture file has none of it). */
export interface ExporterStatus {
  up: boolean;
  attachSeconds: number | null;
  probes: number | null;
  restarts: number;
  intervals: number;
  skipped: number;
  errors: number;
  intervalSeconds: number;
  lastIntervalUnixSeconds: number | null;
}

export interface Exposition {
  totals: Totals;
  status: ExporterStatus | null;
  perCpu: boolean;
}

type Labels = Record<string, string>;
interface Value { value: number; labels: Labels; metricName?: string }
interface CustomMetric {
  name: string; help: string; type: string; aggregator: 'sum';
  get(): { name: string; help: string; type: string; aggregator: 'sum'; values: Value[] };
}

function family(f: Pick<PromFamily, 'name' | 'help' | 'type'>, values: () => Value[]): CustomMetric {
  return {
    name: f.name, help: f.help, type: f.type, aggregator: 'sum',
    // name read at render: prom-client strips `_total` from a counter's family name for OpenMetrics
    get() { return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values: values() }; },
  };
}

function measured(x: Exposition, def: CounterDef): boolean {
  return x.totals.meta?.metricSources[def.field]?.strategy !== 'unavailable';
}

/** One family per Prometheus name (unlazy calls of both functions share one, told apart by `function`). */
function counterFamilies(source: () => Exposition): CustomMetric[] {
  const byName = new Map<string, CounterDef[]>();
  for (const c of COUNTERS) if (c.prom) byName.set(c.prom.name, [...(byName.get(c.prom.name) ?? []), c]);
  return [...byName.values()].map((defs) => {
    const d0 = defs[0]!;
    const help = defs.length === 1 ? d0.help : defs.map((d) => d.help).join('; ');
    return family({ name: d0.prom!.name, help, type: d0.prom!.type }, () => {
      const x = source();
      const out: Value[] = [];
      for (const d of defs) {
        if (!measured(x, d)) continue;
        const prom = d.prom!;
        // gauges describe the latest interval; counters the whole time rcuwalk ran
        const view: { all: CounterValues; cpus: Map<number, CounterValues> } | null = prom.type === 'gauge' ? x.totals.latest : x.totals;
        if (!view) continue;
        const fixed = prom.labels ?? {};
        if (x.perCpu) {
          for (const [cpu, v] of view.cpus) {
            const n = v[d.field];
            if (n !== null && n !== undefined) out.push({ value: n * prom.scale, labels: { ...fixed, [CPU_LABEL]: String(cpu) } });
          }
        } else {
          const n = view.all[d.field];
          if (n !== null && n !== undefined) out.push({ value: n * prom.scale, labels: { ...fixed } });
        }
      }
      return out;
    });
  });
}

function histogramFamily(source: () => Exposition): CustomMetric {
  return family(LOCKREF_HISTOGRAM, () => {
    const h = source().totals.hist;
    if (!h) return [];
    const out: Value[] = [];
    let cum = 0;
    const name = LOCKREF_HISTOGRAM.name;
    HIST_LE_SECONDS.forEach((le, i) => { cum += h.counts[i]!; out.push({ metricName: `${name}_bucket`, value: cum, labels: { le: String(le) } }); });
    cum += h.counts[HIST_LE_SECONDS.length]!;
    out.push({ metricName: `${name}_bucket`, value: cum, labels: { le: '+Inf' } });
    out.push({ metricName: `${name}_sum`, value: h.sumNs / 1e9, labels: {} });
    out.push({ metricName: `${name}_count`, value: cum, labels: {} });
    return out;
  });
}

function infoFamilies(source: () => Exposition): CustomMetric[] {
  return [
    family(EXPORTER.info, () => {
      const m = source().totals.meta;
      return m ? [{ value: 1, labels: { version: m.tool.version, kernel_release: m.host.kernelRelease, bpftrace_version: m.bpftrace.version, bpftrace_syntax: String(m.bpftrace.syntax) } }] : [];
    }),
    family(EXPORTER.target, () => (source().totals.meta?.resolution ?? []).map((r) => ({ value: 1, labels: { target: r.target, strategy: r.strategy } }))),
    family(EXPORTER.lost, () => [{ value: source().totals.lostEvents, labels: {} }]),
  ];
}

function statusFamilies(source: () => Exposition): CustomMetric[] {
  const one = (f: PromFamily, pick: (s: ExporterStatus) => number | null): CustomMetric => family(f, () => {
    const s = source().status;
    const v = s ? pick(s) : null;
    return v === null ? [] : [{ value: v, labels: {} }];
  });
  return [
    one(EXPORTER.up, (s) => (s.up ? 1 : 0)),
    one(EXPORTER.attach, (s) => s.attachSeconds),
    one(EXPORTER.probes, (s) => s.probes),
    one(EXPORTER.restarts, (s) => s.restarts),
    one(EXPORTER.intervals, (s) => s.intervals),
    one(EXPORTER.skipped, (s) => s.skipped),
    one(EXPORTER.errors, (s) => s.errors),
    one(EXPORTER.interval, (s) => s.intervalSeconds),
    one(EXPORTER.lastInterval, (s) => s.lastIntervalUnixSeconds),
  ];
}

export type Format = 'prometheus' | 'openmetrics';

/** A registry of every family, read from `source` at each render. `withStatus`: the exporter's own families too. */
export function buildRegistry(format: Format, source: () => Exposition, withStatus: boolean): Registry {
  // (prom-client's typings omit the constructor's content-type argument)
  const Reg = Registry as unknown as new (contentType: string) => Registry;
  const reg = new Reg(format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  const all = [...counterFamilies(source), histogramFamily(source), ...infoFamilies(source), ...(withStatus ? statusFamilies(source) : [])];
  // custom families (values computed at render) through prom-client's documented metric shape: get() -> values
  for (const m of all) (reg as unknown as { registerMetric(m: CustomMetric): void }).registerMetric(m);
  return reg;
}
