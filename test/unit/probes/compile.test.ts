// Every script rcuwalk can produce compiles, with every bpftrace at hand: the system one (Debian 12: 0.17) and
// Debian trixie's (0.23) and sid's (0.27) from scripts/install-bpftrace-debian.sh. One test per bpftrace; one
// that is missing skips, naming the command that installs it. Each case is rendered as rcuwalk would render it
// with that bpftrace (resolved again with its version, in its syntax) and compiled without attaching:
//   0.17  `bpftrace -d FILE`                 "(dry run) debug info": parse, semantic checks, codegen
//   0.23  `bpftrace --emit-elf OUT FILE`     "(dry run) generate ELF" (0.23 has no bare -d any more)
//   0.27  `bpftrace --mode codegen FILE`     its --emit-elf writes the ELF and then attaches and runs the
//                                            program (seen with 0.27.1 here): no dry run any more
// This kernel refuses reads of available_filter_functions (EPERM, even as root), which bpftrace consults:
//   - 0.27 matches kprobe/fentry functions against that list ("No matches for kprobe f"): it gets
//     --traceable-functions FILE (what its own warning suggests) listing the script's functions that the case's
//     facts do not mark notrace. With it, fentry/fexit bodies are type-checked against this kernel's BTF too.
//   - 0.17 and 0.23 stop fentry/kfunc probes at that read ("kfunc:f: could not read traceable functions from
//     .../available_filter_functions"). A script passes when those are its only errors and the file is unreadable
//     here (a kernel reason, not our script's); its other probes are compiled in full by the other cases.
// No bpftrace warns about a line of a script (0.27 warns where 0.17 and 0.23 say nothing: see bpftraceFeatures).
// Modern-syntax scripts are also checked as text in render.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../../cli/system/run-command.js';
import { loadProbeTemplates } from '../../../cli/probes/render.js';
import { bpftraceSlots, type BpftraceExe } from '../../helpers/bpftraces.js';
import { renderFor, scriptCases } from './scripts.js';

const FILTER_LIST = '/sys/kernel/debug/tracing/available_filter_functions';
function filterListUnreadable(): boolean {
  try { closeSync(openSync(FILTER_LIST, 'r')); return false; } catch (e) { return ['EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? ''); }
}
const UNREADABLE = filterListUnreadable();
/** The one error a kernel that refuses available_filter_functions causes in 0.17 and 0.23 (fentry/kfunc only). */
const KERNEL_REASON = /: ERROR: (kfunc|kretfunc|fentry|fexit):[\w.]+: could not read traceable functions from \S*available_filter_functions/;
const PROBED = /^(?:kprobe|kretprobe|fentry|fexit|kfunc|kretfunc):([\w.]+)/gm;

interface Compiler { how: string; args: (script: string, dir: string) => string[]; traceableFunctions: boolean }

async function compilerFor(bt: BpftraceExe): Promise<Compiler> {
  const r = await runCommand(bt.path, ['--help'], { allowFailure: true, timeoutMs: 15_000 });
  const help = r.stdout + r.stderr;
  const traceableFunctions = help.includes('--traceable-functions');
  if (/--mode MODE/.test(help) && help.includes("'codegen'")) return { how: '--mode codegen', args: (s) => ['--mode', 'codegen', s], traceableFunctions };
  if (bt.version.syntax === 'modern') return { how: '--emit-elf', args: (s, d) => ['--emit-elf', join(d, 'out.elf'), s], traceableFunctions };
  return { how: '-d', args: (s) => ['-d', s], traceableFunctions };
}

for (const slot of bpftraceSlots()) {
  const title = slot.exe ? `bpftrace ${slot.exe.version.version} (${slot.label})` : `bpftrace (${slot.label})`;
  test(`${title}: every script rcuwalk can produce with it compiles`, { skip: slot.missing ?? false, timeout: 600_000 }, async (t) => {
    const bt = slot.exe!;
    const c = await compilerFor(bt);
    const templates = await loadProbeTemplates();
    // one compile per distinct (script, traceable functions): the same text on a kernel where a function is notrace is another case
    const scripts = new Map<string, { text: string; names: string[]; traceable: string[] }>();
    for (const k of await scriptCases()) {
      const text = renderFor(k, bt.version, templates);
      const traceable = [...new Set([...text.matchAll(PROBED)].map((m) => m[1]!))].filter((f) => k.facts.tracefs.traceable[f.split('.')[0]!] !== false).sort();
      const key = `${text}\0${traceable.join(' ')}`;
      const e = scripts.get(key) ?? { text, names: [], traceable };
      e.names.push(k.name);
      scripts.set(key, e);
    }
    assert.ok(scripts.size >= 6, `only ${scripts.size} distinct scripts for ${bt.version.version}`);
    const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-compile-'));
    let full = 0;
    const stopped: string[] = [];
    try {
      for (const { text, names, traceable } of scripts.values()) {
        const name = names.join(' = ');
        const file = join(dir, 'script.bt');
        writeFileSync(file, text);
        const extra: string[] = [];
        if (c.traceableFunctions) {
          writeFileSync(join(dir, 'traceable.txt'), traceable.map((f) => `${f}\n`).join(''));
          extra.push('--traceable-functions', join(dir, 'traceable.txt'));
        }
        const r = await runCommand(bt.path, [...extra, ...c.args(file, dir)], { allowFailure: true, timeoutMs: 120_000 });
        const errors = r.stderr.split('\n').filter((l) => /ERROR/.test(l) && !/RLIMIT_MEMLOCK/.test(l));
        // a warning about a line of the script is ours to fix (0.27: implicit uint64 -> int64 casts, a discarded
        // delete()); "f is not traceable" is about this host (a case made from another kernel's facts), not the script
        const warnings = r.stderr.split('\n').filter((l) => /script\.bt:\d+[-:\d]*: WARNING/.test(l) && !/ is not traceable /.test(l));
        assert.deepEqual(warnings, [], `${name} (bpftrace ${bt.version.version}): warnings about the script`);
        if (r.exitCode === 0 && errors.length === 0) { full++; continue; }
        const ours = errors.filter((l) => !(UNREADABLE && KERNEL_REASON.test(l)));
        assert.ok(errors.length > 0 && ours.length === 0, `${name} (bpftrace ${bt.version.version} ${c.how}, exit ${r.exitCode}):\n${ours.join('\n') || r.stderr.slice(-2000)}`);
        stopped.push(name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    t.diagnostic(`${bt.path} ${c.how}: ${full} scripts compiled in full${stopped.length ? `; ${stopped.length} stopped at fentry/kfunc only because ${FILTER_LIST} is unreadable here: ${stopped.join('; ')}` : ''}`);
    assert.ok(full >= 4, `only ${full} scripts compiled in full`);
  });
}
