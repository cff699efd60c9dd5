// rcuwalk export RUN.json [--csv | --ndjson] [--table intervals|cpus|histogram|resolution] [-o FILE] [--dir DIR]
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags } from './parse-flags.js';
import { readCapture } from '../compare/load.js';
import { checkCsvTablesDir, csvChunks, ndjsonChunks, writeCaptureCsvTables } from '../export/csv.js';
import { TABLES, type TableName } from '../export/tables.js';
import { writeOutput } from '../export/output.js';

export const HELP = `usage: rcuwalk export RUN.json [--csv | --ndjson] [--table T] [-o FILE] [--force]
       rcuwalk export RUN.json --dir DIR

Writes one table of a capture as CSV (RFC 4180: header row, CRLF, quoted when needed) or NDJSON (one JSON
object per line, for jq). Column names carry units (runs_per_s, sys_pct, lockref_ns, spin_ns,
spin_ms_per_s); an empty CSV cell (NDJSON null) is a metric this run could not measure.

  --csv                 CSV (the default)
  --ndjson              NDJSON instead of CSV
  --table T             intervals (default: one row per interval x CPU), cpus (per-CPU totals),
                        histogram (lockref log2 histogram, ns), resolution (how each probe target was resolved)
  -o, --out FILE        write to FILE atomically (default: stdout)
  --force               overwrite FILE
  --dir DIR             write every table as DIR/<table>.csv (each file atomically; --force to overwrite)
`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('export', {
      args: argv, allowPositionals: true, strict: true,
      options: {
        csv: { type: 'boolean' }, ndjson: { type: 'boolean' }, table: { type: 'string', default: 'intervals' },
        out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  const { values: v, positionals } = parsed;
  if (v.help) { process.stdout.write(HELP); return EXIT.ok; }
  if (positionals.length !== 1) throw new UserError(positionals.length === 0 ? 'no capture file given' : `unexpected argument '${positionals[1]}'`, 'rcuwalk export RUN.json --csv');
  if (v.csv && v.ndjson) throw new UserError('--csv and --ndjson exclude each other', 'choose one');
  const table = v.table as TableName;
  if (!TABLES.includes(table)) throw new UserError(`bad --table '${v.table}'`, `use one of ${TABLES.join(', ')}`);
  const { capture } = await readCapture(positionals[0]!);
  if (v.dir !== undefined) {
    checkCsvTablesDir(v.dir, v.force ?? false);
    const files = await writeCaptureCsvTables(capture, v.dir, { force: v.force ?? false });
    process.stderr.write(files.map((f) => `rcuwalk: wrote ${f}\n`).join(''));
    return EXIT.ok;
  }
  await writeOutput(v.ndjson ? ndjsonChunks(capture, table) : csvChunks(capture, table), v.out ?? null, v.force ?? false);
  return EXIT.ok;
}
