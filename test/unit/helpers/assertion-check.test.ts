// The check scripts/test.mjs runs before the tests: it names tests that reach no assertion or return before checking,
// and accepts checks made through helpers and skips that say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unassertedTests } from '../../helpers/assertion-check.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-assert-check-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

test('flags a test with no assertion and one that returns early; passes asserting ones', () => {
  const p = file('a.test.ts', [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "test('nothing', () => { const x = 1 + 1; void x; });",
    "test('early', () => { if (Math.random() > 2) return; assert.equal(1, 1); });",
    "test('checks', () => { assert.ok(true); });",
    "test('skips with a reason', (t) => { if (!process.env.NOPE) { t.skip('NOPE is unset'); return; } assert.ok(1); });",
  ].join('\n'));
  assert.deepEqual(unassertedTests(p).map((u) => [u.line, u.name, u.why]), [
    [3, 'nothing', 'no assertion'],
    [4, 'early', 'returns before checking (skip with a reason instead)'],
  ]);
});

test('a check through a local function or an imported test helper counts, transitively', () => {
  file('helper.ts', "import assert from 'node:assert/strict';\nconst inner = (x: number) => assert.ok(x);\nexport function outer(x: number) { inner(x); }\nexport function quiet() { return 1; }\n");
  const p = file('b.test.ts', [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { outer, quiet } from './helper.js';",
    "const local = () => assert.ok(1);",
    "test('helper', () => { outer(1); });",
    "test('local', () => { local(); });",
    "test('quiet helper only', () => { quiet(); });",
    "it('fast-check style', () => { fc.assert(fc.property(fc.nat(), (n) => n >= 0)); });",
  ].join('\n'));
  assert.deepEqual(unassertedTests(p).map((u) => u.name), ['quiet helper only']);
});
