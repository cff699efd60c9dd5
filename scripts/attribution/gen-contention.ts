// Writes the contention-naming prototype (proto-script.ts renderContentionNamingScript) for a layout and a bpftrace.
// A developer's tool, not shipped. Usage: node dist/scripts/attribution/gen-contention.js LAYOUT.json BPFTRACE OUT.bt [INTERVAL_MS]
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseBpftraceVersion } from '../../cli/bpftrace/version.js';
import type { KernelLayout } from '../../cli/kernel/btf-layout.js';
import { renderContentionNamingScript } from './proto-script.js';

const [layoutFile, bpftrace, outFile, interval] = process.argv.slice(2);
if (!layoutFile || !bpftrace || !outFile) {
  process.stderr.write('usage: gen-contention LAYOUT.json BPFTRACE OUT.bt [INTERVAL_MS]\n');
  process.exit(2);
}
const ver = parseBpftraceVersion(spawnSync(bpftrace, ['--version'], { encoding: 'utf8' }).stdout);
if (!ver) { process.stderr.write(`${bpftrace} --version: no version\n`); process.exit(1); }
const layout = JSON.parse(readFileSync(layoutFile, 'utf8')) as KernelLayout;
writeFileSync(outFile, renderContentionNamingScript(layout, ver.syntax, Number(interval ?? 1000)));
