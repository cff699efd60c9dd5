// Preloaded into every test process by scripts/test.mjs (`node --import ./dist/test/guard/register.js --test ...`):
// each test's assertions are counted as it runs (hooks.ts) and a test or subtest that made none without skipping
// saying why fails (test-bodies.ts).
import { register } from 'node:module';
import './test-bodies.js';

register('./hooks.js', import.meta.url);
