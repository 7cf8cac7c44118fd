/**
 * A term's postings (short id → term frequency) in one typed array, ordered by short id, behind the `Map`
 * interface MiniSearch and the query engine read postings through. Every field of the index keeps its
 * postings this way: a `Map` entry costs about five times the 8 bytes a pair costs here, and the
 * compound-parts field added nearly a third as many postings again (DESIGN.md, "Compounds").
 */
export class CompactPostings implements Map<number, number> {
  /**
   * Short id and frequency, interleaved, ascending by short id, in `used` slots. A removed posting keeps its
   * slot with frequency 0 (a tombstone) until a quarter of the slots are such, so a removal is a binary
   * search, not a shift of the list's tail (removing an article touches hundreds of long lists).
   */
  private data: Int32Array;
  private used = 0;
  private live = 0;
  private memberships = 0;
  /** Counts every change; `layouts` only those that move slots or raise a frequency before the last slot. */
  private changes = 0;
  private layouts = 0;
  /**
   * Walks under way (forEach, iterators). A deletion during one must not compact the list — that would
   * shift slots under the walk and skip entries (MiniSearch's vacuum deletes from the lists it iterates) —
   * so compaction waits until the last walk ends.
   */
  private walkers = 0;

  constructor(capacity = 2) {
    this.data = new Int32Array(2 * Math.max(1, capacity));
  }

  /**
   * Counts changes of which documents the list holds (not of their frequencies): a structure derived from
   * the membership — the query engine's bitsets — stays valid while this number does.
   */
  get membershipVersion(): number {
    return this.memberships;
  }

  /**
   * Counts changes other than appending at the end, editing the last slot and removing (a tombstone keeps
   * its slot): a structure derived per slot range — the engine's block maxima — can be patched from its
   * last block while this number stays, and must be built again when it moves.
   */
  get layoutVersion(): number {
    return this.layouts;
  }

  /** Counts every change to the list. */
  get changeCount(): number {
    return this.changes;
  }

  get size(): number {
    return this.live;
  }

  get [Symbol.toStringTag](): string {
    return 'CompactPostings';
  }

  /** @internal The interleaved slots, ascending, up to `rawLength`; a frequency of 0 marks a removed posting. */
  get raw(): Int32Array {
    return this.data;
  }

  /** @internal */
  get rawLength(): number {
    return 2 * this.used;
  }

  /** The slot of `doc` (a tombstone's too), or −(insertion slot) − 1. */
  private find(doc: number): number {
    const data = this.data;
    let lo = 0;
    let hi = this.used - 1;
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
    if (slot < 0) return undefined;
    const tf = this.data[2 * slot + 1]!;
    return tf === 0 ? undefined : tf;
  }

  has(doc: number): boolean {
    return this.get(doc) !== undefined;
  }

  /** @param tf  at least 1 (MiniSearch deletes a posting rather than setting it to 0) */
  set(doc: number, tf: number): this {
    this.changes++;
    const n = this.used;
    if (n === 0 || this.data[2 * (n - 1)]! < doc) {
      this.reserve(n + 1);
      this.data[2 * n] = doc;
      this.data[2 * n + 1] = tf;
      this.used = n + 1;
      this.live++;
      this.memberships++;
      return this;
    }
    const slot = this.find(doc);
    if (slot >= 0) {
      if (this.data[2 * slot + 1] === 0) {
        this.live++;
        this.memberships++;
      }
      if (slot !== n - 1) this.layouts++;
      this.data[2 * slot + 1] = tf;
      return this;
    }
    const at = -slot - 1;
    this.layouts++;
    this.reserve(n + 1);
    this.data.copyWithin(2 * at + 2, 2 * at, 2 * n);
    this.data[2 * at] = doc;
    this.data[2 * at + 1] = tf;
    this.used = n + 1;
    this.live++;
    this.memberships++;
    return this;
  }

  delete(doc: number): boolean {
    const slot = this.find(doc);
    if (slot < 0 || this.data[2 * slot + 1] === 0) return false;
    this.data[2 * slot + 1] = 0;
    this.changes++;
    this.live--;
    this.memberships++;
    this.compactIfDue();
    return true;
  }

  clear(): void {
    this.used = 0;
    this.live = 0;
    this.memberships++;
    this.changes++;
    this.layouts++;
    this.data = new Int32Array(4);
  }

  forEach(visit: (tf: number, doc: number, map: Map<number, number>) => void): void {
    this.walkers++;
    try {
      for (let i = 0; i < this.used; i++) {
        const tf = this.data[2 * i + 1]!;
        if (tf !== 0) visit(tf, this.data[2 * i]!, this);
      }
    } finally {
      this.walked();
    }
  }

  *entries(): MapIterator<[number, number]> {
    this.walkers++;
    try {
      for (let i = 0; i < this.used; i++) if (this.data[2 * i + 1] !== 0) yield [this.data[2 * i]!, this.data[2 * i + 1]!];
    } finally {
      this.walked();
    }
  }

  *keys(): MapIterator<number> {
    this.walkers++;
    try {
      for (let i = 0; i < this.used; i++) if (this.data[2 * i + 1] !== 0) yield this.data[2 * i]!;
    } finally {
      this.walked();
    }
  }

  *values(): MapIterator<number> {
    this.walkers++;
    try {
      for (let i = 0; i < this.used; i++) if (this.data[2 * i + 1] !== 0) yield this.data[2 * i + 1]!;
    } finally {
      this.walked();
    }
  }

  /** A walk ended: the compaction deletions during it put off may run now. */
  private walked(): void {
    this.walkers--;
    this.compactIfDue();
  }

  /** Compacts once a quarter of the slots are tombstones, unless a walk is under way. */
  private compactIfDue(): void {
    if (this.walkers === 0 && this.used - this.live > this.used / 4) this.compact();
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  /** Drops the tombstones, and the room a much shrunk list no longer needs. */
  private compact(): void {
    const data = this.data;
    let kept = 0;
    for (let i = 0; i < this.used; i++) {
      if (data[2 * i + 1] === 0) continue;
      data[2 * kept] = data[2 * i]!;
      data[2 * kept + 1] = data[2 * i + 1]!;
      kept++;
    }
    this.used = kept;
    this.layouts++;
    if (kept * 4 < data.length / 2) this.data = data.slice(0, 2 * Math.max(2, kept * 2));
  }

  /**
   * Makes room for `more` postings to come after the last: a snapshot's list is restored with one allocation
   * instead of one per growth step (the growth was 7.5% of loading a million paragraphs).
   */
  reserveFor(more: number): void {
    this.reserve(this.used + more);
  }

  /** Room for `n` slots: doubles while small, then grows by half (at most a third is spare room). */
  private reserve(n: number): void {
    if (2 * n <= this.data.length) return;
    const grown = new Int32Array(2 * Math.max(n, this.used < 64 ? this.used * 2 : Math.ceil(this.used * 1.5), 2));
    grown.set(this.data.subarray(0, 2 * this.used));
    this.data = grown;
  }
}
