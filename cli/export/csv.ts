// Capture tables as RFC 4180 CSV (csv-stringify: header row, CRLF, quoted when needed, empty cell for null)
// and as NDJSON (one JSON object per line, null for unavailable; for jq).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Capture } from '../schema/types.generated.js';
import { columnsOf, TABLES, tableRows, type Row, type TableName } from './tables.js';
import { METRICS, type MetricDef } from '../metrics/catalogue.js';
import { writeAtomic } from './output.js';

const CHUNK = 4096;

const STRINGIFY_OPTS = { record_delimiter: '\r\n', cast: { boolean: (b: boolean) => (b ? 'true' : 'false') } } as const;

/**
 * CSV text of one table, in chunks (a 128-CPU x 3600-interval capture is ~460k rows). csv-stringify writes
 * the header and every row holding a string or boolean (quoting per RFC 4180); rows of only numbers and nulls
 * need no quoting and are joined directly (the same text csv-stringify gives: String(n), '' for null), which is
 * ~10x faster on the big intervals table.
 */
export function* csvChunks(c: Capture, table: TableName, metrics: readonly MetricDef[] = METRICS): Generator<string> {
  const columns = [...columnsOf(metrics)[table]];
  yield stringify([columns], STRINGIFY_OPTS);
  let buf = '';
  let n = 0;
  for (const r of tableRows(c, table, metrics)) {
    const cells = columns.map((k) => r[k] ?? null);
    if (cells.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) buf += cells.map((v) => (v === null ? '' : String(v))).join(',') + '\r\n';
    else buf += stringify([cells], STRINGIFY_OPTS);
    if (++n >= CHUNK) { yield buf; buf = ''; n = 0; }
  }
  if (buf) yield buf;
}

export function toCsv(c: Capture, table: TableName, metrics: readonly MetricDef[] = METRICS): string { return [...csvChunks(c, table, metrics)].join(''); }

export function* ndjsonLines(c: Capture, table: TableName, metrics: readonly MetricDef[] = METRICS): Generator<string> {
  const columns = columnsOf(metrics)[table];
  for (const r of tableRows(c, table, metrics)) {
    const o: Row = {};
    for (const k of columns) o[k] = r[k] ?? null;
    yield JSON.stringify(o) + '\n';
  }
}

export function toNdjson(c: Capture, table: TableName): string { return [...ndjsonLines(c, table)].join(''); }

/** NDJSON in chunks of CHUNK lines (for streaming to stdout). */
export function* ndjsonChunks(c: Capture, table: TableName): Generator<string> {
  let buf = '', n = 0;
  for (const line of ndjsonLines(c, table)) { buf += line; if (++n >= CHUNK) { yield buf; buf = ''; n = 0; } }
  if (buf) yield buf;
}

export function csvTablePaths(dir: string): string[] {
  return TABLES.map((t) => join(dir, `${t}.csv`));
}

/**
 * For `rcuwalk capture --csv DIR`: call before the capture starts, so a bad DIR is refused first (nothing is
 * lost at the end). Creates DIR; refuses table files that exist unless force (UserError, EXIT.output).
 */
export function checkCsvTablesDir(dir: string, force: boolean): void {
  try { mkdirSync(dir, { recursive: true }); } catch (err) {
    throw new UserError(`cannot create ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'choose a writable --csv directory', EXIT.output);
  }
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} is not a directory`, 'give --csv a directory', EXIT.output);
  const existing = force ? [] : csvTablePaths(dir).filter((p) => existsSync(p));
  if (existing.length > 0) throw new UserError(`${existing[0]} exists`, 'use --force to overwrite, or choose another --csv directory', EXIT.output);
}

/**
 * Writes every table as DIR/<table>.csv (intervals, cpus, histogram, resolution), each file atomically
 * (cli/atomic-write.ts); creates DIR. Existing files are replaced only with force. Returns the paths.
 */
export async function writeCaptureCsvTables(capture: Capture, dir: string, opts: { force?: boolean } = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const t of TABLES) {
    const p = join(dir, `${t}.csv`);
    writeAtomic(p, toCsv(capture, t), opts.force ?? false);
    out.push(p);
  }
  return out;
}
