// Writes the prototype attribution script for the running kernel (proto-script.ts) from the files the same boot
// recorded: layout.json (dump-layout.js) and callers.json (find-unlazy-callers.js). Root (kallsyms, kernel text).
// A developer's tool, not shipped. Usage: node dist/scripts/attribution/gen-proto.js LAYOUT.json CALLERS.json BPFTRACE OUT.bt [INTERVAL_MS]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { findFunction, parseKallsyms } from '../../cli/kernel/kallsyms.js';
import { readKernelText } from '../../cli/kernel/kernel-text.js';
import { machineCodeFor, runningArch } from '../../cli/kernel/arch/index.js';
import { parseBpftraceVersion } from '../../cli/bpftrace/version.js';
import { classifySites, type CallersFile } from '../../cli/kernel/unlazy-sites.js';
import type { KernelLayout } from '../../cli/kernel/btf-layout.js';
import { renderAttributionScript } from './proto-script.js';
import { callerCodeBeside } from './phase-report.js';

const LOCKREF_CALLERS = ['try_to_unlazy_next', 'unlazy_child', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'];

async function main([layoutFile, callersFile, bpftrace, outFile, interval]: string[]): Promise<void> {
  if (!layoutFile || !callersFile || !bpftrace || !outFile) throw new Error('usage: gen-proto LAYOUT.json CALLERS.json BPFTRACE OUT.bt [INTERVAL_MS]');
  const layout = JSON.parse(readFileSync(layoutFile, 'utf8')) as KernelLayout;
  const callers = JSON.parse(readFileSync(callersFile, 'utf8')) as CallersFile;
  const arch = runningArch();
  const mc = machineCodeFor(arch);
  if (!mc || (arch !== 'x86_64' && arch !== 'arm64')) throw new Error(`no machine-code readers for ${arch}`);
  const ver = parseBpftraceVersion(spawnSync(bpftrace, ['--version'], { encoding: 'utf8' }).stdout);
  if (!ver) throw new Error(`${bpftrace} --version: no version`);
  const ks = parseKallsyms(readFileSync('/proc/kallsyms', 'utf8'));
  const pick = (...bases: string[]) => bases.map((b) => findFunction(ks, b).chosen).find((c) => c) ?? null;
  const plain = pick('try_to_unlazy', 'unlazy_walk');
  const next = pick('try_to_unlazy_next', 'unlazy_child');
  if (!plain || !next) throw new Error('no unlazy functions in kallsyms');
  const restart = ['path_lookupat', 'path_openat', 'path_parentat'].map((b) => findFunction(ks, b).chosen?.name).filter((n): n is string => !!n);
  const lockref = findFunction(ks, 'lockref_get_not_dead').chosen;
  const lockrefSites: { caller: string; offset: number; nextOffset: number }[] = [];
  for (const base of LOCKREF_CALLERS) {
    const c = findFunction(ks, base).chosen;
    if (!c || !c.size || !lockref) continue;
    const { bytes } = await readKernelText(c.address, c.size, { bpftrace });
    for (const s of mc.scanCallSites(bytes, c.address, lockref.address)) lockrefSites.push({ caller: c.name, ...s });
  }
  const addr = new Map(callers.callers.map((c) => [c.name, c.address]));
  const sites = classifySites(callers, callerCodeBeside(callersFile)).map((s) => ({ ...s, callerAddress: addr.get(s.caller)! }));
  const script = renderAttributionScript({
    arch, syntax: ver.syntax, layout, sites, plain: plain.name, next: next.name, returnsInt: plain.base === 'unlazy_walk',
    restart, lockrefSites, contention: existsSync('/sys/kernel/tracing/events/lock/contention_begin') || existsSync('/sys/kernel/debug/tracing/events/lock/contention_begin'),
    intervalMs: Number(interval ?? 1000),
  });
  writeFileSync(outFile, script);
  process.stderr.write(`gen-proto: ${outFile}: ${sites.length} unlazy sites, ${lockrefSites.length} lockref sites, restart ${restart.join(',')}, bpftrace ${ver.version}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`gen-proto: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
