// Check an output path before anything starts: a capture must never be lost at the end for a path we could have refused first.
import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

export function checkOutputPath(path: string, force: boolean): string {
  const abs = resolve(path);
  let st: ReturnType<typeof lstatSync> | null = null;
  try { st = lstatSync(abs); } catch { st = null; }
  if (st?.isSymbolicLink()) throw new UserError(`${path} is a symbolic link; rcuwalk does not write through links`, 'choose another --out path', EXIT.output);
  if (st?.isDirectory()) throw new UserError(`${path} is a directory`, 'give --out a file name, e.g. --out run.json', EXIT.output);
  if (st && !force) throw new UserError(`${path} exists`, 'use --force to overwrite it, or choose another --out path', EXIT.output);
  const dir = dirname(abs);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UserError(`cannot write in ${dir}`, 'choose an --out path in a writable directory', EXIT.output);
  }
  return abs;
}
