// bpftrace dies, is killed, prints garbage or never attaches (a fake bpftrace via RCUWALK_BPFTRACE, or the real one
// killed from outside): one clear error, the workload stopped, the partial capture kept, exit code 6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture } from '../../cli/schema/validate.js';
import { captureUnsupportedReason } from '../helpers/cli.js';
import { describe, fakeBpftrace, intervalLines, spawnTagged, taggedProcesses, waitFor } from './helpers.js';

const reason = captureUnsupportedReason();
if (reason) process.stdout.write(`# reliability/bpftrace-failures: skipped: ${reason}\n`);
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-btfail-'));
const fake = reason ? '' : fakeBpftrace();
const CAPTURE = ['capture', '--interval', '1s', '--parallel', '2', '--ballast', '3', '--lockref-strategy', 'contention'];

async function finished(c: ReturnType<typeof spawnTagged>, label: string) {
  const { code } = await c.exit;
  assert.ok(await waitFor(() => taggedProcesses(c.tag).length === 0, 5000, 50), `${label}: left running:\n${describe(taggedProcesses(c.tag))}`);
  return code;
}

test('the real bpftrace SIGKILLed mid-run: exit 6, a clear error, the workload stopped, the partial capture kept', { skip: reason ?? false, timeout: 120_000 }, async () => {
  const out = join(dir, 'killed-bpftrace.json');
  const c = spawnTagged([...CAPTURE, '--duration', '60s', '--out', out]);
  assert.ok(await waitFor(() => intervalLines(c.stderrText()) >= 2, 60_000), c.stderrText());
  const bt = taggedProcesses(c.tag).find((p) => p.comm === 'bpftrace');
  assert.ok(bt, describe(taggedProcesses(c.tag)));
  process.kill(bt.pid, 'SIGKILL');
  const code = await finished(c, 'bpftrace killed');
  const err = c.stderrText();
  assert.equal(code, 6, err);
  assert.match(err, /rcuwalk: bpftrace exited during the run/);
  assert.match(err, /partial capture was kept/);
  const cap = loadCapture(out);
  assert.equal(cap.run.endReason, 'error');
  assert.equal(cap.run.complete, false);
  assert.ok(cap.intervals.length >= 2);
  assert.equal(existsSync(`${out}.journal`), false);
});

test('bpftrace dies by itself mid-run (fake: killed after 4 s, error on stderr): exit 6, its stderr shown, capture kept', { skip: reason ?? false, timeout: 120_000 }, async () => {
  const out = join(dir, 'dies.json');
  const c = spawnTagged([...CAPTURE, '--duration', '60s', '--out', out], { env: { RCUWALK_BPFTRACE: fake, FAKE_MODE: 'die', FAKE_AFTER: '4' } });
  const code = await finished(c, 'dies');
  const err = c.stderrText();
  assert.equal(code, 6, err);
  assert.match(err, /bpftrace exited during the run: .*lost its BPF program/);
  const cap = loadCapture(out);
  assert.equal(cap.run.endReason, 'error');
  assert.match(cap.run.error ?? '', /lost its BPF program/);
  assert.ok(cap.intervals.length >= 1, `intervals ${cap.intervals.length}`);
});

test('bpftrace prints garbage instead of intervals: exit 6 with a clear error, workload stopped, capture kept', { skip: reason ?? false, timeout: 120_000 }, async () => {
  const out = join(dir, 'garbage.json');
  const c = spawnTagged([...CAPTURE, '--duration', '3s', '--out', out], { env: { RCUWALK_BPFTRACE: fake, FAKE_MODE: 'garbage' } });
  const code = await finished(c, 'garbage');
  const err = c.stderrText();
  assert.equal(code, 6, err);
  assert.match(err, /rcuwalk: bpftrace stopped printing intervals \(0 of 3 arrived\)/);
  const cap = loadCapture(out);
  assert.equal(cap.run.endReason, 'error');
  assert.equal(cap.intervals.length, 0);
});

test('bpftrace exits before attaching: exit 6, the command and its stderr, nothing started, no file, no journal', { skip: reason ?? false, timeout: 120_000 }, async () => {
  const out = join(dir, 'early.json');
  const c = spawnTagged([...CAPTURE, '--duration', '5s', '--out', out], { env: { RCUWALK_BPFTRACE: fake, FAKE_MODE: 'early' } });
  const code = await finished(c, 'early');
  const err = c.stderrText();
  assert.equal(code, 6, err);
  assert.match(err, /rcuwalk: bpftrace exited before the probes were attached/);
  assert.match(err, /Could not attach probe/);
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(`${out}.journal`), false);
});

test('bpftrace attaches fewer probes than the script has: exit 6 naming both counts, nothing left running', { skip: reason ?? false, timeout: 120_000 }, async () => {
  const out = join(dir, 'wrongcount.json');
  const c = spawnTagged([...CAPTURE, '--duration', '5s', '--out', out], { env: { RCUWALK_BPFTRACE: fake, FAKE_MODE: 'wrongcount' } });
  const code = await finished(c, 'wrongcount');
  const err = c.stderrText();
  assert.equal(code, 6, err);
  assert.match(err, /rcuwalk: bpftrace attached 1 probes, expected \d+/);
  assert.equal(existsSync(`${out}.journal`), false);
});

test('bpftrace never attaches: Ctrl-C still stops it at once, exit 130, nothing left running', { skip: reason ?? false, timeout: 120_000 }, async () => {
  const out = join(dir, 'hang.json');
  const c = spawnTagged([...CAPTURE, '--duration', '5s', '--out', out], { env: { RCUWALK_BPFTRACE: fake, FAKE_MODE: 'hang' } });
  assert.ok(await waitFor(() => /attaching \d+ probes/.test(c.stderrText()), 60_000), c.stderrText());
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = Date.now();
  c.kill('SIGINT');
  const code = await finished(c, 'hang');
  assert.ok(Date.now() - t0 < 15_000, 'stopped within the grace period');
  assert.equal(code, 130, c.stderrText());
});
