// A full disk (a small tmpfs mounted for the test): a clear error with a documented exit code, no half-written
// capture file, and the journal kept so `rcuwalk recover` can turn what was measured into a capture elsewhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture } from '../../cli/schema/validate.js';
import { captureUnsupportedReason, runCli } from '../helpers/cli.js';
import { describe, runTagged, taggedProcesses } from './helpers.js';

const reason = captureUnsupportedReason();
if (reason) process.stdout.write(`# reliability/disk: skipped: ${reason}\n`);
const base = mkdtempSync(join(tmpdir(), 'rcuwalk-disk-'));
const mounted: string[] = [];

function tmpfs(name: string, size: string, ro = false): string {
  const d = join(base, name);
  mkdirSync(d);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', d], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
  mounted.push(d);
  return d;
}
after(() => { for (const d of mounted) spawnSync('umount', ['-l', d]); });

const CAPTURE = ['capture', '--parallel', '1', '--lockref-strategy', 'contention'];

function oneError(stderr: string): string[] {
  const lines = stderr.trim().split('\n').filter((l) => !/^rcuwalk: (\[|\w+: unavailable|attaching|probes attached|workload:|journal)/.test(l));
  assert.ok(lines.length <= 2 && /^rcuwalk: /.test(lines[0] ?? ''), `not one clear error:\n${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m, 'a stack trace');
  return lines;
}

test('the disk fills before the capture file is written: exit 7, no half-written file, the journal recovers elsewhere', { skip: reason ?? false, timeout: 120_000 }, () => {
  const d = tmpfs('final', '64k');
  const out = join(d, 'run.json');
  // ~800 bytes a journal line: 80 intervals fit in 64k, the capture file (~3x larger) does not
  const r = runTagged([...CAPTURE, '--duration', '8s', '--interval', '100ms', '--out', out]);
  assert.equal(r.code, 7, r.stderr);
  const [msg] = oneError(r.stderr);
  assert.match(msg!, /no space left/);
  assert.match(r.stderr, /next: the measured intervals are in .*run.json.journal: rcuwalk recover/);
  assert.deepEqual(taggedProcesses(r.tag), [], describe(taggedProcesses(r.tag)));
  assert.deepEqual(readdirSync(d), ['run.json.journal'], 'no temp or half-written file');
  const rec = runCli(['recover', `${out}.journal`, '-o', join(base, 'final-recovered.json')]);
  assert.equal(rec.code, 0, rec.stderr);
  assert.ok(loadCapture(join(base, 'final-recovered.json')).intervals.length >= 70);
});

test('the disk fills mid-run while journaling: one clear line (no crash, no stack trace), nothing left running, no half-written file', { skip: reason ?? false, timeout: 120_000 }, () => {
  const d = tmpfs('midrun', '16k');
  const out = join(d, 'run.json');
  const r = runTagged([...CAPTURE, '--duration', '8s', '--interval', '100ms', '--out', out]);
  oneError(r.stderr);
  assert.equal(r.code, 7, r.stderr);
  assert.deepEqual(taggedProcesses(r.tag), [], describe(taggedProcesses(r.tag)));
  assert.deepEqual(readdirSync(d), ['run.json.journal'], 'no temp or half-written file');
  // the journal holds what fit; its last line may be cut short: recover still reads it
  const rec = runCli(['recover', `${out}.journal`, '-o', join(base, 'midrun-recovered.json')]);
  assert.equal(rec.code, 0, rec.stderr);
  assert.ok(loadCapture(join(base, 'midrun-recovered.json')).intervals.length >= 1);
});

test('the disk is already full: refused with one line (exit 7) and nothing left behind', { skip: reason ?? false, timeout: 120_000 }, () => {
  const d = tmpfs('full', '16k');
  try { writeFileSync(join(d, 'filler'), Buffer.alloc(64 * 1024)); } catch { /* full now */ }
  const out = join(d, 'run.json');
  const r = runTagged([...CAPTURE, '--duration', '3s', '--out', out]);
  assert.equal(r.code, 7, r.stderr);
  oneError(r.stderr);
  assert.deepEqual(taggedProcesses(r.tag), []);
  assert.equal(existsSync(out), false);
});

test('a read-only file system: refused before anything starts (exit 7)', { skip: reason ?? false, timeout: 120_000 }, () => {
  const d = tmpfs('ro', '64k', true);
  const r = runTagged([...CAPTURE, '--duration', '3s', '--out', join(d, 'run.json')]);
  assert.equal(r.code, 7, r.stderr);
  oneError(r.stderr);
  assert.doesNotMatch(r.stderr, /attaching/);
  assert.deepEqual(readdirSync(d), []);
});
