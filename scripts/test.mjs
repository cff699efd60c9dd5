// Runs every compiled *.test.js under dist/test (or under the folders given; a file given is run as it is) with node's
// test runner. Node 20's runner has no glob support and would also run helper modules under test/ as tests.
// Arguments starting with -- go to the runner (e.g. --test-reporter=tap, --test-name-pattern=...).
// Every test process preloads the guard (test/guard/): a test or subtest that ends having made no assertion, and did
// not skip saying why, fails.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const roots = args.filter((a) => !a.startsWith('--'));
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
};
for (const r of roots.length ? roots : ['dist/test']) statSync(r).isDirectory() ? walk(r) : files.push(r);
files.sort();

const guard = fileURLToPath(new URL('../dist/test/guard/register.js', import.meta.url));
const reporter = flags.some((f) => f.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
const r = spawnSync(process.execPath, ['--import', guard, '--test', ...reporter, '--test-concurrency=1', ...flags, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
