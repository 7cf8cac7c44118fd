/**
 * Seeded randomness for the benchmarks: a small PRNG and an O(1) sampler for discrete distributions, so a
 * generated corpus or query list depends on its seed alone (never on Math.random or the clock).
 */

/**
 * mulberry32: 32 bits of state, fast, and good enough for picking words (it passes gjrand's and
 * PractRand's smaller batteries). Its period of 2^32 draws covers a 1M-paragraph corpus about 35 times.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // splitmix32 scrambles the seed first, so seeds 1 and 2 start far apart instead of one step apart.
    let z = (seed + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/**
 * Vose's alias method: after O(n) set-up, one draw costs two random numbers and no search, which matters
 * when a 1M-paragraph corpus draws some 50 million words from a list of 150,000.
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  /** @param weights  non-negative, not all zero; need not sum to 1 */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable: no weights');
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    if (!(total > 0)) throw new Error('AliasTable: weights sum to zero');
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    // Leftovers are 1 up to rounding error.
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  get size(): number {
    return this.prob.length;
  }

  sample(rng: Rng): number {
    const i = rng.int(this.prob.length);
    return rng.float() < this.prob[i]! ? i : this.alias[i]!;
  }
}
