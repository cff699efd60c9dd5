// rcuwalk serve's basic auth under attack, side by side in one run (`node dist/bench/serve-auth.js [seconds]`; root,
// bpftrace and openssl): the real serve over HTTPS with one user (bcrypt cost 10), 100 ms intervals, good scrapes
// every 250 ms (a new connection each, their outcome remembered as after any earlier scrape), an attacker in its own
// process (bench/auth-attacker.ts), in four phases:
//  quiet: `seconds` s with no attacker;
//  flood: 200 wrong passwords, 8 clients at a time from 127.0.0.2 (each a new password and connection: 200 checks);
//  burst: 200 wrong passwords at once from 127.0.0.2-4 (16 connections per address, then 16 checks waiting: beyond
//  them closed or 429 at once);
//  quiet again: as the first, after the attack.
// Per phase: the good scrapes' latency (median, max), intervals closed and skipped (bpftrace's own catch-up), the
// longest wait between two intervals reaching the exporter, serve's CPU (the process, and its main thread alone).
// Then the cost of an unknown user against a known one with a wrong password (medians of interleaved requests).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, tlsAuthConfig } from '../test/helpers/tls.js';
import { CLK_TCK, loadAverage, machine, median, procSample, sleep, spawnCli } from './lib.js';

const log = (l: string) => process.stderr.write(`bench serve-auth: ${l}\n`);
const quietSeconds = Number(process.argv[2] ?? 20);
const COST = 10;

/** CPU seconds of one thread (the main thread: tid = pid). */
function threadCpuSec(pid: number, tid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

interface Phase { name: string; scrapesMs: number[]; failed: number; intervals: number; skipped: number; maxGapMs: number; cpu: number; mainCpu: number; seconds: number; note: string }

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-bench-auth-'));
  const { cfg, ca } = tlsAuthConfig(dir, { prometheus: 'good' }, COST);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca);
  const c = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '100ms', '--interval-log', '--web-config', cfg, '--lockref-strategy', 'contention']);
  const pid = c.child.pid!;
  try {
    const end = Date.now() + 60_000;
    while (!/probes attached/.test(c.stderr()) && Date.now() < end) await sleep(200);
    const port = Number(/serving https:\/\/127\.0\.0\.1:(\d+)\//.exec(c.stderr())?.[1] ?? NaN);
    if (!(port > 0) || !/probes attached/.test(c.stderr())) throw new Error(`serve did not start: ${c.stderr()}`);
    const good = () => get(port, ca, { auth: 'prometheus:good', timeoutMs: 60_000 });
    await good();
    await sleep(3000);
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await good()).body)?.[1] ?? NaN);
    const arrivals = () => c.stdout().trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { atUnixMs: number }).atUnixMs);

    async function phase(name: string, attack: () => Promise<string>): Promise<Phase> {
      const i0 = await metric('rcuwalk_intervals_total'), k0 = await metric('rcuwalk_skipped_intervals_total');
      const n0 = arrivals().length;
      const cpu0 = procSample(pid, 0)!.cpuSec, main0 = threadCpuSec(pid, pid);
      const t0 = performance.now();
      let running = true;
      const attacked = attack().finally(() => { running = false; });
      const scrapesMs: number[] = [];
      let failed = 0;
      while (running) {
        const r = await good().catch(() => null);
        if (r?.status === 200) scrapesMs.push(r.ms); else failed += 1;
        await sleep(250);
      }
      const note = await attacked;
      const seconds = (performance.now() - t0) / 1000;
      const cpu = (procSample(pid, 0)!.cpuSec - cpu0) / seconds, mainCpu = (threadCpuSec(pid, pid) - main0) / seconds;
      const at = arrivals().slice(Math.max(0, n0 - 1));
      const maxGapMs = Math.max(...at.slice(1).map((t, i) => t - at[i]!));
      return { name, scrapesMs, failed, intervals: (await metric('rcuwalk_intervals_total')) - i0, skipped: (await metric('rcuwalk_skipped_intervals_total')) - k0, maxGapMs, cpu, mainCpu, seconds, note };
    }

    // the attacker in its own process, from other addresses than the good scraper (127.0.0.1), as it would be
    const attack = (count: number, atOnce: number, from: string) => new Promise<number[]>((resolve, reject) => {
      const p = fork(new URL('./auth-attacker.js', import.meta.url), [String(port), caFile, String(count), String(atOnce), from], { stdio: 'inherit' });
      p.once('message', (m) => resolve(m as number[]));
      p.once('exit', (code) => reject(new Error(`the attacker exited (${code}) without its answers`)));
    });
    const tally = (statuses: number[]) => [...new Set(statuses)].sort().map((s) => `${statuses.filter((x) => x === s).length} x ${s === -1 ? 'closed at once' : s}`).join(', ');
    const phases: Phase[] = [];
    log(`quiet ${quietSeconds} s`);
    phases.push(await phase('quiet', async () => { await sleep(quietSeconds * 1000); return 'no attacker'; }));
    log('flood: 200 wrong passwords, 8 at a time');
    phases.push(await phase('flood', async () => {
      const statuses = await attack(200, 8, '127.0.0.2');
      return `200 wrong passwords, 8 at a time from one address: ${tally(statuses)}`;
    }));
    log('burst: 200 wrong passwords at once');
    phases.push(await phase('burst', async () => {
      const t0 = performance.now();
      const statuses = await attack(200, 200, '127.0.0.2,127.0.0.3,127.0.0.4');
      return `200 wrong passwords at once from three addresses: ${tally(statuses)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
    }));
    log(`quiet ${quietSeconds} s again`);
    phases.push(await phase('quiet again', async () => { await sleep(quietSeconds * 1000); return 'no attacker'; }));

    log('unknown vs known user, 12 interleaved each');
    const known: number[] = [], unknown: number[] = [];
    for (let i = 0; i < 12; i++) {
      known.push((await get(port, ca, { auth: `prometheus:nope ${i}` })).ms);
      unknown.push((await get(port, ca, { auth: `nobody${i}:nope ${i}` })).ms);
    }

    const rows = ['| phase | what the attacker got | good scrapes (every 250 ms) | intervals (100 ms) | serve CPU: process / main thread |', '|---|---|---|---|---|'];
    for (const p of phases) {
      rows.push(`| ${p.name} (${p.seconds.toFixed(1)} s) | ${p.note} | ${p.scrapesMs.length} answered 200${p.failed ? `, ${p.failed} NOT` : ''}: median ${median(p.scrapesMs).toFixed(0)} ms, max ${Math.max(...p.scrapesMs).toFixed(0)} ms | ${p.intervals} closed + ${p.skipped} skipped by bpftrace; longest wait between two ${p.maxGapMs.toFixed(0)} ms | ${(p.cpu * 100).toFixed(0)}% / ${(p.mainCpu * 100).toFixed(1)}% of a core |`);
    }
    const ratio = median(unknown) / median(known);
    process.stdout.write(`${machine()}\nload average at the end: ${loadAverage()}\nbcrypt cost ${COST} (bcryptjs in serve's worker thread)\n\n${rows.join('\n')}\n\n`
      + `unknown user vs known user with a wrong password, HTTPS, new connection each, 12 interleaved: median ${median(unknown).toFixed(0)} ms vs ${median(known).toFixed(0)} ms, ratio ${ratio.toFixed(2)}\n`);
  } finally {
    c.child.kill('SIGTERM');
    await c.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
