// A seeded PRNG and the distributions the bootstrap needs (deterministic output for a given seed).

/**
 * A seeded PRNG returning uniforms in (0,1): xoshiro128** (Blackman & Vigna) with its 128-bit state filled by
 * splitmix32 from the seed. (A plain Weyl-sequence hash such as seededRandom showed visible structure at the
 * fixed strides the bootstrap and the test fixtures draw at.) Deterministic per seed.
 */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0;
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix(), s1 = splitmix(), s2 = splitmix(), s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const r = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    s0 >>>= 0; s1 >>>= 0; s2 >>>= 0;
    const u = r / 4294967296;
    return u === 0 ? 2 ** -33 : u;
  };
}

function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }

export function normal(rand: () => number): number {
  // Box-Muller
  return Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang 2000); shape < 1 via the boost Gamma(a+1) * U^(1/a). */
function gamma(rand: () => number, shape: number): number {
  if (shape < 1) return gamma(rand, shape + 1) * Math.pow(rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = normal(rand); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function beta(rand: () => number, a: number, b: number): number {
  const x = gamma(rand, a);
  const y = gamma(rand, b);
  return x / (x + y);
}
