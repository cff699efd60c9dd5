// rcuwalk capture: measure while the workload runs; write a schema-checked capture file (and CSV tables, trials).
import { startCapture } from '../capture/engine.js';
import type { CaptureResult } from '../capture/engine-api.js';
import { checkOutputPath } from '../capture/output-path.js';
import { exitCodeForEnd } from '../capture/end-exit.js';
import { EXIT } from '../exit-codes.js';
import { checkCsvTablesDir, writeCaptureCsvTables } from '../export/csv.js';
import { captureTrials, trialPaths } from '../plans/trials.js';
import { parseTrials, timestamp } from '../plans/plan-file.js';
import { CAPTURE_FLAGS_HELP, parseCaptureArgs } from './capture-options.js';
import { installStopSignals } from './stop-signals.js';
import { summaryLines } from './capture-summary.js';
import { troubleOfCapture, troubleWarnings } from '../format/bpftrace-trouble.js';

const HELP = `usage: rcuwalk capture [options]

Attach probes on pid_revalidate, the unlazy functions and lockref_get_not_dead (choosing per target
what this kernel allows), run the workload, and aggregate per CPU and per interval in the kernel.

${CAPTURE_FLAGS_HELP}
  --csv DIR                  also write the CSV tables (intervals, cpus, histogram, resolution) into DIR
  --trials K                 repeat the capture K times: FILE-1.json ... FILE-K.json (compare them with
                             'rcuwalk compare --base ... --cand ...')

Without --out, the capture is written to rcuwalk-YYYYmmdd-HHMMSS.json (unless --json).
Exit codes: 0 ok, 2 bad flags/config, 3 not privileged, 4 bpftrace/tracefs missing, 5 nothing measurable,
6 bpftrace or the workload failed (partial capture kept), 7 output path, 130 interrupted (capture kept).`;

function defaultOutName(d = new Date()): string {
  return `rcuwalk-${timestamp(d)}.json`;
}

/** Exit code for how a capture ended (the error line is printed here). */
function exitFor(r: CaptureResult): number {
  const run = r.capture.run;
  const code = exitCodeForEnd(run.endReason);
  if (code === EXIT.commandFailed) {
    process.stderr.write(`rcuwalk: ${run.error ?? 'the capture failed'}\n  next: the partial capture was kept${r.outPath ? ` in ${r.outPath}` : ''}; check the message above\n`);
  }
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCaptureArgs(argv, { csv: { type: 'string' }, trials: { type: 'string' } });
  if (parsed.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
  const { options, json } = parsed;
  const csvDir = typeof parsed.extra.csv === 'string' ? parsed.extra.csv : null;
  const trials = parseTrials(typeof parsed.extra.trials === 'string' ? parsed.extra.trials : undefined, 1);
  if (options.out === null && (!json || trials > 1)) options.out = defaultOutName();
  // refuse bad output paths before the first probe is loaded
  if (csvDir !== null) checkCsvTablesDir(csvDir, options.force);
  const log = (line: string) => process.stderr.write(`rcuwalk: ${line}\n`);

  if (trials > 1) {
    for (const p of trialPaths(options.out!, trials)) checkOutputPath(p, options.force);
    // only summarized here: the files hold every interval
    const { results, stoppedBy } = await captureTrials({ ...options, log, resultIntervals: 'recent' }, trials);
    for (const r of results) process.stdout.write(summaryLines(r.capture, r.intervalCount).join('\n') + '\n\n');
    if (csvDir !== null) log('--csv writes the tables of a single capture; with --trials, export each file with rcuwalk export');
    const worst = results.map(exitFor).find((c) => c !== EXIT.ok);
    return worst ?? stoppedBy?.exitCode ?? EXIT.ok;
  }

  // --json and --csv need every interval (read back from the file); the summary alone needs the totals
  const handle = startCapture({ ...options, log, resultIntervals: json || csvDir !== null ? 'all' : 'recent' });
  const restore = installStopSignals(() => handle.stop());
  try {
    const result = await handle.done;
    if (json) {
      process.stdout.write(JSON.stringify(result.capture, null, 1) + '\n');
      // stdout is the capture: bpftrace's errors and lost events are said on stderr
      for (const w of troubleWarnings(troubleOfCapture(result.capture))) log(w);
    } else process.stdout.write(summaryLines(result.capture, result.intervalCount).join('\n') + '\n');
    if (csvDir !== null) {
      const files = await writeCaptureCsvTables(result.capture, csvDir, { force: options.force });
      log(`wrote ${files.length} CSV tables in ${csvDir}`);
    }
    return exitFor(result);
  } finally {
    restore();
  }
}
