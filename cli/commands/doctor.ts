// rcuwalk doctor: what this kernel and bpftrace can measure, and why not.
import { readFileSync } from 'node:fs';
import { doctorLines, doctorReport } from './doctor-report.js';
import { effectiveCaps, missingPrivilege } from '../capture/privilege.js';
import { bpftraceBin } from '../capture/prepare.js';
import { EXIT } from '../exit-codes.js';
import { gatherKernelFacts } from '../kernel/gather-facts.js';
import { resolve } from '../probes/resolve.js';
import { lockrefChoice, parseFlags } from './parse-flags.js';

const HELP = `usage: rcuwalk doctor [--json] [--lockref-strategy auto|direct|callsite|contention]

Checks privileges, bpftrace, tracefs, kprobes, fentry, BTF and the lock tracepoints, then shows how each
target (pid_revalidate, unlazy_next, unlazy, lockref, spin) would be measured here, or why it can't be.
Exit code 0 when a capture here measures something, 3 without privileges, 5 when nothing is measurable.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags('doctor', { args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'lockref-strategy': { type: 'string' } } });
  if (values.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
  const choice = lockrefChoice(values['lockref-strategy']);
  const privilege = missingPrivilege(effectiveCaps(readFileSync('/proc/self/status', 'utf8')));
  const bpftrace = bpftraceBin() ?? 'bpftrace';
  const facts = await gatherKernelFacts({ bpftrace, kprobeTest: privilege === null, fentryTest: privilege === null, callsites: privilege === null });
  const report = doctorReport(facts, resolve(facts, choice), privilege);
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : doctorLines(report).join('\n') + '\n');
  if (privilege) return EXIT.privilege;
  return report.canCapture ? EXIT.ok : EXIT.probeUnavailable;
}
