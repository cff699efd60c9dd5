// rcuwalk recover JOURNAL [-o OUT] [--force]: a capture file from the journal of an interrupted capture.
import { parseArgs } from 'node:util';
import { recoverFromJournal } from '../capture/journal.js';
import { writeFileAtomic } from '../atomic-write.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { validateCapture } from '../schema/validate.js';

export const HELP = `usage: rcuwalk recover JOURNAL [-o OUT] [--force] [--json]

Rebuilds a capture from RUN.json.journal, the journal a capture writes while it runs (one line per closed
interval, each synced to disk). Use it when rcuwalk was killed (SIGKILL, power loss) before it could write
RUN.json. The capture holds every interval the journal holds (complete: false, endReason interrupted);
histograms and contention stacks are not journaled and come back empty. The journal is left in place.

  -o, --out OUT   where to write the capture (default: JOURNAL without its .journal suffix)
  -f, --force     overwrite OUT if it exists
  --json          print the capture on stdout instead of writing a file

Exit codes: 0 ok, 2 unreadable or damaged journal / bad flags, 7 OUT exists (use --force), is a link, or can't be written.
`;

/** The default output path for a journal: RUN.json.journal -> RUN.json; null when the name has no .journal suffix. */
export function defaultRecoverOut(journal: string): string | null {
  return journal.endsWith('.journal') && journal.length > '.journal'.length ? journal.slice(0, -'.journal'.length) : null;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        out: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f', default: false },
        json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]!, "run 'rcuwalk recover --help'");
  }
  const { values: v, positionals } = parsed;
  if (v.help) { process.stdout.write(HELP); return EXIT.ok; }
  if (positionals.length !== 1) {
    throw new UserError(positionals.length === 0 ? 'no journal file given' : `unexpected argument '${positionals[1]}'`, 'rcuwalk recover RUN.json.journal [-o RUN.json]');
  }
  const journal = positionals[0]!;
  if (v.json && v.out !== undefined) throw new UserError('--json and --out exclude each other', 'choose one');
  const out = v.json ? null : (v.out ?? defaultRecoverOut(journal));
  if (!v.json && out === null) throw new UserError(`${journal} does not end in .journal: give the output path`, `rcuwalk recover ${journal} -o RUN.json`);
  const capture = validateCapture(recoverFromJournal(journal), '(recovered capture)');
  const text = JSON.stringify(capture, null, 1) + '\n';
  if (out === null) {
    process.stdout.write(text);
  } else {
    writeFileAtomic(out, text, { force: v.force ?? false });
    process.stderr.write(`rcuwalk: wrote ${out} (${capture.intervals.length} intervals recovered from ${journal}${capture.run.error?.includes('cut short') ? '; its last line was cut short and ignored' : ''})\n`);
  }
  return EXIT.ok;
}
