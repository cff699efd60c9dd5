// A small tmpfs for a test (a full or read-only disk on demand): mounted at `dir`, unmounted after `fn`, whatever fn did.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** Runs fn with a tmpfs (`options`, e.g. 'size=64k' or 'ro,size=64k') at dir; skips the test, saying why, if it cannot mount. */
export async function withTmpfs(t: TestContext, dir: string, options: string, fn: () => void | Promise<void>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    t.skip('cannot mount a tmpfs here (needs root and mount)');
    return;
  }
  try {
    await fn();
  } finally {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  }
}
