// The report opened in headless Chromium: every chart is in the DOM with drawn marks, and there are no console
// messages (a CSP refusal, of a script or a fetch, logs there). The report has no script: its CSP allows none.
// Skipped, with the reason printed, when chromium is not installed (Debian: apt-get install -y chromium).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../cli/paths.js';
import { syntheticCapture } from '../unit/compare/synthetic.js';
import { syntheticSweep } from '../unit/report/synthetic-sweep.js';

function findChromium(): string | null {
  for (const c of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

const chromium = findChromium();

test('report renders in headless Chromium with all charts and no console errors', { skip: chromium ? false : 'chromium not installed (apt-get install -y chromium)', timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-report-'));
  try {
    // SYNTHETIC inputs (test/unit/compare/synthetic.ts)
    writeFileSync(join(dir, 'base.json'), JSON.stringify(syntheticCapture({ seed: 1, cpus: 8, intervals: 60, kernelRelease: '5.10.0-synthetic' })));
    writeFileSync(join(dir, 'run.json'), JSON.stringify(syntheticCapture({ seed: 2, cpus: 8, intervals: 60, echildPerRun: 0.5, runsPerSec: 700 })));
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(syntheticSweep()));
    const out = join(dir, 'report.html');
    execFileSync(process.execPath, [join(PACKAGE_ROOT, 'dist/cli/bin.js'), 'report', join(dir, 'run.json'), join(dir, 'base.json'), '--sweep', join(dir, 'sweep.json'), '-o', out], { stdio: 'pipe' });
    assert.ok(existsSync(out));
    const profile = mkdtempSync(join(tmpdir(), 'rcuwalk-chromium-'));
    const r = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${out}`],
      { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    rmSync(profile, { recursive: true, force: true });
    assert.equal(r.status, 0, `chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const dom = r.stdout;
    // the report has no script (its CSP allows none): Chromium's DOM is the page as parsed, every chart in it
    assert.match(dom, /<body[^>]*>/, 'Chromium rendered the page');
    assert.equal((dom.match(/<svg[^>]*class="chart/g) ?? []).length, 12, 'charts in the DOM');
    for (const id of ['timeline-runs_per_s', 'timeline-echild_per_s', 'timeline-spin_ms_per_s', 'timeline-spinlock_ms_per_s', 'cpu-echild', 'cpu-spin', 'cpu-sys', 'spin-histogram', 'sweep-runs_per_s', 'sweep-echild_per_s', 'sweep-spin_ms_per_s', 'sweep-spinlock_ms_per_s']) {
      const svg = new RegExp(`<svg[^>]*id="${id}".*?</svg>`, 's').exec(dom)?.[0];
      assert.ok(svg, `chart ${id} in the DOM`);
      assert.ok(/<path class="series"[^>]* d="M[^"]+"/.test(svg) || /<rect class="bar"/.test(svg), `chart ${id} has drawn marks`);
    }
    const consoleLines = r.stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));
    assert.deepEqual(consoleLines, [], 'no console messages');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
