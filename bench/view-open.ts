// `rcuwalk view` of a long capture: a 128-CPU, 1-hour run at 1 s intervals, synthesized from real recorded per-CPU
// records (bench/scale-worker.ts, kept with RCUWALK_SCALE_KEEP), opened in a tmux pane (120x50): the wall time
// from start to the first frame on the screen (the table's all-CPU row), and the node process's peak RSS
// (VmHWM) until then. Then a few cursor keys, and q. Needs tmux.
// Usage: node dist/bench/view-open.js [cpus=128] [intervals=3600] [rounds=3] [--file BIG.json (made before: skip the synthesis)]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './lib.js';

const fileAt = process.argv.indexOf('--file');
const given = fileAt > 0 ? process.argv[fileAt + 1]! : null;
const [cpus = 128, intervals = 3600, rounds = 3] = process.argv.slice(2).filter((a, i) => /^\d+$/.test(a) && i + 2 !== fileAt + 1).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-view-bench-'));
const file = given ?? join(dir, 'big.json');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  const worker = fileURLToPath(new URL('./scale-worker.js', import.meta.url));
  const t = performance.now();
  if (!given) execFileSync(process.execPath, [worker, String(cpus), String(intervals)], { env: { ...process.env, RCUWALK_SCALE_KEEP: file }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(file)) throw new Error('scale-worker kept no file');
  process.stdout.write(`rcuwalk view: ${given ? given : `${cpus} CPUs x ${intervals} intervals`}, ${(statSync(file).size / 1e6).toFixed(0)} MB${given ? '' : ` (synthesized in ${((performance.now() - t) / 1000).toFixed(0)} s)`}\n`);
  for (let r = 0; r < rounds; r++) {
    const sock = `rcuwalk-viewbench-${process.pid}-${r}`;
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
    const tag = `viewbench-${process.pid}-${r}`;
    const t0 = performance.now();
    spawnSync('tmux', ['-L', sock, 'new-session', '-d', '-x', '120', '-y', '50', 'env', 'TERM=xterm-256color', `RCUWALK_BENCH_TAG=${tag}`, BIN, 'view', file]);
    let pid = -1, hwmKb = 0, firstMs = -1;
    try {
      while (performance.now() - t0 < 60_000) {
        if (pid < 0) {
          for (const d of readdirSync('/proc')) {
            if (!/^\d+$/.test(d)) continue;
            try { if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'node' && readFileSync(`/proc/${d}/environ`, 'latin1').includes(`RCUWALK_BENCH_TAG=${tag}`)) { pid = Number(d); break; } } catch { /* gone */ }
          }
        }
        if (pid > 0) {
          try { hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? hwmKb); } catch { /* exited */ }
        }
        let screen = '';
        try { screen = tmux('capture-pane', '-p'); } catch { /* not yet */ }
        if (/^ all\s+\d/m.test(screen)) { firstMs = performance.now() - t0; break; }
        await sleep(20);
      }
      if (pid > 0) try { hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? hwmKb); } catch { /* exited */ }
      for (const k of ['Home', 'Right', 'Right', 'End', 'w']) { tmux('send-keys', k); await sleep(100); }
      const after = tmux('capture-pane', '-p');
      tmux('send-keys', 'q');
      process.stdout.write(`round ${r + 1}: first frame ${firstMs < 0 ? 'never (60 s)' : `${(firstMs / 1000).toFixed(2)} s`}, peak RSS ${(hwmKb / 1024).toFixed(0)} MB${/whole run: \d+ intervals/.test(after) ? ', keys answered' : ', keys: no answer within 0.5 s'}\n`);
    } finally {
      try { tmux('kill-server'); } catch { /* gone */ }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
