// `rcuwalk view` on the recorded qemu captures (test/fixtures/vm: Debian 5.10 before the pid_revalidate fix, 6.1
// after, 7.3): the time cursor at an interval shows that interval's numbers from the file; the whole run shows the
// totals; the streamed loader reads what JSON.parse reads; bad input is one line naming the file and the path.
import '../../helpers/ink-as-terminal.js'; // first: ink loaded as on a terminal, also under CI=true
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { Viewer } from '../../../cli/tui/viewer.js';
import { captureSource, loadRun, openRun, type RunSource } from '../../../cli/view/load-run.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import type { Capture, Interval } from '../../../cli/schema/types.generated.js';
import { combineCpus } from '../../../cli/metrics/combine.js';
import { metric } from '../../../cli/metrics/catalogue.js';
import { formatRate } from '../../../cli/format/numbers.js';
import { fmtPct } from '../../../cli/tui/view-model/format.js';
import { openJournal } from '../../../cli/capture/journal.js';
import { UserError } from '../../../cli/errors.js';
import { EXIT } from '../../../cli/exit-codes.js';
import { plain, tick, until } from '../../helpers/tui.js';

const RELEASES = ['5.10.0-46-amd64', '6.1.0-56-amd64', '7.3.4+deb13-amd64'];
const capturePath = (r: string) => join(FIXTURES_DIR, 'vm', r, 'capture.json');
const KEY = { left: '\u001B[D', right: '\u001B[C', home: '\u001B[H', end: '\u001B[F', enter: '\r', esc: '\u001B' };

/** The all-CPU row's numbers for one interval, computed from the file the way the table does. */
function expectedAll(iv: Interval, cpus: number): { sys: string; echild: string } {
  const s = { agg: combineCpus(iv.cpus), secs: (iv.endMs - iv.startMs) / 1000, runs: null, cpus };
  return { sys: fmtPct(metric('sys_pct').value!(s)), echild: formatRate(metric('echild_per_s').value!(s)) };
}

/** The 'all' row's cells under the table header's columns %sys and ECHILD/s. */
function allRow(text: string): { sys: string; echild: string } {
  const lines = text.split('\n');
  const hdr = lines.find((l) => l.startsWith(' CPU'));
  const row = lines.find((l) => l.startsWith(' all'));
  assert.ok(hdr && row, text);
  const cell = (name: string, w: number) => { const at = hdr.indexOf(name); return row.slice(at + name.length - w, at + name.length).trim(); };
  return { sys: cell('%sys', 5), echild: cell('ECHILD/s', 8) };
}

function mount(c: Capture | RunSource, label = 'capture.json', onError?: (e: unknown) => void) {
  const run = 'head' in c ? c : captureSource(c);
  const r = render(<Viewer run={run} label={label} color={false} width={120} height={40} onError={onError} />);
  const text = () => plain(r.lastFrame());
  const press = async (k: string) => { r.stdin.write(k); await tick(15); };
  return { r, text, press };
}

for (const rel of RELEASES) {
  test(`view ${rel}: the cursor at each interval shows that interval's numbers from the file`, async () => {
    const c = loadRun(capturePath(rel));
    assert.ok(c.intervals.length >= 5, 'a recorded run with intervals');
    const { r, text, press } = mount(c);
    try {
      const last = c.intervals[c.intervals.length - 1]!;
      await until(text, new RegExp(`interval #${last.seq} \\(${c.intervals.length}/${c.intervals.length}\\)`));
      await press(KEY.home);
      for (const [i, iv] of c.intervals.entries()) {
        if (i > 0) await press(KEY.right);
        const t = await until(text, new RegExp(`interval #${iv.seq} \\(${i + 1}/`));
        assert.deepEqual(allRow(t), expectedAll(iv, c.host.cpuCount), `interval ${i}`);
      }
      await press(KEY.right); // past the end: stays on the last
      assert.match(text(), new RegExp(`interval #${last.seq} \\(${c.intervals.length}/`));
      await press(KEY.left);
      await until(text, new RegExp(`\\(${c.intervals.length - 1}/${c.intervals.length}\\)`));
    } finally {
      r.unmount();
    }
  });
}

test('view: 5.10 shows ECHILD fallbacks in its busy intervals, 6.1 (after the fix) shows zero in every one', async () => {
  const old = loadRun(capturePath('5.10.0-46-amd64'));
  const fixed = loadRun(capturePath('6.1.0-56-amd64'));
  const busy = old.intervals.findIndex((iv) => iv.cpus.some((x) => (x.prEchild ?? 0) > 0));
  assert.ok(busy >= 0, 'the 5.10 recording has ECHILD returns');
  const a = mount(old);
  try {
    await a.press('g');
    for (const ch of String(old.intervals[busy]!.seq)) await a.press(ch);
    await until(a.text, /go to interval #: \d+_/);
    await a.press(KEY.enter);
    const t = await until(a.text, new RegExp(`interval #${old.intervals[busy]!.seq} `));
    assert.notEqual(allRow(t).echild, '0.0');
    assert.match(allRow(t).echild, /^[\d.]+k?$/);
  } finally { a.r.unmount(); }
  const b = mount(fixed);
  try {
    await b.press(KEY.home);
    for (let i = 0; i < fixed.intervals.length; i++) {
      if (i > 0) await b.press(KEY.right);
      const t = await until(b.text, new RegExp(`\\(${i + 1}/${fixed.intervals.length}\\)`));
      assert.equal(allRow(t).echild, '0.0', `6.1 interval ${i}`);
    }
  } finally { b.r.unmount(); }
});

test('view: w toggles the whole run (the run totals) and back; esc cancels a go-to', async () => {
  const c = loadRun(capturePath('5.10.0-46-amd64'));
  const { r, text, press } = mount(c);
  try {
    await press('w');
    const t = await until(text, /whole run: \d+ intervals/);
    const secs = (c.intervals[c.intervals.length - 1]!.endMs - c.intervals[0]!.startMs) / 1000;
    const echild = metric('echild_per_s').value!({ agg: c.totals.all, secs, runs: null, cpus: c.host.cpuCount });
    assert.equal(allRow(t).echild, formatRate(echild));
    assert.match(t, / whole run\s+s sort/);
    await press('w');
    await until(text, /interval #\d+ \(/);
    await press('g'); await press('1');
    await until(text, /go to interval #: 1_/);
    await press(KEY.esc);
    await until(text, /g:go to/);
    assert.match(text(), new RegExp(`\\(${c.intervals.length}/${c.intervals.length}\\)`), 'the cursor did not move');
  } finally { r.unmount(); }
});

test('view: the indexed loader reads exactly what JSON.parse reads, interval by interval', () => {
  for (const rel of RELEASES) {
    const whole = JSON.parse(readFileSync(capturePath(rel), 'utf8')) as Capture;
    assert.deepEqual(loadRun(capturePath(rel)), whole);
    const src = openRun(capturePath(rel));
    assert.equal(src.count, whole.intervals.length);
    for (const i of [src.count - 1, 0, 3]) { assert.deepEqual(src.at(i), whole.intervals[i]); assert.equal(src.seqAt(i), whole.intervals[i]!.seq); }
  }
});

/** The 6.1 capture with interval #1 refused by the schema (a negative count), written to DIR/late.json. */
function lateRefusal(dir: string): string {
  const c = JSON.parse(readFileSync(capturePath('6.1.0-56-amd64'), 'utf8')) as Capture;
  (c.intervals[1]!.cpus[0] as unknown as Record<string, unknown>)['prCalls'] = -5;
  const p = join(dir, 'late.json');
  writeFileSync(p, JSON.stringify(c, null, 1) + '\n');
  return p;
}

test('view: an interval the schema refuses, met when the cursor reaches it, is the one-line error (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-view-lazy-'));
  try {
    const src = openRun(lateRefusal(dir)); // head, tail and the index only: the bad interval is not read yet
    const errors: unknown[] = [];
    const { r, press } = mount(src, 'late.json', (e) => errors.push(e));
    try {
      await press(KEY.home);
      await tick(50);
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof UserError);
      assert.equal((errors[0] as UserError).message, 'late.json: /intervals/1/cpus/0/prCalls must be >= 0');
      assert.equal((errors[0] as UserError).exitCode, EXIT.usage);
    } finally { r.unmount(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('view: the refused interval is reported once, from an effect: re-rendering the same error does not report it again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-view-effect-'));
  try {
    const run = openRun(lateRefusal(dir));
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    const el = () => <Viewer run={run} label="late.json" color={false} width={120} height={40} onError={onError} initialIndex={1} />;
    const r = render(el());
    try {
      for (let i = 0; i < 3; i++) { r.rerender(el()); await tick(5); }
      await tick(30);
      assert.equal(errors.length, 1, 'four renders of the same refused interval, one report');
      assert.match((errors[0] as Error).message, /late\.json: \/intervals\/1\/cpus\/0\/prCalls must be >= 0/);
    } finally { r.unmount(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The one line and exit code loadRun gives for a bad file. */
function refusal(path: string): { line: string; code: number } {
  try {
    loadRun(path);
  } catch (err) {
    assert.ok(err instanceof UserError, String(err));
    return { line: err.message, code: err.exitCode };
  }
  assert.fail(`${path} was accepted`);
}

test('view: bad input is one line naming the file and the JSON path, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-view-'));
  try {
    const text = readFileSync(capturePath('6.1.0-56-amd64'), 'utf8');
    const put = (name: string, s: string) => { const p = join(dir, name); writeFileSync(p, s); return p; };
    const notCapture = refusal(put('pkg.json', '{"name": "x"}\n'));
    assert.match(notCapture.line, /^pkg\.json: \/schemaVersion is missing$/);
    assert.equal(notCapture.code, EXIT.usage);
    const cut = refusal(put('cut.json', text.slice(0, Math.floor(text.length / 2))));
    assert.match(cut.line, /cut\.json is not valid JSON \(the file looks truncated\)/);
    assert.equal(cut.code, EXIT.usage);
    const newer = refusal(put('new.json', text.replace('"schemaVersion": 1', '"schemaVersion": 99')));
    assert.match(newer.line, /^new\.json: schemaVersion 99 is not supported/);
    const c = JSON.parse(text) as Capture;
    (c.intervals[3]!.cpus[1] as unknown as Record<string, unknown>)['prEchild'] = 'many';
    const badPath = refusal(put('bad.json', JSON.stringify(c, null, 1) + '\n'));
    assert.equal(badPath.line, 'bad.json: /intervals/3/cpus/1/prEchild must be integer or null');
    const compact = refusal(put('compact.json', JSON.stringify(c) + '\n'));
    assert.equal(compact.line, 'compact.json: /intervals/3/cpus/1/prEchild must be integer or null', 'another layout: read whole, same message');
    const jpath = put('run.json.journal', '{"kind": "meta"');
    assert.equal(refusal(jpath).code, EXIT.usage);
    assert.ok(!refusal(jpath).line.includes('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('view: the journal of a killed run (last line cut short) opens with the intervals it holds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-view-j-'));
  try {
    const c = loadRun(capturePath('5.10.0-46-amd64'));
    const { tool, host, bpftrace, settings, resolution, metricSources } = c;
    const path = join(dir, 'run.json.journal');
    const j = openJournal(path, { tool, host, bpftrace, settings, resolution, metricSources, startedAt: c.run.startedAt });
    for (const iv of c.intervals.slice(0, 6)) j.append(iv, { attachMs: c.run.attachMs ?? 0 });
    j.close();
    writeFileSync(path, readFileSync(path, 'utf8') + '{"kind":"interval","interval":{"seq":6,"sta');
    const got = loadRun(path);
    assert.equal(got.intervals.length, 6);
    const { r, text, press } = mount(got, 'run.json.journal');
    try {
      await until(text, /interval #5 \(6\/6\)/);
      await press(KEY.home);
      const t = await until(text, /interval #0 \(1\/6\)/);
      assert.deepEqual(allRow(t), expectedAll(c.intervals[0]!, c.host.cpuCount));
    } finally { r.unmount(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
