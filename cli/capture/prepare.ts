// Before anything is started: find bpftrace, mount tracefs, read the kernel's facts, resolve every target and
// render the script. Everything here can still fail with a clear UserError and nothing to clean up.
import { detectBpftrace } from '../bpftrace/version.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { ensureTracingMounts } from '../kernel/tracefs.js';
import { gatherKernelFacts } from '../kernel/gather-facts.js';
import type { KernelFacts } from '../facts/kernel-facts.js';
import { loadProbeTemplates, renderScript } from '../probes/render.js';
import { resolve } from '../probes/resolve.js';
import { toolVersion } from '../version.js';
import type { CaptureMeta } from '../state/events.js';
import type { CaptureOptions } from './engine-api.js';
import { countAttachPoints } from './count-probes.js';
import { findOnPath } from '../system/find-on-path.js';
import { readHostInfo } from './host-info.js';

export interface Prepared {
  meta: Omit<CaptureMeta, 'startedAt'>;
  facts: KernelFacts;
  script: string;
  expectedProbes: number;
  /** things worth telling the user (tracefs mounted for them, strategy fallbacks) */
  notes: string[];
}

/** The bpftrace rcuwalk runs: $RCUWALK_BPFTRACE, else the one on PATH (null: none). */
export function bpftraceBin(): string | null {
  return process.env.RCUWALK_BPFTRACE ?? findOnPath('bpftrace');
}

export async function prepareCapture(opts: Pick<CaptureOptions, 'settings' | 'lockrefStrategy' | 'log' | 'signal'>): Promise<Prepared> {
  const bin = bpftraceBin();
  if (!bin) throw new UserError('bpftrace is not installed', 'install it: apt-get install bpftrace (or run scripts/install.sh)', EXIT.toolMissing);
  const bt = await detectBpftrace(bin, opts.signal);
  const notes: string[] = [];
  const mounts = await ensureTracingMounts();
  for (const m of mounts.mounted) notes.push(`mounted ${m} (it was not mounted)`);
  if (!mounts.tracefs) {
    throw new UserError('tracefs is not mounted and could not be mounted', 'mount it: mount -t tracefs nodev /sys/kernel/tracing', EXIT.toolMissing);
  }
  const facts = await gatherKernelFacts({ bpftrace: bt.path, bpftraceVersionText: bt.versionText, signal: opts.signal, log: opts.log });
  const { resolution, metricSources } = resolve(facts, opts.lockrefStrategy);
  const measurable = resolution.filter((r) => r.strategy !== 'unavailable');
  if (measurable.length === 0) {
    const why = resolution.map((r) => `${r.target}: ${r.reason ?? 'unavailable'}`).join('; ');
    throw new UserError(`nothing can be measured on this kernel (${why})`, "run 'rcuwalk doctor' for the details of each target", EXIT.probeUnavailable);
  }
  for (const r of resolution) {
    if (r.strategy === 'unavailable') notes.push(`${r.target}: unavailable (${r.reason ?? 'no reason given'})`);
  }
  const script = renderScript({ resolution, syntax: bt.syntax, version: bt.version, intervalMs: opts.settings.intervalMs }, await loadProbeTemplates());
  return {
    meta: {
      tool: { name: 'rcuwalk', version: toolVersion() },
      host: { ...readHostInfo(), preemptRt: facts.preemptRt },
      bpftrace: { path: bt.path, version: bt.version, syntax: bt.syntax },
      settings: opts.settings,
      resolution,
      metricSources,
    },
    facts,
    script,
    expectedProbes: countAttachPoints(script),
    notes,
  };
}
