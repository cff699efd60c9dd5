// A capture's whole-run values in the exporter's names (OpenMetrics or Prometheus text): for node_exporter's textfile collector
// or a Pushgateway. The same registry as `rcuwalk serve`, fed from the capture file instead of a live reducer.
import type { Capture } from '../schema/types.generated.js';
import { buildRegistry, type Exposition, type Format } from '../serve/exposition.js';
import { addTotals, emptyTotals, toLadder, type CounterValues, type Totals } from '../serve/running-totals.js';

/** The capture's totals as the exporter holds them; the run's gauges (the longest wait) cover the whole run. */
export function totalsOfCapture(c: Capture): Totals {
  const cpus = new Map<number, CounterValues>();
  for (const r of c.totals.cpus) cpus.set(r.cpu, { ...r });
  const h = c.histograms.lockrefNs;
  const own: Totals = {
    meta: { tool: c.tool, host: c.host, bpftrace: c.bpftrace, settings: c.settings, resolution: c.resolution, metricSources: c.metricSources, startedAt: c.run.startedAt },
    all: { ...c.totals.all },
    cpus,
    latest: null,
    hist: h.strategy === 'unavailable' ? null : { counts: toLadder(h.all), sumNs: c.totals.all.lockrefNs ?? 0 },
    lostEvents: c.run.lostEvents,
  };
  // through addTotals: only the counter fields are kept (percents are not exported)
  const t = addTotals(emptyTotals(), own);
  return { ...t, latest: { all: t.all, cpus: t.cpus } };
}

/** OpenMetrics 1.0 text, or (format 'prometheus') the Prometheus text format 0.0.4 that node_exporter's textfile
 * collector, the Pushgateway and `promtool check metrics` read. */
export async function captureMetricsText(c: Capture, perCpu: boolean, format: Format = 'openmetrics'): Promise<string> {
  const x: Exposition = { totals: totalsOfCapture(c), status: null, perCpu };
  return buildRegistry(format, () => x, false).metrics();
}
