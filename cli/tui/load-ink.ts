// Loads ink and React for a real terminal, before any component module. Two things are decided once, at import:
// React's build (development unless NODE_ENV=production: several times the CPU per frame, and warnings on the
// screen), and whether ink runs in CI (is-in-ci reads CI / CONTINUOUS_INTEGRATION; then ink draws only the last
// frame at exit, so a TTY would show nothing). The environment is put back after, so children see the user's.
export async function loadInk(tty: boolean): Promise<typeof import('ink')> {
  const keys = ['NODE_ENV', 'CI', 'CONTINUOUS_INTEGRATION'] as const;
  const saved = keys.map((k) => process.env[k]);
  if (process.env['NODE_ENV'] === undefined) process.env['NODE_ENV'] = 'production';
  if (tty) { delete process.env['CI']; delete process.env['CONTINUOUS_INTEGRATION']; }
  try {
    await import('react');
    await import('react/jsx-runtime');
    return await import('ink');
  } finally {
    keys.forEach((k, i) => { if (saved[i] === undefined) delete process.env[k]; else process.env[k] = saved[i]; });
  }
}
