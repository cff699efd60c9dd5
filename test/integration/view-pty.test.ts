// `rcuwalk view` in a real pty (tmux) on a recorded qemu capture: the screen and the time cursor, q (exit 0),
// Ctrl-C and SIGTERM (130), the terminal restored after each (canonical mode, echo, cursor), closing the pane
// (SIGHUP, then EIO on output: the process ends), a bad file (one line, exit 2), stdin not a terminal (one
// screen, exit 0). Needs tmux only (no root: view reads a file); skipped with the reason otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, waitFor } from '../helpers/cli.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

const reason = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status !== 0 ? 'tmux is not installed' : null;
if (reason) process.stdout.write(`# view-pty: skipped: ${reason}\n`);
const CAPTURE = join(FIXTURES_DIR, 'vm', '5.10.0-46-amd64', 'capture.json');

class Pane {
  readonly sock = `rcuwalk-view-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(cols = 100, rows = 30) {
    this.tmux('new-session', '-d', '-s', 't', '-x', String(cols), '-y', String(rows), 'env', 'PS1=$ ', 'TERM=xterm-256color', 'bash', '--norc', '--noprofile');
  }
  tmux(...args: string[]): string { return execFileSync('tmux', ['-L', this.sock, ...args], { encoding: 'utf8' }); }
  screen(): string { try { return this.tmux('capture-pane', '-p', '-t', 't'); } catch { return ''; } }
  type(text: string): void { this.tmux('send-keys', '-t', 't', '-l', text); this.tmux('send-keys', '-t', 't', 'Enter'); }
  key(k: string): void { this.tmux('send-keys', '-t', 't', k); }
  async until(re: RegExp, ms: number): Promise<string> {
    let s = '';
    await waitFor(() => re.test((s = this.screen())), ms, 100);
    assert.match(s, re, `screen did not show ${re} within ${ms} ms`);
    return s;
  }
  /** the node process running in the pane */
  viewPid(): number {
    const pane = Number(this.tmux('list-panes', '-t', 't', '-F', '#{pane_pid}').trim());
    const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
    const row = out.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).find((m) => m && (Number(m[2]) === pane || Number(m[1]) === pane) && m[3]!.includes('bin.js'));
    return row ? Number(row[1]) : -1;
  }
  kill(): void { try { this.tmux('kill-server'); } catch { /* gone */ } }
}

/** After the viewer exited: its exit code and the terminal's modes. */
async function afterExit(p: Pane): Promise<{ code: number; stty: string }> {
  await p.until(/^\$ ?$/m, 20_000);
  p.type('c=$?; clear; echo "RCUWALK_EXIT=$c"; echo "MODES: $(stty -a | tr -s " ;" "\\n\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " ")"; echo STTY_DONE');
  const s = await p.until(/^STTY_DONE\s*\n\$/m, 10_000);
  return { code: Number(/RCUWALK_EXIT=(\d+)/.exec(s)?.[1] ?? NaN), stty: s };
}

function assertRestored(p: Pane, stty: string): void {
  assert.match(stty, /MODES: (echo )?icanon (echo )?/, 'canonical mode is back');
  assert.match(stty, /MODES: .*(^|\s)echo(\s|$)/m, 'echo is back');
  assert.equal(p.tmux('display-message', '-p', '-t', 't', '#{cursor_flag}').trim(), '1', 'the cursor is visible');
}

async function startView(p: Pane, extra = ''): Promise<string> {
  await p.until(/^\$ ?$/m, 5000);
  p.type(`node ${BIN} view ${CAPTURE}${extra}`);
  return p.until(/^ all\s+\d/m, 30_000);
}

test('view in a pty: the screen at the last interval, left/Home move the cursor, q exits 0 and restores the terminal', { skip: reason ?? false, timeout: 90_000 }, async () => {
  const p = new Pane();
  try {
    const s = await startView(p);
    assert.match(s, /^view capture\.json\s+interval #\d+ \((\d+)\/\1\)/m);
    assert.match(s, /kernel 5\.10\.0-46-amd64/);
    assert.ok(s.split('\n').every((l) => l.length <= 100));
    p.key('Left');
    await p.until(/interval #\d+ \((\d+)\/\d+\)/, 5000);
    p.key('Home');
    await p.until(/interval #0 \(1\/\d+\)/, 5000);
    p.key('w');
    await p.until(/whole run: \d+ intervals/, 5000);
    p.key('q');
    const { code, stty } = await afterExit(p);
    assert.equal(code, 0, stty);
    assertRestored(p, stty);
  } finally {
    p.kill();
  }
});

test('view in a pty: Ctrl-C exits 130, SIGTERM exits 130, the terminal restored each time', { skip: reason ?? false, timeout: 90_000 }, async () => {
  const p = new Pane();
  try {
    await startView(p);
    p.key('C-c');
    let r = await afterExit(p);
    assert.equal(r.code, 130, r.stty);
    assertRestored(p, r.stty);
    await startView(p);
    const pid = p.viewPid();
    assert.ok(pid > 0);
    process.kill(pid, 'SIGTERM');
    r = await afterExit(p);
    assert.equal(r.code, 130, r.stty);
    assertRestored(p, r.stty);
  } finally {
    p.kill();
  }
});

test('view in a pty: closing the pane (SIGHUP, then EIO on output) ends the viewer', { skip: reason ?? false, timeout: 90_000 }, async () => {
  const p = new Pane();
  try {
    await p.until(/^\$ ?$/m, 5000);
    p.type(`exec node ${BIN} view ${CAPTURE}`);
    await p.until(/^ all\s+\d/m, 30_000);
    const pid = p.viewPid();
    assert.ok(pid > 0);
    p.kill();
    assert.ok(await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, 15_000), 'the viewer exited');
  } finally {
    p.kill();
  }
});

test('view in a pty: a file that is not a capture is one line and exit 2; stdin not a terminal draws one screen and exits 0', { skip: reason ?? false, timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-view-pty-'));
  const p = new Pane();
  try {
    const bad = join(dir, 'notes.json');
    writeFileSync(bad, '{"schemaVersion": 1}\n');
    await p.until(/^\$ ?$/m, 5000);
    p.type(`node ${BIN} view ${bad}`);
    const s = await p.until(/^rcuwalk: notes\.json: \/\S+ is missing$/m, 20_000);
    assert.ok(!/\bat .*\.js:\d+/.test(s), 'no stack trace');
    let r = await afterExit(p);
    assert.equal(r.code, 2, r.stty);
    p.type(`node ${BIN} view ${CAPTURE} < /dev/null`);
    await p.until(/^ all\s+\d/m, 30_000);
    r = await afterExit(p);
    assert.equal(r.code, 0, r.stty);
    assert.doesNotMatch(r.stty, /Raw mode|internal error/);
    assertRestored(p, r.stty);
  } finally {
    p.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
