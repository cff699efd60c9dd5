// rcuwalk export RUN.json [--csv | --ndjson] [--table intervals|cpus|histogram|resolution] [-o FILE] [--dir DIR]
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags } from './parse-flags.js';
import { readCapture } from '../compare/load.js';
import { checkCsvTablesDir, csvChunks, ndjsonChunks, writeCaptureCsvTables } from '../export/csv.js';
import { TABLES, type TableName } from '../export/tables.js';
import { writeOutput } from '../export/output.js';
import { captureMetricsText } from '../export/openmetrics.js';

export const HELP = `usage: rcuwalk export RUN.json [--csv | --ndjson] [--table T] [-o FILE] [--force]
       rcuwalk export RUN.json --dir DIR
       rcuwalk export RUN.json --openmetrics | --prometheus [--no-per-cpu] [-o FILE]

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
  --openmetrics         the whole run's values in OpenMetrics 1.0 text, with the names 'rcuwalk serve' exports
  --prometheus          the same in the Prometheus text format 0.0.4: for node_exporter's textfile collector
                        (-o DIR/rcuwalk.prom), a Pushgateway (curl --data-binary @-), promtool check metrics
  --no-per-cpu          with --openmetrics/--prometheus: no cpu label, one series per counter
`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('export', {
      args: argv, allowPositionals: true, strict: true,
      options: {
        csv: { type: 'boolean' }, ndjson: { type: 'boolean' }, table: { type: 'string', default: 'intervals' },
        openmetrics: { type: 'boolean' }, prometheus: { type: 'boolean' }, 'no-per-cpu': { type: 'boolean' },
        out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  const { values: v, positionals } = parsed;
  if (v.help) { process.stdout.write(HELP); return EXIT.ok; }
  if (positionals.length !== 1) throw new UserError(positionals.length === 0 ? 'no capture file given' : `unexpected argument '${positionals[1]}'`, 'rcuwalk export RUN.json --csv');
  if ([v.csv, v.ndjson, v.openmetrics, v.prometheus, v.dir !== undefined].filter(Boolean).length > 1) throw new UserError('--csv, --ndjson, --openmetrics, --prometheus and --dir exclude each other', 'choose one');
  if (v['no-per-cpu'] && !v.openmetrics && !v.prometheus) throw new UserError('--no-per-cpu goes with --openmetrics or --prometheus', 'add --openmetrics or drop --no-per-cpu');
  if (v.csv && v.ndjson) throw new UserError('--csv and --ndjson exclude each other', 'choose one');
  const table = v.table as TableName;
  if (!TABLES.includes(table)) throw new UserError(`bad --table '${v.table}'`, `use one of ${TABLES.join(', ')}`);
  const { capture } = await readCapture(positionals[0]!);
  if (v.openmetrics || v.prometheus) {
    await writeOutput(await captureMetricsText(capture, v['no-per-cpu'] !== true, v.prometheus ? 'prometheus' : 'openmetrics'), v.out ?? null, v.force ?? false);
    return EXIT.ok;
  }
  if (v.dir !== undefined) {
    checkCsvTablesDir(v.dir, v.force ?? false);
    const files = await writeCaptureCsvTables(capture, v.dir, { force: v.force ?? false });
    process.stderr.write(files.map((f) => `rcuwalk: wrote ${f}\n`).join(''));
    return EXIT.ok;
  }
  await writeOutput(v.ndjson ? ndjsonChunks(capture, table) : csvChunks(capture, table), v.out ?? null, v.force ?? false);
  return EXIT.ok;
}
