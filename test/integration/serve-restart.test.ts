// `rcuwalk serve` when its bpftrace dies (SIGKILL here, as an OOM kill would): restarted after the backoff, its
// stderr logged, ready again, rcuwalk_bpftrace_restarts_total 1, and every counter still at least where it was
// (running totals kept across the restart). Contention from a `kill -0 -1` loop, as in serve-prometheus.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { captureUnsupportedReason, rcuwalkProcesses, spawnCli, waitFor } from '../helpers/cli.js';
import { parseExposition, pick, type Parsed } from '../helpers/exposition.js';

const skip = captureUnsupportedReason();

async function scrape(port: number): Promise<Parsed> {
  return parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
}
const total = (p: Parsed, name: string) => pick(p, name).reduce((n, s) => n + s.value, 0);
const COUNTERS = ['rcuwalk_spinlock_waits_total', 'rcuwalk_spinlock_wait_seconds_total', 'rcuwalk_lockref_waits_total', 'rcuwalk_intervals_total'];

test('serve: bpftrace killed -> restarted with backoff, ready again, counters monotonic, restarts_total 1', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const reader = spawn('timeout', ['100', 'bash', '-c', 'while :; do kill -0 -1 2>/dev/null; done'], { stdio: 'ignore' });
  const serve = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '500ms', '--no-per-cpu']);
  try {
    assert.ok(await waitFor(() => /serving http:\/\/127\.0\.0\.1:\d+\//.test(serve.stderrText()), 60_000), serve.stderrText());
    const port = Number(/serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(serve.stderrText())![1]);
    const readyNow = async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).status === 200;
    const waitReady = async (ms: number) => { const end = Date.now() + ms; while (Date.now() < end) { if (await readyNow()) return true; await new Promise((r) => setTimeout(r, 100)); } return false; };
    assert.ok(await waitReady(60_000), serve.stderrText());
    await new Promise((r) => setTimeout(r, 3000));
    const before = await scrape(port);
    assert.ok(total(before, 'rcuwalk_intervals_total') >= 3);
    assert.equal(total(before, 'rcuwalk_bpftrace_restarts_total'), 0);

    const bpf = rcuwalkProcesses().filter((l) => /bpftrace/.test(l));
    assert.equal(bpf.length, 1, bpf.join('; '));
    process.kill(Number(bpf[0]!.split(' ')[0]), 'SIGKILL');
    assert.ok(await waitFor(() => /bpftrace stopped: .*restarting in/.test(serve.stderrText()), 15_000), serve.stderrText());
    const during = await scrape(port);
    // the totals of the dead run are kept while no bpftrace runs
    for (const c of COUNTERS) assert.ok(total(during, c) >= total(before, c), `${c} while restarting`);

    assert.ok(await waitReady(60_000), `not ready again: ${serve.stderrText()}`);
    await new Promise((r) => setTimeout(r, 2500));
    const after = await scrape(port);
    assert.equal(total(after, 'rcuwalk_bpftrace_restarts_total'), 1);
    assert.equal(total(after, 'rcuwalk_up'), 1);
    assert.ok(total(after, 'rcuwalk_bpftrace_errors_total') >= 1);
    for (const c of COUNTERS) assert.ok(total(after, c) >= total(during, c), `${c}: ${total(after, c)} after < ${total(during, c)} before the restart`);
    assert.ok(total(after, 'rcuwalk_intervals_total') > total(during, 'rcuwalk_intervals_total'), 'intervals counted again');

    serve.kill('SIGINT');
    assert.ok(await waitFor(() => serve.exitCode !== null, 30_000));
    assert.equal(serve.exitCode, 0, serve.stderrText());
    assert.ok(await waitFor(() => rcuwalkProcesses().length === 0, 5000), rcuwalkProcesses().join('; '));
  } finally {
    if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL');
    reader.kill('SIGTERM');
  }
});

test('serve SIGKILLed: the kernel stops bpftrace (pdeathsig) and the workload notices; nothing is left after a few seconds', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const serve = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '1s', '--workload', 'ps', '-j', '1']);
  try {
    assert.ok(await waitFor(() => /serving http:\/\/127\.0\.0\.1:\d+\//.test(serve.stderrText()), 60_000), serve.stderrText());
    const port = Number(/serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(serve.stderrText())![1]);
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => null))?.status === 200;
    const end = Date.now() + 60_000;
    while (!(await ready()) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.ok(await ready(), serve.stderrText());
    assert.ok(rcuwalkProcesses().some((l) => /bpftrace/.test(l)), 'bpftrace running');
    serve.kill('SIGKILL');
    assert.ok(await waitFor(() => rcuwalkProcesses().length === 0, 10_000), `left running after SIGKILL: ${rcuwalkProcesses().join('; ')}`);
  } finally {
    if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL');
  }
});
