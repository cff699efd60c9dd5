// Where compare/export/report output goes: stdout, or a file written atomically (cli/capture/atomic-write.ts:
// a reader never sees half a file; a failure leaves nothing behind; an existing file needs --force).
import { writeFileAtomic } from '../capture/atomic-write.js';

export function writeAtomic(path: string, data: string, force = true): void {
  writeFileAtomic(path, data, { force });
}

/** Writes text to stdout (path null or '-'), or atomically to path (refusing to overwrite without force). */
export async function writeOutput(text: string, path: string | null, force: boolean): Promise<void> {
  if (path === null || path === '-') {
    await new Promise<void>((res, rej) => process.stdout.write(text, (e) => (e ? rej(e) : res())));
    return;
  }
  writeFileAtomic(path, text, { force });
}
