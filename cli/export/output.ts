// Where compare/export/report output goes: stdout, or a file written atomically (cli/atomic-write.ts:
// a reader never sees half a file; a failure leaves nothing behind; an existing file needs --force).
import { writeFileAtomic } from '../atomic-write.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

export function writeAtomic(path: string, data: string, force = true): void {
  writeFileAtomic(path, data, { force });
}

/**
 * Writes chunks to stdout with backpressure. A reader that goes away (`| head`, jq exiting: EPIPE) ends the
 * output quietly: returns false, and the command still exits normally.
 */
async function writeStdout(chunks: Iterable<string>): Promise<boolean> {
  const out = process.stdout;
  let broken = false;
  let failure: NodeJS.ErrnoException | null = null;
  const onError = (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') broken = true; else failure = err; };
  const check = () => {
    if (failure) throw new UserError(`cannot write to standard output: ${failure.code ?? failure.message}`, 'check where the output goes (disk full?), or use -o FILE', EXIT.output);
  };
  out.on('error', onError);
  try {
    for (const chunk of chunks) {
      check();
      if (broken) return false;
      const ok = out.write(chunk);
      if (!ok) {
        await new Promise<void>((res) => {
          const done = () => { out.off('drain', done); out.off('error', done); out.off('close', done); res(); };
          out.once('drain', done); out.once('error', done); out.once('close', done);
        });
      }
    }
    // wait until what was written is flushed (or the pipe broke)
    await new Promise<void>((res) => out.write('', () => res()));
    check();
    return !broken;
  } finally {
    // keep swallowing a late EPIPE from buffered writes
    if (!broken) out.off('error', onError);
  }
}

/** Writes text (or chunks of it) to stdout (path null or '-'), or atomically to path (refusing to overwrite without force). */
export async function writeOutput(text: string | Iterable<string>, path: string | null, force: boolean): Promise<void> {
  const chunks = typeof text === 'string' ? [text] : text;
  if (path === null || path === '-') { await writeStdout(chunks); return; }
  writeFileAtomic(path, typeof text === 'string' ? text : [...chunks].join(''), { force });
}
