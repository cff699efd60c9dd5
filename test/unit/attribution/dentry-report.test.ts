// The contention-naming prototype on the development machine (no kprobes: lock:contention_begin/end): recorded runs
// of scripts/attribution/hot-dentry.sh with each bpftrace, and one live run when bpftrace and root are there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../../../cli/paths.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { dentryReport } from '../../../scripts/attribution/dentry-report.js';
import { availableBpftraces } from '../../helpers/bpftraces.js';

const DIR = join(FIXTURES_DIR, 'bpftrace', 'attribution');
const runs = readdirSync(DIR).filter((d) => d.startsWith('hot-dentry-'));

/** The holder's pid from run.txt: the hot dentry is /proc/<holder>/fd. */
const holderOf = (runTxt: string) => /^holder (\d+) /m.exec(runTxt)![1]!;

test('recorded: every bpftrace names the contended dentry /proc/<holder>/fd as the top one', () => {
  assert.ok(runs.length >= 3, `only ${runs.length} recorded runs`);
  for (const r of runs) {
    const holder = holderOf(readFileSync(join(DIR, r, 'run.txt'), 'utf8'));
    const rows = dentryReport(readFileSync(join(DIR, r, 'bpftrace.ndjson'), 'utf8'));
    const top = rows[0]!;
    assert.deepEqual({ name: top.name, parent: top.parent, fs: top.fs }, { name: 'fd', parent: holder, fs: 'proc' }, r);
    assert.ok(top.via.includes('__legitimize_path'), `${r}: ${top.via}`);
    assert.ok(top.waits >= 20, `${r}: ${top.waits} waits`);
    // every row kept is a lockref wait with a name read at first sight
    for (const x of rows) assert.ok(x.lockref && x.name !== null && x.fs === 'proc', `${r}: ${JSON.stringify(x)}`);
  }
});

test('recorded: the three JSON spellings of the keys read alike (0.17 signed, 0.23 escaped frames, 0.27 unsigned)', () => {
  const keys = runs.map((r) => { const t = readFileSync(join(DIR, r, 'bpftrace.ndjson'), 'utf8'); return /"@cd_n": \{"([^"]{0,40})/.exec(t)![1]!; });
  assert.ok(keys.some((k) => k.startsWith('\\n    ')), keys.join(' | '));       // 0.17: newline, 4 spaces
  assert.ok(keys.some((k) => k.startsWith('\\\\n')), keys.join(' | '));        // 0.23: the newline escaped twice
  assert.ok(keys.some((k) => /^\\n[a-z_]/.test(k)), keys.join(' | '));         // 0.27: no indent
});

const bt = availableBpftraces().find((b) => b.label === 'system') ?? availableBpftraces()[0];
const contention = spawnSync('sh', ['-c', 'test -d /sys/kernel/tracing/events/lock/contention_begin || test -d /sys/kernel/debug/tracing/events/lock/contention_begin']).status === 0;
test('live: many workers contending on one known dentry find it by name (contention strategy)', {
  skip: process.getuid?.() !== 0 ? 'needs root (bpftrace)' : !bt ? 'no bpftrace' : !contention ? 'no lock:contention_begin tracepoint (kernel < 5.19)' : false,
  timeout: 180_000,
}, () => {
  const out = mkdtempSync(join(tmpdir(), 'rcuwalk-hot-dentry-'));
  try {
    const r = spawnSync('bash', [join(PACKAGE_ROOT, 'scripts', 'attribution', 'hot-dentry.sh'), bt!.path, out, '6', '8'], { encoding: 'utf8', timeout: 150_000 });
    assert.equal(r.status, 0, r.stderr);
    const holder = holderOf(readFileSync(join(out, 'run.txt'), 'utf8'));
    const top = dentryReport(readFileSync(join(out, 'bpftrace.ndjson'), 'utf8'))[0];
    assert.ok(top, 'no lockref wait seen');
    assert.deepEqual({ name: top.name, parent: top.parent, fs: top.fs }, { name: 'fd', parent: holder, fs: 'proc' });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
