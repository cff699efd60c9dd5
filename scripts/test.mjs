// Runs every compiled *.test.js under dist/test (optionally only under the folders given) with node's test runner.
// Node 20's runner has no glob support and would also run helper modules under test/ as tests.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['dist/test'];
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
};
for (const r of roots) walk(r);
files.sort();

// A test that reaches no assertion, or returns before checking, passes without checking: refuse to run until fixed.
const { unassertedTests } = await import('../dist/test/helpers/assertion-check.js');
const seen = new Map();
const unchecked = files.flatMap((f) => {
  const src = f.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  return existsSync(src) ? unassertedTests(src, seen) : [];
});
for (const u of unchecked) console.error(`${u.file}:${u.line}: test "${u.name}": ${u.why}`);
if (unchecked.length) {
  console.error(`test: ${unchecked.length} test(s) can pass without checking (test/helpers/assertion-check.ts): make each assert, or skip saying why`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
