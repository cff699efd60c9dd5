// Schema checks for tests, through the project's validator (cli/schema/validate.ts): [] when valid, else the error line.
import { validateWith } from '../../../cli/schema/validate.js';

export function schemaErrors(schemaFile: string, data: unknown): string[] {
  try { validateWith(schemaFile, data); return []; } catch (err) { return [(err as Error).message]; }
}
