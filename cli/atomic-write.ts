// Write a file atomically: a temp file in the same directory, fsync, then link/rename into place.
// Readers see the old file or the new one, never half of one; on any failure the temp file is removed.
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from './errors.js';
import { EXIT } from './exit-codes.js';

export interface AtomicWriteOptions {
  /** replace an existing file (never a symlink or a directory) */
  force?: boolean;
  mode?: number;
}

function outputError(path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new UserError(`no space left to write ${path}; nothing was replaced`, 'free some space (or choose another --out) and run again', EXIT.output);
    case 'EACCES':
    case 'EPERM':
      return new UserError(`cannot write ${path}: permission denied`, 'choose an --out path in a writable directory', EXIT.output);
    case 'EROFS':
      return new UserError(`cannot write ${path}: read-only file system`, 'choose an --out path on a writable file system', EXIT.output);
    case 'ENOENT':
    case 'ENOTDIR':
      return new UserError(`cannot write ${path}: ${dirname(path)} is not an existing directory`, 'create the directory or choose another --out', EXIT.output);
    default:
      return new UserError(`cannot write ${path}: ${(err as Error).message ?? String(err)}`, 'choose another --out path', EXIT.output);
  }
}

function lstatOrNull(p: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function existsError(path: string): UserError {
  return new UserError(`${path} exists: use --force to overwrite it`, 'pass --force, or choose another --out path', EXIT.output);
}

/** fsync a directory so the rename itself is durable; best effort (some file systems refuse). */
function syncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not every file system can fsync a directory */
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Writes `data` to `path` atomically. Refuses a symlinked target, a directory, and an existing file unless
 * `force` (UserError, EXIT.output). Without force the final step is link(2), which fails if the file appeared
 * meanwhile, so an existing file is never replaced by a race. Errors (ENOSPC, EACCES, ...) leave any previous
 * file intact and no temp file behind.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  writeFileAtomicStream(path, [data], opts);
}

/** An error thrown by the chunk source of writeFileAtomicStream (not by the file system): rethrown as it is. */
class SourceError { constructor(readonly err: unknown) {} }

const FLUSH_BYTES = 1 << 20;

/**
 * writeFileAtomic for data produced piece by piece (a capture streamed from its journal): the same rules, with
 * `chunks` written in order (buffered, about 1 MB per write) so the whole file never sits in memory. An error
 * thrown by `chunks` removes the temp file and is rethrown unchanged.
 */
export function writeFileAtomicStream(path: string, chunks: Iterable<string | Uint8Array>, opts: AtomicWriteOptions = {}): void {
  const target = resolve(path);
  const st = lstatOrNull(target);
  if (st?.isSymbolicLink()) throw new UserError(`${path} is a symbolic link; rcuwalk does not write through links`, 'choose another --out path', EXIT.output);
  if (st?.isDirectory()) throw new UserError(`${path} is a directory`, 'give a file name, e.g. --out run.json', EXIT.output);
  if (st && !opts.force) throw existsError(path);

  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
    const writeAll = (buf: Uint8Array): void => {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    };
    let pending: string[] = [];
    let pendingLen = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      writeAll(Buffer.from(pending.join(''), 'utf8'));
      pending = [];
      pendingLen = 0;
    };
    const it = chunks[Symbol.iterator]();
    for (;;) {
      let r: IteratorResult<string | Uint8Array>;
      try { r = it.next(); } catch (err) { throw new SourceError(err); }
      if (r.done) break;
      const c = r.value;
      if (typeof c === 'string') {
        pending.push(c);
        pendingLen += c.length;
        if (pendingLen >= FLUSH_BYTES) flush();
      } else {
        flush();
        writeAll(c);
      }
    }
    flush();
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    if (opts.force) {
      const again = lstatOrNull(target);
      if (again?.isSymbolicLink()) throw new UserError(`${path} is a symbolic link; rcuwalk does not write through links`, 'choose another --out path', EXIT.output);
      renameSync(tmp, target);
    } else {
      try {
        linkSync(tmp, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw existsError(path);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
        // no hard links here (some FUSE/network file systems): check again, then rename
        if (lstatOrNull(target)) throw existsError(path);
        renameSync(tmp, target);
      }
      try { unlinkSync(tmp); } catch { /* renamed, or already gone */ }
    }
    syncDir(dir);
  } catch (err) {
    if (fd >= 0) { try { closeSync(fd); } catch { /* ignore */ } }
    try { unlinkSync(tmp); } catch { /* not created */ }
    if (err instanceof SourceError) throw err.err;
    if (err instanceof UserError) throw err;
    throw outputError(path, err);
  }
}
