// Where compare/export/report output goes: stdout, or a file written atomically (temp file + rename, so a
// reader never sees half a file and a failure leaves nothing behind).
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { checkOutputPath } from '../capture/output-path.js';

/**
 * TEMPORARY until cli/capture/atomic-write.ts (writeFileAtomic, data path) lands; then this delegates to it.
 */
export async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { flush: true });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new UserError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'choose a writable output path', EXIT.output);
  }
}

/** Writes text to stdout (path null or '-'), or atomically to path (refusing to overwrite without force). */
export async function writeOutput(text: string, path: string | null, force: boolean): Promise<void> {
  if (path === null || path === '-') {
    await new Promise<void>((res, rej) => process.stdout.write(text, (e) => (e ? rej(e) : res())));
    return;
  }
  const abs = checkOutputPath(path, force);
  await writeAtomic(abs, text);
}
