// Test helpers: recorded kernel facts from test/fixtures/kernels/<release>/, and clearly labelled
// derived scenarios (a recorded kernel with one fact changed) for decision paths no recorded kernel takes yet.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { loadFactsFolder } from '../../../cli/kernel/facts-folder.js';
import { buildKernelFacts } from '../../../cli/kernel/build-facts.js';
import type { KernelFacts } from '../../../cli/facts/kernel-facts.js';

export const KERNELS_DIR = join(FIXTURES_DIR, 'kernels');

export function recordedKernels(): string[] {
  // a folder without source.txt holds other recordings only (attribution/ of a kernel whose facts were not recorded)
  return readdirSync(KERNELS_DIR).filter((d) => statSync(join(KERNELS_DIR, d)).isDirectory() && existsSync(join(KERNELS_DIR, d, 'source.txt'))).sort();
}

export async function recorded(name: string): Promise<KernelFacts> {
  return buildKernelFacts(await loadFactsFolder(join(KERNELS_DIR, name)));
}

/** DERIVED: the same kernel as if built with CONFIG_KPROBES=y (kprobe_events present). */
export function withKprobes(f: KernelFacts, onNotrace = false): KernelFacts {
  const g = structuredClone(f);
  g.config.values.CONFIG_KPROBES = 'y';
  g.config.values.CONFIG_KPROBE_EVENTS = 'y';
  g.config.values.CONFIG_KPROBE_EVENTS_ON_NOTRACE = onNotrace ? 'y' : 'n';
  g.tracefs.kprobeEvents = true;
  return g;
}

/** DERIVED: bpftrace reporting kfunc support (as 0.20+ does on kernels that allow fentry). */
export function withFentry(f: KernelFacts, version = '0.21.2'): KernelFacts {
  const g = structuredClone(f);
  g.bpftrace = { path: 'bpftrace', version, syntax: 'modern', kfunc: true };
  g.probes.fentry = { ok: true, error: null };
  return g;
}

export function setTraceable(f: KernelFacts, name: string, v: boolean | null): KernelFacts {
  const g = structuredClone(f);
  g.tracefs.traceable[name] = v;
  return g;
}
