// Reading capture files for compare/export/report. TEMPORARY minimal reader until cli/schema/validate.ts
// (loadCapture, the schema-checked one) lands; then this delegates to it.
import { readFile } from 'node:fs/promises';
import type { Capture } from '../schema/types.generated.js';
import { UserError } from '../errors.js';

export interface LoadedCapture { file: string; capture: Capture }

export async function readCapture(file: string): Promise<LoadedCapture> {
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch (err) {
    throw new UserError(`cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check the path of the capture file');
  }
  let data: unknown;
  try { data = JSON.parse(text); } catch (err) {
    throw new UserError(`'${file}' is not JSON: ${(err as Error).message}`, 'pass a capture file written by rcuwalk capture --out');
  }
  const c = data as Partial<Capture> | null;
  if (typeof c !== 'object' || c === null || c.schemaVersion !== 1 || c.tool?.name !== 'rcuwalk' || !Array.isArray(c.intervals) || !c.totals || !c.histograms || !c.metricSources) {
    throw new UserError(`'${file}' is not an rcuwalk capture (schemaVersion 1)`, 'pass a capture file written by rcuwalk capture --out');
  }
  return { file, capture: c as Capture };
}
