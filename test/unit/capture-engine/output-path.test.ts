import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputPath } from '../../../cli/capture/output-path.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-out-'));
const isOutputError = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === EXIT.output && re.test(e.message);

test('a new file in a writable directory is accepted (absolute path returned)', () => {
  assert.equal(checkOutputPath(join(dir, 'new.json'), false), join(dir, 'new.json'));
});

test('an existing file is refused without --force and accepted with it', () => {
  const p = join(dir, 'old.json');
  writeFileSync(p, '{}');
  assert.throws(() => checkOutputPath(p, false), isOutputError(/exists/));
  assert.equal(checkOutputPath(p, true), p);
});

test('a symlink is refused even with --force', () => {
  const p = join(dir, 'link.json');
  symlinkSync(join(dir, 'old.json'), p);
  assert.throws(() => checkOutputPath(p, true), isOutputError(/symbolic link/));
});

test('a directory or a missing parent is refused', () => {
  mkdirSync(join(dir, 'sub'));
  assert.throws(() => checkOutputPath(join(dir, 'sub'), true), isOutputError(/directory/));
  assert.throws(() => checkOutputPath(join(dir, 'nope', 'x.json'), false), isOutputError(/cannot write/));
});
