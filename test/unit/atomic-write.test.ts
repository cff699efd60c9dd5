import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../cli/atomic-write.js';
import { UserError } from '../../cli/errors.js';
import { EXIT } from '../../cli/exit-codes.js';
import { withTmpfs } from '../helpers/tmpfs.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-atomic-'));

function outputError(fn: () => void, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UserError && e.exitCode === EXIT.output && re.test(e.message), String(re));
}

test('writes a new file; no temp file left', () => {
  const p = join(dir, 'a.json');
  writeFileAtomic(p, '{"x":1}\n');
  assert.equal(readFileSync(p, 'utf8'), '{"x":1}\n');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('refuses an existing file without force; replaces it with force', () => {
  const p = join(dir, 'b.json');
  writeFileSync(p, 'old');
  outputError(() => writeFileAtomic(p, 'new'), /exists: use --force/);
  assert.equal(readFileSync(p, 'utf8'), 'old');
  writeFileAtomic(p, 'new', { force: true });
  assert.equal(readFileSync(p, 'utf8'), 'new');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('refuses a symlinked target, even with force, and a directory', () => {
  const target = join(dir, 'real.json');
  writeFileSync(target, 'keep');
  const link = join(dir, 'link.json');
  symlinkSync(target, link);
  outputError(() => writeFileAtomic(link, 'x', { force: true }), /symbolic link/);
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  const d = join(dir, 'adir');
  mkdirSync(d);
  outputError(() => writeFileAtomic(d, 'x', { force: true }), /is a directory/);
});

test('a missing directory is an output error', () => {
  outputError(() => writeFileAtomic(join(dir, 'nope', 'c.json'), 'x'), /not an existing directory/);
});

test('a read-only file system is an output error', { skip: process.getuid?.() !== 0 ? 'needs root to mount' : false }, async (t) => {
  const ro = join(dir, 'ro');
  await withTmpfs(t, ro, 'ro,size=64k', () => {
    outputError(() => writeFileAtomic(join(ro, 'd.json'), 'x'), /read-only file system/);
  });
});

test('ENOSPC: the temp file is removed and the previous file is intact', { skip: process.getuid?.() !== 0 ? 'needs root to mount' : false }, async (t) => {
  const small = join(dir, 'small');
  await withTmpfs(t, small, 'size=64k', () => {
    const p = join(small, 'run.json');
    writeFileSync(p, 'previous capture');
    outputError(() => writeFileAtomic(p, 'x'.repeat(1024 * 1024), { force: true }), /no space left/);
    assert.equal(readFileSync(p, 'utf8'), 'previous capture');
    assert.deepEqual(readdirSync(small), ['run.json']);
  });
});
