// No event lost between intervals: rcuwalk's real contention script (`rcuwalk probes --print`, 20 ms intervals) run by
// each bpftrace at hand for ~8 s, with a counter that is never cleared added beside the waits map, for the test only.
//
// Why: bpftrace runs print() and clear() in user space, later and in order; with one map, the waits landing between
// a map's print and its clear were counted nowhere (measured here before the maps were double-buffered: 9 of 219
// waits, 4.1%, at 20 ms intervals). Now the interval probe flips @rw_gen first and prints the retired generation.
//
// The check: the extra counter @rw_test_all[cpu] counts every wait in the same probe hit as @cw_n, just before the
// generation is picked. Right after the flip, the interval probe printf()s it: printf arguments are read in the
// kernel when the probe runs, so the line holds the count at the flip. At each tick, the @cw_n entries printed so far
// (both generations, all intervals) must add up to that count, per CPU. The only slack is a wait that has counted
// itself but not yet read @rw_gen when another CPU flips (a few instructions): it would show as one wait early in one
// tick and even out at the next: so a CPU may be short at one tick, never at two in a row (a lost wait stays lost),
// and never over. END prints the counter once more before the maps: by END's tick every wait counted by then must
// have been printed (END prints both generations, so a wait short at the last interval tick shows there; waits that
// land after END's printf may be printed too, so END may be over, never short). The counter is per CPU (each CPU adds
// to its own key, so no increment is lost between CPUs).
//
// Waits: as in capture-modern-bpftrace.test.ts, a `kill -0 -1` loop (readers of tasklist_lock) and a fork loop (its
// writers) make queued_read/write_lock_slowpath waits on this 2-CPU kernel, where spinlock waits are otherwise rare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseLine } from '../../cli/bpftrace/ndjson-parse.js';
import { stackCpuKey } from '../../cli/bpftrace/keys.js';
import { GENERATION_MAP } from '../../cli/script-protocol/generations.js';
import { CONTENTION_MAPS } from '../../cli/script-protocol/maps.js';
import { READY_LINE, TICK_PREFIX } from '../../cli/script-protocol/markers.js';
import { captureUnsupportedReason, runCli } from '../helpers/cli.js';
import { bpftraceSlots } from '../helpers/bpftraces.js';

const INTERVAL_MS = 20;
const RUN_MS = 8000;
const ALL = '@rw_test_all';
const ALL_LINE = 'rcuwalk-test-all ';
const END_LINE = 'rcuwalk-test-end ';
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-it-noloss-'));
const reason = captureUnsupportedReason();

/** The script with the never-cleared per-CPU counter beside @cw_n and its value printed right after each flip. */
function withNeverCleared(script: string, ncpu: number): string {
  const lines = script.split('\n');
  const walk = lines.findIndex((l) => /^ {2}\$stack = kstack\(\d+\);$/.test(l));
  const flip = lines.findIndex((l) => l.trim() === `${GENERATION_MAP} = 1 - ${GENERATION_MAP};`);
  assert.ok(walk > 0 && flip > walk, 'the contention probe walks the stack, the interval probe flips the generation');
  const indent = /^ */.exec(lines[flip]!)![0];
  const snap = (prefix: string, ind: string) => Array.from({ length: ncpu }, (_, c) => `${ind}printf("${prefix}${c} %llu\\n", ${ALL}[${c}]);`);
  lines.splice(flip + 1, 0, ...snap(ALL_LINE, indent));
  lines.splice(walk + 1, 0, `  ${ALL}[cpu] = ${ALL}[cpu] + 1;`);
  return lines.join('\n').replace(/^END\n\{\n/m, `END\n{\n${snap(END_LINE, '  ').join('\n')}\n  clear(${ALL});\n`);
}

/** Runs fn while loops of `kill -0 -1` and of forks make tasklist_lock waits (timeout ends them if this process dies). */
async function withTasklistWaits<T>(fn: () => Promise<T>): Promise<T> {
  const loops = [
    spawn('timeout', ['120', 'bash', '-c', 'while :; do kill -0 -1 2>/dev/null; done'], { stdio: 'ignore' }),
    spawn('timeout', ['120', 'bash', '-c', 'while :; do /bin/true; done'], { stdio: 'ignore' }),
  ];
  try {
    return await fn();
  } finally {
    for (const p of loops) {
      p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)));
    }
  }
}

interface Run { ticks: number; checked: number; waits: number; mismatches: string[]; transient: number; lost: number; errors: string[]; stderr: string; code: number | null }

/** bpftrace -f json FILE: SIGINT RUN_MS after the ready line; every tick compares the printed waits with the counter. */
function runScript(bpftrace: string, file: string): Promise<Run> {
  // timeout stops bpftrace if this process dies (and forwards our SIGINT to it)
  const p = spawn('timeout', ['-s', 'INT', '-k', '10', String(Math.ceil(RUN_MS / 1000) + 60), bpftrace, '-f', 'json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { ticks: 0, checked: 0, waits: 0, mismatches: [], transient: 0, lost: 0, errors: [], stderr: '', code: null };
  const printed = new Map<number, number>();
  /** per CPU: counted minus printed at the last checked tick */
  const short = new Map<number, number>();
  let snapshot: Map<number, number> | null = null;
  let endSnapshot: Map<number, number> | null = null;
  let endChecked = false;
  p.stderr.setEncoding('utf8').on('data', (d: string) => { run.stderr += d; });
  createInterface({ input: p.stdout }).on('line', (line) => {
    const r = parseLine(line);
    if (!r) return;
    if (r.kind === 'printf') {
      if (r.text.trim() === READY_LINE) setTimeout(() => p.kill('SIGINT'), RUN_MS);
      else if (r.text.startsWith(ALL_LINE)) {
        const [cpu, n] = r.text.slice(ALL_LINE.length).trim().split(' ').map(Number) as [number, number];
        (snapshot ??= new Map()).set(cpu, n);
      } else if (r.text.startsWith(END_LINE)) {
        const [cpu, n] = r.text.slice(END_LINE.length).trim().split(' ').map(Number) as [number, number];
        (endSnapshot ??= new Map()).set(cpu, n);
      } else if (r.text.startsWith(TICK_PREFIX)) {
        run.ticks++;
        if (endSnapshot) {
          // END's tick: everything counted by END's printf has been printed by now
          endChecked = true;
          for (const [cpu, want] of endSnapshot) {
            const got = printed.get(cpu) ?? 0;
            if (got < want) run.mismatches.push(`END cpu ${cpu}: ${got} printed, ${want} counted`);
          }
          endSnapshot = null;
        } else if (snapshot) {
          // a tick from the interval probe (END's has no snapshot): everything counted by the flip has been printed
          run.checked++;
          for (const cpu of new Set([...snapshot.keys(), ...printed.keys()])) {
            const want = snapshot.get(cpu) ?? 0, got = printed.get(cpu) ?? 0;
            const miss = `tick ${run.ticks} cpu ${cpu}: ${got} printed, ${want} counted`;
            if (got > want || (want > got && (short.get(cpu) ?? 0) > 0)) run.mismatches.push(miss);
            else if (want > got) run.transient++;
            short.set(cpu, want - got);
          }
          snapshot = null;
        }
      }
    } else if (r.kind === 'map' && r.name === CONTENTION_MAPS.waits) {
      for (const e of r.entries) {
        const k = stackCpuKey(e.key);
        if (!k) { run.errors.push(`unreadable key ${JSON.stringify(e.key)}`); continue; }
        printed.set(k.cpu, (printed.get(k.cpu) ?? 0) + e.value);
        run.waits += e.value;
      }
    } else if (r.kind === 'lost') run.lost += r.events;
    else if (r.kind === 'error') run.errors.push(r.message);
  });
  return new Promise((res) => p.on('close', (code) => {
    run.code = code;
    if (!endChecked) run.mismatches.push('no END tick with the final count');
    res(run);
  }));
}

for (const slot of bpftraceSlots()) {
  const title = slot.exe ? `bpftrace ${slot.exe.version.version} (${slot.label})` : `bpftrace (${slot.label})`;
  test(`${title}: 20 ms intervals for 8 s, every spinning wait counted by a never-cleared counter is in a printed interval`, { skip: reason ?? slot.missing ?? false, timeout: 240_000 }, async (t) => {
    const bt = slot.exe!;
    const env = { ...process.env, RCUWALK_BPFTRACE: bt.path };
    const r = runCli(['probes', '--print', '--lockref-strategy', 'contention', '--interval', `${INTERVAL_MS}ms`], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^interval:ms:${INTERVAL_MS}$`, 'm'));
    const file = join(dir, `${slot.label}.bt`);
    writeFileSync(file, withNeverCleared(r.stdout, cpus().length));
    const run = await withTasklistWaits(() => runScript(bt.path, file));
    t.diagnostic(`${run.waits} waits, ${run.checked} interval ticks checked (of ${RUN_MS / INTERVAL_MS} planned: the rest skipped while bpftrace caught up), ${run.transient} transient`);
    const stderr = run.stderr.split('\n').filter((l) => /ERROR/.test(l)).join('\n');
    assert.equal(run.code, 0, stderr || run.stderr.slice(-2000));
    assert.deepEqual(run.errors, []);
    assert.equal(run.lost, 0, 'no lost events');
    // 8 s of 20 ms intervals is 400 ticks; bpftrace may start late or fall behind on a busy machine, but not by half
    assert.ok(run.checked >= (RUN_MS / INTERVAL_MS) / 2, `only ${run.checked} interval ticks`);
    assert.ok(run.waits >= 20, `only ${run.waits} spinning waits: too few to show a loss`);
    assert.deepEqual(run.mismatches, [], `${run.waits} waits in ${run.checked} intervals`);
    assert.ok(run.transient <= 2, `${run.transient} ticks where a wait counted before the flip went to the next generation`);
  });
}
