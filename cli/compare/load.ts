// Reading capture files for compare/export/report: the schema-checked loader of the data path.
import { loadCapture } from '../schema/validate.js';
import type { Capture } from '../schema/types.generated.js';

export interface LoadedCapture { file: string; capture: Capture }

export async function readCapture(file: string): Promise<LoadedCapture> {
  return { file, capture: loadCapture(file) };
}
