// Records the running kernel's facts into a fixture folder (format: test/fixtures/kernels/README.md),
// including the bytes LOOKUP_RCU is read from (text/proc_misc_d_revalidate.head.hex, and an unlazy
// function's only when that fails).
// A developer's tool, not shipped (dist/scripts/, outside the package's files).
// Usage (root): node dist/scripts/dump-facts.js OUTDIR [--note TEXT] [--no-kprobe-test] [--no-fentry-test] [--use-cache] [--bpftrace PATH]
import { gatherRawFacts } from '../cli/kernel/gather-facts.js';
import { writeFactsFolder } from '../cli/kernel/facts-folder.js';
import { buildKernelFacts } from '../cli/kernel/build-facts.js';
import { describeError, UserError } from '../cli/errors.js';

async function main(argv: string[]): Promise<void> {
  let out: string | null = null;
  let note: string | undefined;
  let bpftrace: string | undefined;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--note') note = argv[++i];
    else if (a === '--bpftrace') bpftrace = argv[++i];
    else if (a.startsWith('--')) flags.add(a);
    else if (!out) out = a;
    else throw new UserError(`unexpected argument ${a}`, 'usage: dump-facts OUTDIR [--note TEXT] [--no-kprobe-test] [--no-fentry-test] [--use-cache] [--bpftrace PATH]');
  }
  if (!out) throw new UserError('no output folder given', 'usage: dump-facts OUTDIR [--note TEXT]');
  const t0 = performance.now();
  const { raw, texts } = await gatherRawFacts({
    bpftrace, kprobeTest: !flags.has('--no-kprobe-test'), fentryTest: !flags.has('--no-fentry-test'),
    // the folder needs the caller bytes: read them even when the call-site cache has the answer
    useCache: flags.has('--use-cache'), log: (l) => process.stderr.write(`dump-facts: ${l}\n`),
  });
  const files = await writeFactsFolder(out, raw, texts, {
    note, recordedWith: `node dist/scripts/dump-facts.js ${argv.join(' ')}`,
  });
  const facts = buildKernelFacts(raw);
  const found = Object.entries(facts.symbols).map(([k, v]) => `${k}=${v ? v.name : '-'}`).join(' ');
  process.stderr.write(`dump-facts: ${facts.release}: ${found}\n`);
  // LOOKUP_RCU from the code: proc_misc_d_revalidate's bytes (text/proc_misc_d_revalidate.head.hex) first
  const lr = facts.lookupRcuCode;
  if (lr) {
    process.stderr.write(`dump-facts: LOOKUP_RCU ${lr.value ? `= 0x${lr.value.toString(16)} from ${lr.form} (${lr.source})` : 'not read from the code'}${lr.passedOver.length ? `; passed over: ${lr.passedOver.join('; ')}` : ''}\n`);
  }
  process.stderr.write(`dump-facts: wrote ${files.length} files to ${out} in ${Math.round(performance.now() - t0)} ms\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const { lines, exitCode } = describeError(err);
  for (const l of lines) process.stderr.write(`${l}\n`);
  process.exitCode = exitCode;
});
