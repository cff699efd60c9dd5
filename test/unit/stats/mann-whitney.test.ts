// Mann-Whitney U against published values and an independent brute-force enumeration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mannWhitneyU } from '../../../cli/stats/mann-whitney.js';

/** Brute force: enumerate every way to split the pooled sample, U counted by pairs (not ranks). */
function bruteForceP(x: number[], y: number[]): number {
  const pool = [...x, ...y];
  const m = x.length, N = pool.length;
  const uOf = (a: number[], b: number[]) => { let u = 0; for (const p of a) for (const q of b) u += p > q ? 1 : p === q ? 0.5 : 0; return u; };
  const uObs = uOf(x, y), mean = (m * y.length) / 2;
  let total = 0, extreme = 0;
  const pick: number[] = [];
  const rec = (start: number) => {
    if (pick.length === m) {
      const a = pick.map((i) => pool[i]!);
      const b = pool.filter((_, i) => !pick.includes(i));
      total++;
      if (Math.abs(uOf(a, b) - mean) >= Math.abs(uObs - mean) - 1e-9) extreme++;
      return;
    }
    for (let i = start; i < N; i++) { pick.push(i); rec(i + 1); pick.pop(); }
  };
  rec(0);
  return extreme / total;
}

test('scipy documentation example (Conover): U = 17, exact p = 1/9, asymptotic p = 0.11134688653314041', () => {
  const males = [19, 22, 16, 29, 24], females = [20, 11, 17, 12];
  const exact = mannWhitneyU(males, females);
  assert.equal(exact.u, 17);
  assert.equal(exact.method, 'exact');
  assert.ok(Math.abs(exact.p - 0.1111111111111111) < 1e-12, String(exact.p));
  const approx = mannWhitneyU(males, females, { exact: false });
  assert.equal(approx.method, 'normal');
  assert.ok(Math.abs(approx.p - 0.11134688653314041) < 1e-6, String(approx.p));
});

/** Two-sided alpha = 0.05 critical values of U (significant when min(U, mn - U) <= crit), standard tables. */
const CRITICAL = [
  { m: 5, n: 5, crit: 2 }, { m: 8, n: 8, crit: 13 }, { m: 5, n: 10, crit: 8 }, { m: 10, n: 10, crit: 23 }, { m: 20, n: 20, crit: 127 },
];
for (const { m, n, crit } of CRITICAL) {
  test(`critical value table: n1=${m}, n2=${n}, U_crit=${crit}`, () => {
    // construct samples with U exactly = u (no ties): x takes u "wins"
    const sampleWithU = (u: number) => {
      // y = 0..n-1 spaced by 2 (even); x values placed at odd positions so x_i beats k_i of the y's
      const ks: number[] = [];
      let left = u;
      for (let i = 0; i < m; i++) { const k = Math.min(n, left); ks.push(k); left -= k; }
      return { x: ks.map((k, i) => 2 * k - 1 + i * 1e-3), y: Array.from({ length: n }, (_, j) => 2 * j) };
    };
    const at = sampleWithU(crit), above = sampleWithU(crit + 1);
    assert.equal(mannWhitneyU(at.x, at.y).u, crit);
    assert.ok(mannWhitneyU(at.x, at.y).p <= 0.05, `p(U=${crit})=${mannWhitneyU(at.x, at.y).p}`);
    assert.ok(mannWhitneyU(above.x, above.y).p > 0.05, `p(U=${crit + 1})=${mannWhitneyU(above.x, above.y).p}`);
  });
}

test('exact p equals brute-force enumeration, with and without ties (property)', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    (x, y) => {
      const r = mannWhitneyU(x, y);
      const bf = bruteForceP(x, y);
      assert.ok(Math.abs(r.p - bf) < 1e-9, `x=${x} y=${y} p=${r.p} brute=${bf}`);
    },
  ), { numRuns: 150 });
});

test('U is the number of pairs x > y (ties 1/2) for the normal method too', () => {
  const x = Array.from({ length: 50 }, (_, i) => i % 7);
  const y = Array.from({ length: 40 }, (_, i) => (i * 3) % 11);
  let u = 0; for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  const r = mannWhitneyU(x, y);
  assert.equal(r.method, 'normal');
  assert.equal(r.u, u);
});

test('normal approximation is close to the exact p at the exact/normal boundary', () => {
  const x = Array.from({ length: 30 }, (_, i) => i * 1.1);
  const y = Array.from({ length: 30 }, (_, i) => i * 1.1 + 6.05);
  const e = mannWhitneyU(x, y, { exact: true }), a = mannWhitneyU(x, y, { exact: false });
  assert.ok(Math.abs(e.p - a.p) < 0.01, `${e.p} vs ${a.p}`);
});

test('identical samples: p = 1; all tied: p = 1', () => {
  assert.equal(mannWhitneyU([1, 2, 3], [1, 2, 3]).p, 1);
  assert.equal(mannWhitneyU(Array(100).fill(5), Array(100).fill(5)).p, 1);
});
