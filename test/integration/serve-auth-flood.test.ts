// The real `rcuwalk serve` over HTTPS with basic auth, under a flood of 200 wrong passwords (8 clients at a time, a
// new password and a new connection each, so every one costs a bcrypt check): every flood request is answered 401,
// every good scrape meanwhile 200, and the intervals go on contiguous (no interval lost while bcrypt runs: it runs
// in serve's worker thread). How fast the good scrapes answer and what the flood costs is bench/serve-auth.ts's job:
// this asserts no timing. bcrypt cost 8 here (the bench uses 10) to keep the flood short on a busy machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateWith } from '../../cli/schema/validate.js';
import type { ServeInterval } from '../../cli/schema/types.generated.js';
import { captureUnsupportedReason, rcuwalkProcesses, spawnCli, waitFor } from '../helpers/cli.js';
import { get, noOpenssl, tlsAuthConfig } from '../helpers/tls.js';

const skip = captureUnsupportedReason() ?? noOpenssl;

test('rcuwalk serve (HTTPS, basic auth) under 200 wrong passwords: all 401, good scrapes 200, intervals contiguous', { skip, timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-flood-'));
  const { cfg, ca } = tlsAuthConfig(dir, { prometheus: 'good' }, 8);
  const serve = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '200ms', '--interval-log', '--web-config', cfg, '--lockref-strategy', 'auto']);
  let stdout = '';
  serve.stdout!.removeAllListeners('data');
  serve.stdout!.setEncoding('utf8');
  serve.stdout!.on('data', (d: string) => { stdout += d; });
  try {
    assert.ok(await waitFor(() => /serving https:\/\/127\.0\.0\.1:\d+\/metrics/.test(serve.stderrText()), 60_000), `serve did not start: ${serve.stderrText()}`);
    const port = Number(/serving https:\/\/127\.0\.0\.1:(\d+)\//.exec(serve.stderrText())![1]);
    const good = () => get(port, ca, { auth: 'prometheus:good', timeoutMs: 30_000 });
    const ready = async () => (await get(port, ca, { path: '/-/ready', auth: 'prometheus:good' }).catch(() => ({ status: 0 }))).status === 200;
    const end = Date.now() + 60_000;
    while (!(await ready()) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.ok(await ready(), `not ready: ${serve.stderrText()}`);
    assert.equal((await good()).status, 200); // as Prometheus's previous scrape: its outcome is remembered

    const linesBefore = stdout.split('\n').length;
    const flood: number[] = [];
    let next = 0;
    const client = async () => {
      while (next < 200) {
        const i = next++;
        flood.push(await get(port, ca, { auth: `prometheus:wrong ${i}`, timeoutMs: 120_000 }).then((r) => r.status, (e: Error) => { t.diagnostic(`flood ${i}: ${e.message}`); return -1; }));
      }
    };
    let flooding = true;
    const t0 = Date.now();
    const floodDone = Promise.all(Array.from({ length: 8 }, client)).finally(() => { flooding = false; });
    const scrapes: { status: number; ms: number }[] = [];
    while (flooding) {
      const r = await good().catch(() => ({ status: -1, ms: NaN }));
      scrapes.push({ status: r.status, ms: r.ms });
      await new Promise((r) => setTimeout(r, 250));
    }
    await floodDone;
    const floodS = (Date.now() - t0) / 1000;

    assert.equal(flood.length, 200);
    assert.deepEqual([...new Set(flood)], [401], `flood answers: ${flood.join(' ')}`);
    assert.ok(scrapes.length >= 1 && scrapes.every((s) => s.status === 200), `good scrapes: ${scrapes.map((s) => s.status).join(' ')}`);
    const metrics = (await good()).body;
    const skipped = /^rcuwalk_skipped_intervals_total (\S+)$/m.exec(metrics)?.[1];
    t.diagnostic(`flood of 200 in ${floodS.toFixed(1)} s; ${scrapes.length} good scrapes, slowest ${Math.max(...scrapes.map((s) => s.ms)).toFixed(0)} ms; skipped intervals ${skipped}`);

    const log = stdout.trim().split('\n').map((l, i) => validateWith<ServeInterval>('serve-interval.schema.json', JSON.parse(l), `interval log line ${i + 1}`));
    assert.ok(log.length > linesBefore, `intervals closed during the flood: ${log.length - linesBefore + 1}`);
    for (let i = 1; i < log.length; i++) {
      const [a, b] = [log[i - 1]!.interval, log[i]!.interval];
      assert.equal(b.seq, a.seq + 1, `interval ${b.seq} follows ${a.seq}`);
      assert.equal(b.startMs, a.endMs, `interval ${b.seq} starts where ${a.seq} ended`);
    }

    serve.kill('SIGTERM');
    assert.ok(await waitFor(() => serve.exitCode !== null, 30_000), 'serve stopped');
    assert.equal(serve.exitCode, 0, serve.stderrText());
    assert.ok(await waitFor(() => rcuwalkProcesses().length === 0, 5000), `left running: ${rcuwalkProcesses().join('; ')}`);
  } finally {
    if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
