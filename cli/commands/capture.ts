// rcuwalk capture: measure while the workload runs; write a schema-checked capture file.
import { startCapture } from '../capture/engine.js';
import { EXIT } from '../exit-codes.js';
import { CAPTURE_FLAGS_HELP, parseCaptureArgs } from './capture-options.js';
import { installStopSignals } from './stop-signals.js';
import { summaryLines } from './capture-summary.js';

const HELP = `usage: rcuwalk capture [options]

Attach probes on pid_revalidate, the unlazy functions and lockref_get_not_dead (choosing per target
what this kernel allows), run the workload, and aggregate per CPU and per interval in the kernel.

${CAPTURE_FLAGS_HELP}

Without --out, the capture is written to rcuwalk-YYYYmmdd-HHMMSS.json (unless --json).
Exit codes: 0 ok, 2 bad flags/config, 3 not privileged, 4 bpftrace/tracefs missing, 5 nothing measurable,
6 bpftrace or the workload failed (partial capture kept), 7 output path, 130 interrupted (capture kept).`;

function defaultOutName(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `rcuwalk-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.json`;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCaptureArgs(argv);
  if (parsed.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
  const { options, json } = parsed;
  if (options.out === null && !json) options.out = defaultOutName();
  const log = (line: string) => process.stderr.write(`rcuwalk: ${line}\n`);
  const handle = startCapture({ ...options, log });
  const restore = installStopSignals(() => handle.stop());
  try {
    const { capture } = await handle.done;
    if (json) process.stdout.write(JSON.stringify(capture, null, 1) + '\n');
    else process.stdout.write(summaryLines(capture).join('\n') + '\n');
    if (capture.run.endReason === 'error' || capture.run.endReason === 'workload-exited') {
      process.stderr.write(`rcuwalk: ${capture.run.error ?? 'the capture failed'}\n  next: the partial capture was kept${options.out ? ` in ${options.out}` : ''}; check the message above\n`);
      return EXIT.commandFailed;
    }
    return capture.run.endReason === 'interrupted' ? EXIT.interrupted : EXIT.ok;
  } finally {
    restore();
  }
}
