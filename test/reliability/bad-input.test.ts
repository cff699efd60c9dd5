// Bad input: malformed, truncated and mutated capture/config files (property-based, fast-check), wrong
// schemaVersion, enormous flag values, hostile --cmd strings, unwritable/symlinked output paths. Each: one line
// (plus the "next:" line), a documented exit code, nothing started, nothing half-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture, validateCapture } from '../../cli/schema/validate.js';
import { loadConfig } from '../../cli/capture/load-config.js';
import { UserError } from '../../cli/errors.js';
import { EXIT } from '../../cli/exit-codes.js';
import { reduceAll } from '../../cli/state/reducer.js';
import { toCapture } from '../../cli/capture/to-capture.js';
import { contentionMeta, fixtureEvents } from '../unit/capture/fixture-replay.js';
import { captureUnsupportedReason, runCli } from '../helpers/cli.js';
import { describe, runTagged, spawnTagged, taggedProcesses, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-badin-'));
const good = toCapture(reduceAll(fixtureEvents('contention-6.18', contentionMeta())));
const goodText = JSON.stringify(good, null, 1) + '\n';
let n = 0;
const file = (text: string | Uint8Array) => { const p = join(dir, `f${n++}.json`); writeFileSync(p, text); return p; };

/** The loader either returns a valid object or throws one UserError line with exit 2: nothing else. */
function loadsOrOneLine(load: (p: string) => unknown, p: string): 'ok' | 'error' {
  try {
    load(p);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError: ${(err as Error).stack}`);
    assert.equal(err.exitCode, EXIT.usage);
    assert.ok(!err.message.includes('\n') && !err.next.includes('\n'), `more than one line: ${JSON.stringify(err.message)}`);
    assert.ok(err.message.length < 2000, 'message length');
    return 'error';
  }
}

test('the fixture capture loads (the fuzz starts from a valid file)', () => {
  assert.equal(loadsOrOneLine(loadCapture, file(goodText)), 'ok');
});

test('loadCapture: every truncation is one line, exit 2 (and says truncated when it ends mid-JSON)', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: goodText.length - 3 }), (cut) => {
    const p = file(goodText.slice(0, cut));
    assert.equal(loadsOrOneLine(loadCapture, p), 'error');
    if (goodText.slice(0, cut).trim() !== '') {
      try { loadCapture(p); } catch (err) { assert.match((err as Error).message, /truncated|not valid JSON/); }
    }
  }), { numRuns: 150 });
});

/** A JSON path into `x`, chosen by the numbers in `picks`. */
function pathInto(x: unknown, picks: number[]): (string | number)[] {
  const path: (string | number)[] = [];
  let cur = x;
  for (const k of picks) {
    if (Array.isArray(cur) && cur.length > 0) { const i = k % cur.length; path.push(i); cur = cur[i]; }
    else if (cur !== null && typeof cur === 'object' && Object.keys(cur).length > 0) { const ks = Object.keys(cur); const key = ks[k % ks.length]!; path.push(key); cur = (cur as Record<string, unknown>)[key]; }
    else break;
  }
  return path;
}
function setAt(x: unknown, path: (string | number)[], v: unknown, del: boolean): unknown {
  const root = structuredClone(x) as Record<string | number, unknown>;
  if (path.length === 0) return v;
  let cur = root;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (del) { if (Array.isArray(cur)) cur.splice(Number(last), 1); else delete cur[last]; } else cur[last] = v;
  return root;
}
const hostile = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.constantFrom(-1, 1e308, -0, 2 ** 53 + 1, '\n', '$(reboot)', '../../etc/passwd', null, [], {}));

test('loadCapture: a value replaced or deleted anywhere is valid or one line, exit 2; never a crash', () => {
  fc.assert(fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), hostile, fc.boolean(), (picks, v, del) => {
    const mutated = setAt(good, pathInto(good, picks), v, del);
    const p = file(JSON.stringify(mutated));
    if (loadsOrOneLine(loadCapture, p) === 'ok') validateCapture(mutated);
  }), { numRuns: 300 });
});

test('loadCapture: random bytes and wrong schemaVersion are one line, exit 2', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => { assert.equal(loadsOrOneLine(loadCapture, file(bytes)), 'error'); }), { numRuns: 100 });
  fc.assert(fc.property(fc.jsonValue().filter((v) => v !== 1 && v !== 2), (sv) => {
    const p = file(JSON.stringify({ ...good, schemaVersion: sv }));
    assert.equal(loadsOrOneLine(loadCapture, p), 'error');
    try { loadCapture(p); } catch (err) { assert.match((err as Error).message, /schemaVersion/); }
  }), { numRuns: 100 });
});

test('loadConfig: arbitrary objects, truncations and hostile durations are valid or one line, exit 2', () => {
  const keys = ['schemaVersion', 'workload', 'cmd', 'parallel', 'ballast', 'duration', 'interval', 'out', 'force', 'json', 'lockrefStrategy', 'bogus'];
  const cfg = fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostile, fc.constantFrom('30s', '999999h', '0ms', '-1s', '1e3s', 'NaN', 99999999, 1)));
  fc.assert(fc.property(cfg, fc.boolean(), (obj, withVersion) => {
    const text = JSON.stringify(withVersion ? { schemaVersion: 1, ...obj } : obj);
    loadsOrOneLine(loadConfig, file(text));
    loadsOrOneLine(loadConfig, file(text.slice(0, Math.floor(text.length / 2))));
  }), { numRuns: 300 });
});

test('the CLI on bad files: exit 2, "rcuwalk: " and at most a "next:" line (export, compare, capture --config)', () => {
  const bad = [file(goodText.slice(0, 500)), file(JSON.stringify({ ...good, schemaVersion: 3 })), file(new Uint8Array([0xff, 0xfe, 0, 1, 2])), file(''), join(dir, 'missing.json')];
  for (const p of bad) {
    for (const args of [['export', p], ['compare', p, p], ['capture', '--config', p, '--json']]) {
      const r = runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^rcuwalk: /);
      assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
    }
  }
});

test('enormous or absurd flag values: exit 2 in one line, before anything starts', () => {
  const cases = [
    ['--parallel', '99999999'], ['--parallel', '1e9'], ['--parallel', '0'], ['--parallel', '-1'], ['--parallel', '2.5'],
    ['--duration', '999999h'], ['--duration', '1e308'], ['--duration', 'Infinity'], ['--duration', 'NaN'], ['--duration', '0'],
    ['--interval', '1ms'], ['--interval', '0.001s'], ['--ballast', '99999999999'], ['--ballast', '-5'],
  ];
  for (const args of cases) {
    const r = runTagged(['capture', ...args, '--json'], { timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^rcuwalk: /);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
    assert.deepEqual(taggedProcesses(r.tag), []);
  }
});

test('output paths: a symlink, a directory, a missing directory and an existing file are refused (exit 7) before anything starts', { skip: captureUnsupportedReason() ?? false }, () => {
  const target = join(dir, 'precious.json');
  writeFileSync(target, 'precious');
  const link = join(dir, 'link.json');
  symlinkSync(target, link);
  mkdirSync(join(dir, 'adir'));
  for (const [out, force] of [[link, true], [link, false], [join(dir, 'adir'), true], [join(dir, 'no', 'such', 'dir.json'), false], [target, false]] as const) {
    const r = runTagged(['capture', '--duration', '2s', '--out', out, ...(force ? ['--force'] : [])], { timeoutMs: 60_000 });
    assert.equal(r.code, 7, `${out}: ${r.stderr}`);
    assert.match(r.stderr, /^rcuwalk: /);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
    assert.doesNotMatch(r.stderr, /attaching/);
  }
  assert.equal(readFileSync(target, 'utf8'), 'precious');
  assert.equal(existsSync(`${link}.journal`), false);
});

// Shell metacharacters, quotes and command substitutions: each must be data to the user's command, run by one shell
// per iteration exactly as `bash -c CMD` runs it, and never reach the bpftrace script.
test('a hostile --cmd runs as exactly one command per worker iteration and never reaches bpftrace', { skip: captureUnsupportedReason() ?? false, timeout: 120_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'rcuwalk-cmd-'));
  const log = join(work, 'log');
  const args = [`x"; touch PWN1; echo "`, "$(touch PWN2)", '`touch PWN3`', "'; touch PWN4; '", '%s\\n; rm -rf /nonexistent-rcuwalk', '}; exit 0; {'];
  const cmd = `printf '%s\\n' ${args.map((a) => `'${a.replace(/'/g, `'"'"'`)}'`).join(' ')} >> ${log}; echo END >> ${log}`;
  const out = join(work, 'cmd.json');
  const c = spawnTagged(['capture', '--cmd', cmd, '--parallel', '1', '--duration', '3s', '--interval', '1s', '--lockref-strategy', 'contention', '--out', out], { cwd: work });
  let script = '';
  await waitFor(() => {
    // the capture's bpftrace (not the --version/--info/-d calls made while resolving)
    const bt = taggedProcesses(c.tag).find((p) => p.comm === 'bpftrace' && p.cmdline.includes(' -f json -e '));
    if (bt) { try { script = readFileSync(`/proc/${bt.pid}/cmdline`, 'utf8'); } catch { /* gone */ } }
    return script !== '' || c.exitCode !== null;
  }, 60_000, 10);
  const { code } = await c.exit;
  assert.equal(code, 0, c.stderrText());
  assert.ok(await waitFor(() => taggedProcesses(c.tag).length === 0, 5000), describe(taggedProcesses(c.tag)));
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('PWN')), [], 'an injected command ran');
  const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
  assert.ok(lines.length >= args.length + 1, 'the command ran');
  const k = args.length + 1;
  const groups = Math.floor(lines.length / k);
  for (let g = 0; g < groups; g++) assert.deepEqual(lines.slice(g * k, g * k + k), [...args, 'END']);
  const cap = loadCapture(out);
  assert.equal(cap.settings.command, cmd);
  assert.ok((cap.totals.runs ?? 0) >= 1);
  // one counted run per complete execution: never more runs than executions; executions after the last interval
  // closed (while the workload is being stopped) are not counted, so a few more executions than runs
  const runs = cap.totals.runs ?? 0;
  assert.ok(runs <= groups + 1 && runs >= groups * 0.8, `runs ${runs}, executions ${groups}`);
  // the script bpftrace ran: the same as `rcuwalk probes --print`, and nothing of the command in it
  assert.ok(script.length > 0, 'saw the bpftrace command line');
  for (const piece of ['PWN', log, 'touch', 'nonexistent-rcuwalk']) assert.ok(!script.includes(piece), `bpftrace's command line holds ${piece}`);
  const printed = runCli(['probes', '--print', '--lockref-strategy', 'contention']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(script.split('\0')[4]!.trim(), printed.stdout.trim(), 'bpftrace runs exactly the printed script');
});
