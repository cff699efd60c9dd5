// rcuwalk view RUN.json [--baseline BASE.json]: the live UI over a recorded capture (or the journal of a killed
// run), with a time cursor; without a TTY, or with --plain, its interval lines and summary.
import { basename } from 'node:path';
import type { Capture } from '../schema/types.generated.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags } from './parse-flags.js';
import { openRun, type RunSource } from '../view/load-run.js';
import { loadCapture } from '../schema/validate.js';
import { summaryLines } from './capture-summary.js';
import { plainIntervalLine } from '../format/plain-lines.js';
import { baselineModel, totalsVsBaselineLine } from '../tui/view-model/baseline.js';
import { colorEnabled } from '../tui/theme.js';
import { exitCodeForStop } from '../capture/end-exit.js';
import { userStopOf, type QuitHow } from '../tui/view-model/keys.js';
import { installStopSignals } from './stop-signals.js';

export const HELP = `usage: rcuwalk view RUN.json [--baseline BASE.json] [--plain]

The live UI over a recorded run: a capture file, or RUN.json.journal of a run that was killed. A time cursor
moves through the intervals: left/right, Home/End, g and a number then enter to go to interval #N; w shows the
whole run instead of the interval under the cursor. The other keys are the live UI's (? lists them).
Without a terminal (stdout not a TTY), or with --plain, it prints the interval lines and the summary; with
stdin not a terminal it draws the screen at the last interval once and exits.

  --baseline FILE   show every number's change against this capture (same metric, same CPU)
  --plain           plain lines, as without a terminal

Exit codes: 0 ok, 2 a file that is not a capture (or a damaged journal, or a newer schema version: the message
names the file and the JSON path), 130 after Ctrl-C or a signal.`;

export async function main(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags('view', {
    args: argv, allowPositionals: true,
    options: { baseline: { type: 'string' }, plain: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (v.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
  if (positionals.length !== 1) {
    throw new UserError(positionals.length === 0 ? 'no capture file given' : `unexpected argument '${positionals[1]}'`, 'rcuwalk view RUN.json [--baseline BASE.json]');
  }
  const path = positionals[0]!;
  const run = openRun(path);
  const baseline = v.baseline ? loadCapture(v.baseline) : null;
  const baselineLabel = v.baseline ? basename(v.baseline) : null;
  if (!process.stdout.isTTY || v.plain) return printPlain({ ...run.head, intervals: run.all() }, baseline, baselineLabel);
  return viewTui(run, basename(path), baseline, baselineLabel);
}

function printPlain(c: Capture, baseline: Capture | null, baselineLabel: string | null): number {
  const out: string[] = c.intervals.map((iv) => plainIntervalLine(iv, { durationMs: c.settings.durationMs, lostEvents: c.run.lostEvents }));
  out.push(...summaryLines(c));
  if (baseline) out.push(totalsVsBaselineLine(c, baselineModel(baseline, c.host.cpuCount, baselineLabel ?? 'baseline')));
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

/** Raw mode off, whatever happened. */
function restoreTerminal(): void {
  try { if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false); } catch { /* stdin gone */ }
}

async function viewTui(run: RunSource, label: string, baseline: Capture | null, baselineLabel: string | null): Promise<number> {
  const { render } = await (await import('../tui/load-ink.js')).loadInk(true);
  const [{ createElement }, { Viewer }] = await Promise.all([import('react'), import('../tui/viewer.js')]);
  let resolve!: (code: number) => void, reject!: (err: unknown) => void;
  const closed = new Promise<number>((a, b) => { resolve = a; reject = b; });
  const onQuit = (how: QuitHow) => resolve(exitCodeForStop(userStopOf(how)));
  const color = colorEnabled(process.env);
  const inst = render(createElement(Viewer, { run, label, baseline, baselineLabel, color, onQuit, onError: reject }), { exitOnCtrlC: false, patchConsole: false });
  // stdin not a terminal: nobody can press a key, so the first screen stays on the terminal and that is all
  if (!process.stdin.isTTY) { inst.unmount(); inst.cleanup(); return EXIT.ok; }
  // a signal, or the terminal gone (writes fail with EIO): leave like Ctrl-C (nothing to keep: the first signal leaves)
  const interrupted = () => resolve(exitCodeForStop('interrupt'));
  const restoreSignals = installStopSignals(interrupted, { announce: false, beforeExit: restoreTerminal });
  process.stdout.on('error', interrupted);
  try {
    return await closed;
  } finally {
    restoreSignals();
    try { inst.unmount(); inst.cleanup(); } catch { /* the terminal is gone */ }
    restoreTerminal();
  }
}
