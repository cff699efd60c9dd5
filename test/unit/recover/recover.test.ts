// rcuwalk recover: a journal (written by the real journal code from a real recording) -> a valid capture file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../../../cli/capture/journal.js';
import { reduceAll } from '../../../cli/state/reducer.js';
import { validateCapture } from '../../../cli/schema/validate.js';
import type { Capture } from '../../../cli/schema/types.generated.js';
import { defaultRecoverOut } from '../../../cli/commands/recover.js';
import { runCli } from '../../helpers/cli.js';
import { contentionMeta, fixtureEvents } from '../capture/fixture-replay.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-recover-'));
const meta = contentionMeta();
const state = reduceAll(fixtureEvents('contention-6.18', meta));

function journal(name: string): string {
  const p = join(dir, name);
  const j = openJournal(p, meta);
  for (const iv of state.intervals) j.append(iv, { attachMs: state.attachMs, lostEvents: 0 });
  j.close();
  return p;
}

test('default output: RUN.json.journal -> RUN.json; no default without the suffix', () => {
  assert.equal(defaultRecoverOut('/x/run.json.journal'), '/x/run.json');
  assert.equal(defaultRecoverOut('run.journal'), 'run');
  assert.equal(defaultRecoverOut('.journal'), null);
  assert.equal(defaultRecoverOut('run.json'), null);
});

test('recover JOURNAL writes a valid capture next to it (mode 0644) and keeps the journal', () => {
  const j = journal('a.json.journal');
  const r = runCli(['recover', j]);
  assert.equal(r.code, 0, r.stderr);
  const out = join(dir, 'a.json');
  const c = validateCapture(JSON.parse(readFileSync(out, 'utf8')), out);
  assert.equal(c.intervals.length, state.intervals.length);
  assert.equal(c.run.complete, false);
  assert.equal(c.run.endReason, 'interrupted');
  assert.equal(statSync(out).mode & 0o777, 0o644);
  assert.ok(existsSync(j));
  assert.match(r.stderr, /wrote .*a\.json \(7 intervals/);
});

test('refuses to overwrite without --force (exit 7, file untouched); --force replaces it', () => {
  const j = journal('b.json.journal');
  const out = join(dir, 'b-out.json');
  writeFileSync(out, 'precious');
  const r = runCli(['recover', j, '-o', out]);
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.stderr, /^rcuwalk: .*exists.*--force/);
  assert.equal(readFileSync(out, 'utf8'), 'precious');
  const f = runCli(['recover', j, '-o', out, '--force']);
  assert.equal(f.code, 0, f.stderr);
  validateCapture(JSON.parse(readFileSync(out, 'utf8')), out);
});

test('refuses a symlinked output even with --force (exit 7)', () => {
  const j = journal('c.json.journal');
  const target = join(dir, 'c-target.json');
  writeFileSync(target, 'keep');
  const link = join(dir, 'c-link.json');
  symlinkSync(target, link);
  const r = runCli(['recover', j, '-o', link, '--force']);
  assert.equal(r.code, 7, r.stderr);
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  assert.ok(lstatSync(link).isSymbolicLink());
});

test('--json prints the capture; a truncated last line is ignored and said', () => {
  const j = journal('d.json.journal');
  truncateSync(j, statSync(j).size - 30);
  const r = runCli(['recover', j, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const c = validateCapture(JSON.parse(r.stdout) as Capture, 'stdout');
  assert.equal(c.intervals.length, state.intervals.length - 1);
  assert.match(c.run.error!, /cut short/);
});

test('bad input: one line and exit 2 (missing file, garbage, no meta, no args, no default out)', () => {
  const garbage = join(dir, 'g.journal');
  writeFileSync(garbage, 'not json\n{"kind":"meta"}\n');
  const nometa = join(dir, 'n.journal');
  writeFileSync(nometa, '');
  const plain = journal('plain.ndjson');
  for (const args of [[join(dir, 'missing.journal')], [garbage], [nometa], [], [plain], [plain, '--bogus']]) {
    const r = runCli(['recover', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^rcuwalk: /);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
  }
});
