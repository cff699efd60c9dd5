import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines, type FileLine } from '../../../cli/capture/file-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-file-lines-'));
const fail = (err: unknown) => new Error(`failed: ${(err as NodeJS.ErrnoException).code}`);

function linesOf(name: string, content: string | Buffer): FileLine[] {
  const p = join(dir, name);
  writeFileSync(p, content);
  return [...fileLines(p, fail)];
}

test('every line numbered from 1, blank ones too; only a last line without newline is incomplete; "\\r" kept', () => {
  assert.deepEqual(linesOf('a', 'x\n\ny\r\nz'), [
    { line: 'x', n: 1, complete: true }, { line: '', n: 2, complete: true },
    { line: 'y\r', n: 3, complete: true }, { line: 'z', n: 4, complete: false },
  ]);
  assert.deepEqual(linesOf('b', 'x\n'), [{ line: 'x', n: 1, complete: true }]);
  assert.deepEqual(linesOf('empty', ''), []);
});

test('a line and a UTF-8 character split between two 1 MB reads come out whole', () => {
  const head = 'a'.repeat((1 << 20) - 1); // "é" is 2 bytes: its first byte is the 1 MB read's last
  assert.deepEqual(linesOf('big', `${head}é tail\nnext\n`).map((l) => [l.line.length, l.line.slice(-6), l.complete]), [
    [head.length + 6, 'é tail', true], [4, 'next', true],
  ]);
});

test('a failed open or read throws what the caller makes of the error', () => {
  assert.throws(() => [...fileLines(join(dir, 'missing'), fail)], /failed: ENOENT/);
  assert.throws(() => [...fileLines(dir, fail)], /failed: EISDIR/); // a directory opens; its read fails
});
