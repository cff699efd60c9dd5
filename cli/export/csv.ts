// Capture tables as RFC 4180 CSV (csv-stringify: header row, CRLF, quoted when needed, empty cell for null)
// and as NDJSON (one JSON object per line, null for unavailable; for jq).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Capture } from '../schema/types.generated.js';
import { COLUMNS, TABLES, tableRows, type Row, type TableName } from './tables.js';
import { writeAtomic } from './output.js';

const CHUNK = 4096;

const STRINGIFY_OPTS = { record_delimiter: '\r\n', cast: { boolean: (b: boolean) => (b ? 'true' : 'false') } } as const;

/**
 * CSV text of one table, in chunks (a 128-CPU x 3600-interval capture is ~460k rows). csv-stringify writes
 * the header and every row holding a string or boolean (quoting per RFC 4180); rows of only numbers and nulls
 * need no quoting and are joined directly (the same text csv-stringify gives: String(n), '' for null), which is
 * ~10x faster on the big intervals table.
 */
export function* csvChunks(c: Capture, table: TableName): Generator<string> {
  const columns = [...COLUMNS[table]];
  yield stringify([columns], STRINGIFY_OPTS);
  let buf = '';
  let n = 0;
  for (const r of tableRows(c, table)) {
    const cells = columns.map((k) => r[k] ?? null);
    if (cells.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) buf += cells.map((v) => (v === null ? '' : String(v))).join(',') + '\r\n';
    else buf += stringify([cells], STRINGIFY_OPTS);
    if (++n >= CHUNK) { yield buf; buf = ''; n = 0; }
  }
  if (buf) yield buf;
}

export function toCsv(c: Capture, table: TableName): string { return [...csvChunks(c, table)].join(''); }

export function* ndjsonLines(c: Capture, table: TableName): Generator<string> {
  const columns = COLUMNS[table];
  for (const r of tableRows(c, table)) {
    const o: Row = {};
    for (const k of columns) o[k] = r[k] ?? null;
    yield JSON.stringify(o) + '\n';
  }
}

export function toNdjson(c: Capture, table: TableName): string { return [...ndjsonLines(c, table)].join(''); }

/** Writes every table as DIR/<table>.csv, each file atomically; returns the paths. (`rcuwalk capture --csv DIR`.) */
export async function writeCaptureCsvTables(capture: Capture, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (const t of TABLES) {
    const p = join(dir, `${t}.csv`);
    await writeAtomic(p, toCsv(capture, t));
    out.push(p);
  }
  return out;
}
