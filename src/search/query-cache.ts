/**
 * The searcher's memory of queries as read and analyzed: least recently used out, and a newcomer let in only
 * when it has been asked more often lately than the entry it would push out (TinyLFU's admission).
 */

/** Counters per key in the frequency sketch's rows, for each entry the cache may hold. */
const WIDTH_PER_ENTRY = 16;
const ROWS = 4;
/** Counts stop here; they are halved once this many times the capacity have been counted. */
const MAX_COUNT = 15;
const SAMPLE_PER_ENTRY = 10;

/**
 * A bounded map from query text to what reading it produced. A plain LRU lets every query in and drops the
 * oldest: queries asked once each (much of a real log, or a script's sweep) flush the popular ones, and each
 * entry kept a while, then dropped, is garbage old enough to have been moved to the collector's old
 * generation, what full collections are made of (DESIGN.md, "The queries' cache"). Here a count-min sketch
 * of how often each text was asked (4 rows of counts up to 15, halved as they age) decides: when full, a
 * newcomer replaces the least recently used entry only if it was asked more often; a query asked once is
 * read, answered and forgotten young.
 */
export class QueryCache<V> {
  private readonly entries = new Map<string, V>();
  private readonly counts: Uint8Array;
  private readonly mask: number;
  private counted = 0;

  constructor(readonly capacity: number) {
    let width = 16;
    while (width < capacity * WIDTH_PER_ENTRY) width *= 2;
    this.mask = width - 1;
    this.counts = new Uint8Array(width * ROWS);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key` (made the most recently used), counting that it was asked for. */
  get(key: string): V | undefined {
    this.count(key);
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Keeps `value` for `key` if there is room, or if `key` is asked more often than the entry it would replace. */
  set(key: string, value: V): boolean {
    if (this.entries.has(key) || this.entries.size < this.capacity) {
      this.entries.delete(key);
      this.entries.set(key, value);
      return true;
    }
    const victim: string = this.entries.keys().next().value!;
    if (this.frequency(key) <= this.frequency(victim)) return false;
    this.entries.delete(victim);
    this.entries.set(key, value);
    return true;
  }

  /** How often `key` was asked for lately, as the sketch estimates it (never less than it was). */
  private frequency(key: string): number {
    const [h1, h2] = hashes(key);
    let min = MAX_COUNT;
    for (let row = 0; row < ROWS; row++) min = Math.min(min, this.counts[this.counter(row, h1, h2)]!);
    return min;
  }

  private count(key: string): void {
    const [h1, h2] = hashes(key);
    for (let row = 0; row < ROWS; row++) {
      const i = this.counter(row, h1, h2);
      if (this.counts[i]! < MAX_COUNT) this.counts[i] = this.counts[i]! + 1;
    }
    // Aging: what was popular long ago fades, so the cache follows what is asked now.
    if (++this.counted >= this.capacity * SAMPLE_PER_ENTRY) {
      this.counted = 0;
      for (let i = 0; i < this.counts.length; i++) this.counts[i] = this.counts[i]! >>> 1;
    }
  }

  /** Where a key with hashes `h1`, `h2` is counted in `row`. */
  private counter(row: number, h1: number, h2: number): number {
    return row * (this.mask + 1) + ((h1 + row * h2) & this.mask);
  }
}

const pair: [number, number] = [0, 0];

/** Two 32-bit hashes of a string (FNV-1a and a multiplicative one), into a shared pair: no allocation. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  pair[0] = a >>> 0;
  pair[1] = (b | 1) >>> 0;
  return pair;
}
