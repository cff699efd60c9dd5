// Import first in any test that renders ink. ink decides at import whether it runs in CI (is-in-ci reads CI, which
// .ci/run sets) and then draws only the last frame at exit, so every frame a test reads would be empty. As the
// product does for a terminal (cli/tui/load-ink.ts), ink is loaded with CI unset, and the environment put back.
// (Not through loadInk: it also picks React's production build, with which these frames came out empty here.)
const keys = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
const saved = keys.map((k) => process.env[k]);
for (const k of keys) delete process.env[k];
try {
  await import('ink');
} finally {
  keys.forEach((k, i) => { if (saved[i] !== undefined) process.env[k] = saved[i]; });
}
