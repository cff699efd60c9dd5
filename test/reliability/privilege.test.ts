// Privilege: rcuwalk refuses to load probes without what bpftrace really needs (exit 3, before anything starts),
// and the files it writes in the user's directories have ordinary modes.
//   - bpftrace 0.17 refuses any euid but 0 ("only supports running as the root user"): capabilities can only
//     restrict root, so these tests drop capabilities from root with a bounding set (setpriv --bounding-set).
//   - CAP_SYSLOG: without it /proc/kallsyms reads as zeros (perf_event_paranoid >= 2), and bpftrace 0.17 then
//     printed no interval at all (kstack maps): the run failed mid-way with "stopped printing intervals".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, captureUnsupportedReason } from '../helpers/cli.js';
import { newTag, TAG_VAR, taggedProcesses } from './helpers.js';

const root = process.getuid?.() === 0;
const hasSetpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).status === 0;
const reason = !root ? 'needs root (to drop privileges with setpriv)' : !hasSetpriv ? 'setpriv (util-linux) is not installed' : null;
if (reason) process.stdout.write(`# reliability/privilege: skipped: ${reason}\n`);

function runAs(setpriv: string[], args: string[], cwd: string) {
  const tag = newTag();
  const r = spawnSync('setpriv', [...setpriv, process.execPath, BIN, ...args], { encoding: 'utf8', cwd, timeout: 120_000, env: { ...process.env, [TAG_VAR]: tag } });
  return { ...r, tag };
}

test('as nobody with no capabilities: capture and run refuse with exit 3 and the next step; nothing started, nothing written', { skip: reason ?? false }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'rcuwalk-nobody-'));
  spawnSync('chmod', ['777', cwd]);
  for (const args of [['capture', '--duration', '2s'], ['capture', '--json', '--duration', '2s'], ['run', '--duration', '2s']]) {
    const r = runAs(['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'], args, cwd);
    assert.equal(r.status, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^rcuwalk: .*(root|CAP_BPF)/);
    assert.match(r.stderr, /next: /);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
    assert.deepEqual(taggedProcesses(r.tag), []);
  }
  assert.deepEqual(readdirSync(cwd), [], 'nothing written');
});

for (const [caps, missing] of [['+bpf,+perfmon', 'CAP_SYSLOG'], ['+syslog', 'CAP_PERFMON'], ['+perfmon,+syslog', 'CAP_BPF']] as const) {
  test(`root with only ${caps.replace(/\+/g, 'CAP_').replace(/,/g, ' ').toUpperCase()}: refused up front with exit 3 naming ${missing}`, { skip: reason ?? captureUnsupportedReason() ?? false, timeout: 120_000 }, () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rcuwalk-caps-'));
    const r = runAs([`--bounding-set=-all,${caps}`, '--inh-caps=-all'], ['capture', '--duration', '3s', '--parallel', '1', '--lockref-strategy', 'contention', '--out', 'run.json'], cwd);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, new RegExp(missing));
    assert.doesNotMatch(r.stderr, /attaching/);
    assert.deepEqual(readdirSync(cwd), []);
    assert.deepEqual(taggedProcesses(r.tag), []);
  });
}

test('root with CAP_BPF CAP_PERFMON CAP_SYSLOG only (no CAP_SYS_ADMIN, no DAC override): the capture works', { skip: reason ?? captureUnsupportedReason() ?? false, timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'rcuwalk-caps-ok-'));
  const r = runAs(['--bounding-set=-all,+bpf,+perfmon,+syslog', '--inh-caps=-all'], ['capture', '--duration', '3s', '--parallel', '1', '--lockref-strategy', 'contention', '--out', 'run.json'], cwd);
  assert.equal(r.status, 0, r.stderr);
});

test('files rcuwalk writes are ordinary: 0644 under umask 022 (capture, recover, export); no setuid, no group/world write', { skip: reason ?? captureUnsupportedReason() ?? false, timeout: 120_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'rcuwalk-modes-'));
  const sh = (cmd: string) => spawnSync('sh', ['-c', `umask 022; ${cmd}`], { cwd, encoding: 'utf8', timeout: 120_000 });
  const node = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
  const c = sh(`${node} capture --duration 2s --parallel 1 --lockref-strategy contention --out run.json`);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(sh(`${node} export run.json --csv -o run.csv`).status, 0);
  assert.equal(sh(`${node} export run.json --dir tables`).status, 0);
  const modes: Record<string, string> = {};
  const walk = (d: string, rel = '') => {
    for (const f of readdirSync(d)) {
      const st = statSync(join(d, f));
      if (st.isDirectory()) { modes[`${rel}${f}/`] = (st.mode & 0o7777).toString(8); walk(join(d, f), `${rel}${f}/`); }
      else modes[`${rel}${f}`] = (st.mode & 0o7777).toString(8);
    }
  };
  walk(cwd);
  for (const [f, m] of Object.entries(modes)) {
    if (f.endsWith('/')) assert.equal(m, '755', `${f}: ${m}`);
    else assert.equal(m, '644', `${f}: ${m}`);
  }
  assert.ok(Object.keys(modes).length >= 3, JSON.stringify(modes));
});
