/**
 * A term's postings (short id → term frequency) in one typed array, ordered by short id, behind the `Map`
 * interface MiniSearch and the query engine read postings through. The compound-parts field keeps its
 * postings this way: a paragraph holds nearly a third as many part postings as word postings, and a `Map`
 * entry costs about six times the 8 bytes a pair costs here (DESIGN.md, "Compounds").
 */
export class CompactPostings implements Map<number, number> {
  /** Short id and frequency, interleaved, ascending by short id. */
  private data: Int32Array;
  private count = 0;

  constructor(capacity = 2) {
    this.data = new Int32Array(2 * Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** @internal Short id and frequency interleaved, ascending, valid up to `2 * size`: for merging walks. */
  get raw(): Int32Array {
    return this.data;
  }

  get [Symbol.toStringTag](): string {
    return 'CompactPostings';
  }

  /** The slot of `doc`, or −(insertion slot) − 1. */
  private find(doc: number): number {
    const data = this.data;
    let lo = 0;
    let hi = this.count - 1;
    // Postings are added in short-id order: the common look-up of the last one is checked first.
    if (hi >= 0 && data[2 * hi] === doc) return hi;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = data[2 * mid]!;
      if (at === doc) return mid;
      if (at < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  get(doc: number): number | undefined {
    const slot = this.find(doc);
    return slot >= 0 ? this.data[2 * slot + 1] : undefined;
  }

  has(doc: number): boolean {
    return this.find(doc) >= 0;
  }

  set(doc: number, tf: number): this {
    const n = this.count;
    if (n === 0 || this.data[2 * (n - 1)]! < doc) {
      this.reserve(n + 1);
      this.data[2 * n] = doc;
      this.data[2 * n + 1] = tf;
      this.count = n + 1;
      return this;
    }
    const slot = this.find(doc);
    if (slot >= 0) {
      this.data[2 * slot + 1] = tf;
      return this;
    }
    const at = -slot - 1;
    this.reserve(n + 1);
    this.data.copyWithin(2 * at + 2, 2 * at, 2 * n);
    this.data[2 * at] = doc;
    this.data[2 * at + 1] = tf;
    this.count = n + 1;
    return this;
  }

  delete(doc: number): boolean {
    const slot = this.find(doc);
    if (slot < 0) return false;
    this.data.copyWithin(2 * slot, 2 * slot + 2, 2 * this.count);
    this.count--;
    // Shrink when mostly empty, so a list that lost most of its postings gives the memory back.
    if (this.count > 0 && this.count * 4 < this.data.length / 2) this.data = this.data.slice(0, 2 * Math.max(2, this.count * 2));
    return true;
  }

  clear(): void {
    this.count = 0;
    this.data = new Int32Array(4);
  }

  forEach(visit: (tf: number, doc: number, map: Map<number, number>) => void): void {
    const data = this.data;
    const n = this.count;
    for (let i = 0; i < n; i++) visit(data[2 * i + 1]!, data[2 * i]!, this);
  }

  *entries(): MapIterator<[number, number]> {
    for (let i = 0; i < this.count; i++) yield [this.data[2 * i]!, this.data[2 * i + 1]!];
  }

  *keys(): MapIterator<number> {
    for (let i = 0; i < this.count; i++) yield this.data[2 * i]!;
  }

  *values(): MapIterator<number> {
    for (let i = 0; i < this.count; i++) yield this.data[2 * i + 1]!;
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  /** Room for `n` postings: doubles while small, then grows by half (at most a third is spare room). */
  private reserve(n: number): void {
    if (2 * n <= this.data.length) return;
    const grown = new Int32Array(2 * Math.max(n, this.count < 64 ? this.count * 2 : Math.ceil(this.count * 1.5), 2));
    grown.set(this.data.subarray(0, 2 * this.count));
    this.data = grown;
  }
}
