// What machine this is: the capture's `host` block (hostname, kernel build, online CPUs, NUMA nodes).
import os from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import type { Host } from '../schema/types.generated.js';
import { parseCpuList } from './cpu-list.js';
import { runningArch } from '../kernel/arch/index.js';

function readOr(path: string, fallback: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return fallback; }
}

export function readHostInfo(): Host {
  const onlineText = readOr('/sys/devices/system/cpu/online', '');
  const onlineCpus = onlineText ? parseCpuList(onlineText) : os.cpus().map((_, i) => i);
  let numaNodes: Host['numaNodes'] = [];
  try {
    numaNodes = readdirSync('/sys/devices/system/node')
      .filter((d) => /^node\d+$/.test(d))
      .map((d) => ({ node: Number(d.slice(4)), cpus: parseCpuList(readOr(`/sys/devices/system/node/${d}/cpulist`, '')) }))
      .sort((a, b) => a.node - b.node);
  } catch { /* no NUMA info: a single implicit node */ }
  return {
    hostname: os.hostname(),
    kernelRelease: os.release(),
    kernelVersion: os.version(),
    arch: runningArch(),
    cpuCount: onlineCpus.length,
    onlineCpus,
    numaNodes,
  };
}
