// `rcuwalk run` (the live UI) in a real pty (tmux) stopped from outside: SIGTERM (exit 130, terminal restored, the
// --out capture kept) and SIGHUP by closing its pane (the terminal is gone: nothing left running, what was measured
// kept as a capture or a journal that recovers). Ctrl-C and q are covered by test/integration/tui-pty.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture } from '../../cli/schema/validate.js';
import { BIN, captureUnsupportedReason, runCli } from '../helpers/cli.js';
import { describe, newTag, TAG_VAR, taggedProcesses, waitFor } from './helpers.js';

const reason = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status !== 0 ? 'tmux is not installed' : captureUnsupportedReason();
if (reason) process.stdout.write(`# reliability/tui-signals: skipped: ${reason}\n`);

class Pane {
  readonly sock = `rcuwalk-rel-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor() { this.tmux('new-session', '-d', '-s', 't', '-x', '100', '-y', '30', 'env', 'PS1=$ ', 'TERM=xterm-256color', 'bash', '--norc', '--noprofile'); }
  tmux(...args: string[]): string { return execFileSync('tmux', ['-L', this.sock, ...args], { encoding: 'utf8' }); }
  screen(): string { try { return this.tmux('capture-pane', '-p', '-t', 't'); } catch { return ''; } }
  type(text: string): void { this.tmux('send-keys', '-t', 't', '-l', text); this.tmux('send-keys', '-t', 't', 'Enter'); }
  async until(re: RegExp, ms: number): Promise<string> {
    let s = '';
    await waitFor(() => re.test((s = this.screen())), ms, 200);
    assert.match(s, re, `screen did not show ${re} within ${ms} ms`);
    return s;
  }
  kill(): void { try { this.tmux('kill-server'); } catch { /* gone */ } }
}

function startRun(p: Pane, tag: string, out: string): void {
  p.type(`${TAG_VAR}=${tag} ${process.execPath} ${BIN} run --duration 60s --parallel 2 --ballast 2 --lockref-strategy contention --out ${out}`);
}
const rcuwalkNode = (tag: string) => taggedProcesses(tag).find((x) => x.comm === 'node' && x.cmdline.includes(' run '));

/** At the prompt, start `rcuwalk run`, and wait until its per-CPU table shows and a few intervals went by. */
async function startRunAndWaitForRows(p: Pane, tag: string, out: string): Promise<void> {
  await p.until(/^\$ ?$/m, 5000);
  startRun(p, tag, out);
  await p.until(/^[ >]0\s+\d+\.\d/m, 90_000);
  await new Promise((r) => setTimeout(r, 2500));
}

test('SIGTERM to `rcuwalk run` in a pty: exit 130, terminal restored, capture kept, nothing left running', { skip: reason ?? false, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-tui-term-'));
  const out = join(dir, 'run.json');
  const tag = newTag();
  const p = new Pane();
  try {
    await startRunAndWaitForRows(p, tag, out);
    const node = rcuwalkNode(tag);
    assert.ok(node, describe(taggedProcesses(tag)));
    process.kill(node.pid, 'SIGTERM');
    await p.until(/^\$ ?$/m, 30_000);
    p.type('c=$?; clear; echo "RCUWALK_EXIT=$c"; echo "MODES: $(stty -a | tr -s " ;" "\\n\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " ")"; echo STTY_DONE');
    const s = await p.until(/^STTY_DONE\s*\n\$/m, 10_000);
    assert.match(s, /RCUWALK_EXIT=130/);
    assert.match(s, /MODES: (echo )?icanon (echo )?/, 'canonical mode is back');
    assert.match(s, /MODES: .*(^|\s)echo(\s|$)/m, 'echo is back');
    assert.equal(p.tmux('display-message', '-p', '-t', 't', '#{cursor_flag}').trim(), '1', 'the cursor is visible');
    assert.ok(await waitFor(() => taggedProcesses(tag).length === 0, 5000), describe(taggedProcesses(tag)));
    const cap = loadCapture(out);
    assert.equal(cap.run.endReason, 'interrupted');
    assert.ok(cap.intervals.length >= 2);
  } finally {
    p.kill();
  }
});

test('SIGHUP (the pane running `rcuwalk run` is closed): nothing left running, what was measured kept', { skip: reason ?? false, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-tui-hup-'));
  const out = join(dir, 'run.json');
  const tag = newTag();
  const p = new Pane();
  try {
    await startRunAndWaitForRows(p, tag, out);
    assert.ok(rcuwalkNode(tag), describe(taggedProcesses(tag)));
    p.kill(); // the terminal goes away: the shell and rcuwalk get SIGHUP, stdout/stderr become unwritable
    const gone = await waitFor(() => taggedProcesses(tag).length === 0, 20_000, 100);
    assert.ok(gone, `left running after the pane was closed:\n${describe(taggedProcesses(tag))}`);
    if (existsSync(out)) {
      assert.ok(loadCapture(out).intervals.length >= 2);
    } else {
      assert.ok(existsSync(`${out}.journal`), 'neither the capture nor its journal');
      const r = runCli(['recover', `${out}.journal`]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(loadCapture(out).intervals.length >= 2);
    }
  } finally {
    p.kill();
  }
});
