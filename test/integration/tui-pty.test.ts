// The live UI in a real pty (tmux): starts `rcuwalk run`, reads the screen, quits with q / Ctrl-C, and checks the
// terminal is restored (cursor visible, canonical mode and echo back) and no process rcuwalk started is left
// (checked on the process groups that rcuwalk's own children lead: other tests may run captures meanwhile).
// Needs root, bpftrace and tmux (on the dev kernel: the contention strategy); skipped with the reason otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, captureUnsupportedReason, waitFor } from '../helpers/cli.js';

function skipReason(): string | null {
  if (spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status !== 0) return 'tmux is not installed';
  return captureUnsupportedReason();
}
const reason = skipReason();
if (reason) process.stdout.write(`# tui-pty: skipped: ${reason}\n`);

class Pane {
  readonly sock = `rcuwalk-pty-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(cols = 100, rows = 40) {
    this.tmux('new-session', '-d', '-s', 't', '-x', String(cols), '-y', String(rows), 'env', 'PS1=$ ', 'TERM=xterm-256color', 'bash', '--norc', '--noprofile');
  }
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.sock, ...args], { encoding: 'utf8' });
  }
  screen(): string { return this.tmux('capture-pane', '-p', '-t', 't'); }
  type(text: string): void { this.tmux('send-keys', '-t', 't', '-l', text); this.tmux('send-keys', '-t', 't', 'Enter'); }
  key(k: string): void { this.tmux('send-keys', '-t', 't', k); }
  cursorVisible(): boolean { return this.tmux('display-message', '-p', '-t', 't', '#{cursor_flag}').trim() === '1'; }
  async until(re: RegExp, ms: number): Promise<string> {
    let s = '';
    await waitFor(() => re.test((s = this.screen())), ms, 200);
    assert.match(s, re, `screen did not show ${re} within ${ms} ms`);
    return s;
  }
  kill(): void { try { this.tmux('kill-server'); } catch { /* already gone */ } }
}

/** The rcuwalk process in the pane and the process groups it started (its children lead them). Other tests may run
 * captures at the same time, so "nothing left" is checked on these groups, not on every rcuwalk-looking process. */
function ownGroups(p: Pane): { node: number; groups: number[] } {
  const pane = Number(p.tmux('list-panes', '-t', 't', '-F', '#{pane_pid}').trim());
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => { const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l)!; return { pid: +m[1]!, ppid: +m[2]!, pgid: +m[3]!, args: m[4]! }; });
  const node = rows.find((r) => r.pid === pane && r.args.includes('bin.js'))?.pid
    ?? rows.find((r) => r.ppid === pane && r.args.includes('bin.js'))?.pid ?? -1;
  return { node, groups: [...new Set(rows.filter((r) => r.ppid === node).map((r) => r.pgid))] };
}

function aliveGroups(groups: readonly number[]): number[] {
  return groups.filter((g) => { try { process.kill(-g, 0); return true; } catch { return false; } });
}

/** After the UI exited: exit code, terminal modes, cursor. */
async function afterExit(p: Pane): Promise<{ code: number; stty: string }> {
  // the shell prompt back means the UI has exited (typing earlier would feed keys to the UI)
  await p.until(/^\$ ?$/m, 30_000);
  p.type('c=$?; clear; echo "RCUWALK_EXIT=$c"; echo "MODES: $(stty -a | tr -s " ;" "\\n\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " ")"; echo STTY_DONE');
  const s = await p.until(/^STTY_DONE\s*\n\$/m, 10_000);
  const code = Number(/RCUWALK_EXIT=(\d+)/.exec(s)?.[1] ?? NaN);
  return { code, stty: s };
}

test('rcuwalk run in a pty: live screen, q quits cleanly, terminal restored, nothing left running', { skip: reason ?? false, timeout: 180_000 }, async () => {
  const p = new Pane(100, 40);
  try {
    await p.until(/^\$ ?$/m, 5000);
    p.type(`node ${BIN} run --duration 5s`);
    // the live screen: header, strategies, a CPU row with numbers
    const live = await p.until(/^[ >]0\s+\d+\.\d/m, 90_000);
    assert.match(live, /^rcuwalk \S+ @ \S+\s+running/m);
    assert.match(live, /kernel \S+ \S+, \d+ CPUs\s+bpftrace \d+\.\d+/);
    assert.match(live, /lockref=(contention|direct|callsite)/);
    assert.match(live, /runs\/s \d/);
    assert.match(live, / CPUs .* histogram .* q quit/);
    assert.ok(live.split('\n').every((l) => l.length <= 100));
    const own = ownGroups(p);
    assert.ok(own.groups.length >= 2, `bpftrace and the workload run under rcuwalk ${own.node}`);
    p.key('Tab');
    await p.until(/in ns, all CPUs/, 5000);
    p.key('BTab');
    await p.until(/^ CPU\s+%sys/m, 5000);
    // a narrower terminal: the UI re-lays itself out to 80 columns
    p.tmux('resize-window', '-t', 't', '-x', '80', '-y', '24');
    const narrow = await p.until(/q quit\s*$/m, 5000);
    await waitFor(() => p.screen().split('\n').every((l) => l.length <= 80), 5000, 100);
    assert.ok(p.screen().split('\n').every((l) => l.length <= 80), narrow);
    assert.match(p.screen(), /^ CPU\s+%sys/m);
    p.key('q');
    const { code, stty } = await afterExit(p);
    assert.equal(code, 0, stty);
    assert.match(stty, /MODES: (echo )?icanon (echo )?/, 'canonical mode is back');
    assert.match(stty, /MODES: .*(^|\s)echo(\s|$)/m, 'echo is back');
    assert.ok(p.cursorVisible(), 'the cursor is visible');
    assert.ok(await waitFor(() => aliveGroups(own.groups).length === 0, 10_000), `left running: groups ${aliveGroups(own.groups).join(' ')}`);
  } finally {
    p.kill();
  }
});

test('rcuwalk run in a pty: Ctrl-C mid-run exits 130, keeps the --out capture, restores the terminal', { skip: reason ?? false, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-pty-'));
  const out = join(dir, 'run.json');
  const p = new Pane(80, 24);
  try {
    await p.until(/^\$ ?$/m, 5000);
    p.type(`node ${BIN} run --duration 60s --ballast 2 --out ${out}`);
    await p.until(/^[ >]0\s+\d+\.\d/m, 90_000);
    const own = ownGroups(p);
    assert.ok(own.groups.length >= 3, `bpftrace, workers and ballast run under rcuwalk ${own.node}`);
    p.key('C-c');
    const { code, stty } = await afterExit(p);
    assert.equal(code, 130, stty);
    assert.match(stty, /MODES: (echo )?icanon (echo )?/, 'canonical mode is back');
    assert.match(stty, /MODES: .*(^|\s)echo(\s|$)/m, 'echo is back');
    assert.ok(p.cursorVisible(), 'the cursor is visible');
    assert.ok(existsSync(out), 'the capture so far was written');
    assert.ok(await waitFor(() => aliveGroups(own.groups).length === 0, 10_000), `left running: groups ${aliveGroups(own.groups).join(' ')}`);
  } finally {
    p.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

function notRootSkip(): string | null {
  if (spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status !== 0) return 'tmux is not installed';
  if (process.getuid?.() !== 0) return 'needs root to run rcuwalk as another user (runuser)';
  if (spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`]).status !== 0) return `user nobody cannot run ${BIN}`;
  return null;
}
const notRoot = notRootSkip();
if (notRoot) process.stdout.write(`# tui-pty (start error): skipped: ${notRoot}\n`);

test('rcuwalk run in a pty as a non-root user: the error and its next step in the UI, exit 3, terminal restored', { skip: notRoot ?? false, timeout: 60_000 }, async () => {
  const p = new Pane(100, 30);
  try {
    await p.until(/^\$ ?$/m, 5000);
    p.type(`cd /tmp && runuser -u nobody -- ${process.execPath} ${BIN} run --duration 3s`);
    const s = await p.until(/next: /, 30_000);
    assert.match(s, /rcuwalk: .*needs root/);
    assert.ok(!/\bat .*\.js:\d+:\d+/.test(s), 'no stack trace');
    const { code, stty } = await afterExit(p);
    assert.equal(code, 3, stty);
    assert.match(stty, /MODES: (echo )?icanon (echo )?/, 'canonical mode is back');
    assert.ok(p.cursorVisible(), 'the cursor is visible');
  } finally {
    p.kill();
  }
});

test('rcuwalk run with stdin not a terminal: the live screen still shows, no raw mode, exits by itself after the run', { skip: reason ?? false, timeout: 180_000 }, async () => {
  const p = new Pane(100, 40);
  try {
    await p.until(/^\$ ?$/m, 5000);
    p.type(`node ${BIN} run --duration 3s < /dev/null`);
    await p.until(/^[ >]0\s+\d+\.\d/m, 90_000);
    const own = ownGroups(p);
    const { code, stty } = await afterExit(p);
    assert.equal(code, 0, stty);
    assert.doesNotMatch(stty, /internal error|Raw mode/);
    assert.match(stty, /MODES: (echo )?icanon (echo )?/, 'canonical mode');
    assert.ok(p.cursorVisible(), 'the cursor is visible');
    assert.ok(await waitFor(() => aliveGroups(own.groups).length === 0, 10_000), `left running: groups ${aliveGroups(own.groups).join(' ')}`);
  } finally {
    p.kill();
  }
});

test('closing the terminal mid-run (SIGHUP, then EIO on output): rcuwalk stops and ends every process it started', { skip: reason ?? false, timeout: 180_000 }, async () => {
  const p = new Pane(100, 40);
  try {
    await p.until(/^\$ ?$/m, 5000);
    p.type(`exec node ${BIN} run --duration 60s --ballast 2`);
    await p.until(/^[ >]0\s+\d+\.\d/m, 90_000);
    const { node, groups } = ownGroups(p);
    assert.ok(groups.length >= 3, `bpftrace, workers and ballast run under rcuwalk ${node}`);
    p.kill();
    assert.ok(await waitFor(() => aliveGroups(groups).length === 0, 30_000), `groups left: ${aliveGroups(groups).join(' ')}`);
    assert.ok(await waitFor(() => { try { process.kill(node, 0); return false; } catch { return true; } }, 30_000), 'rcuwalk exited');
  } finally {
    p.kill();
  }
});
