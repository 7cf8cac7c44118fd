/**
 * Upper bounds of one posting list's BM25 scores, for dynamic pruning: the list's slots cut into blocks of
 * BLOCK_SIZE, each with its last short id and the largest term factor any of its postings reaches; and the
 * list's top tier, the documents of its highest-scoring postings, with a bound of all the others. The engine
 * keeps one per list it prunes on, patched as postings are appended and built again when slots move.
 */
import type { CompactPostings } from '../index/compact-postings.js';

/** MiniSearch 7.2's BM25+ parameters, which our index uses unchanged (the engine scores with the same). */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** Slots per block: Lucene's block size, and few enough that one long paragraph spoils little. */
export const BLOCK_SIZE = 128;
const BLOCK_SHIFT = 7;
/**
 * A block's maxima are computed for an average field length this much above the current one. The factor grows
 * with the average (a paragraph is "shorter" against a longer average), so the bounds stay upper bounds while
 * the average grows by up to this much, and are built again when it grows past it or shrinks by twice as much.
 */
const AVERAGE_SLACK = 0.05;
/**
 * The share of a list's postings in its top tier. A conjunction of frequent words scores first the matches
 * that are in some word's top tier; the rest can then mostly be counted without being scored, because their
 * bound (every word at its rest maximum) stays below the best k found (DESIGN.md, "Top tiers"). A smaller
 * share scores fewer matches first but lowers the chance that the best k are among them.
 */
export const TOP_TIER_SHARE = 1 / 32;
/** Histogram bins over [0, FACTOR_CEILING) for choosing the top tier's threshold. */
const TIER_BINS = 4096;
/** Float32 maxima are rounded up by this relative margin: a bound must never fall below the score it bounds. */
const ROUND_UP = 1 + 2 ** -20;

/**
 * BM25's term factor of a posting, without its IDF and weight: `d + tf·(k+1) / (tf + k·(1 − b + b·len/avg))`.
 * The score of a posting is `weight × idf × factor`.
 */
export function termFactor(tf: number, fieldLength: number, averageLength: number): number {
  return BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / averageLength));
}

/** The factor no posting can reach, whatever its frequency and length: a bound for lists without blocks. */
export const FACTOR_CEILING = BM25.d + BM25.k + 1;

export class BlockMaxima {
  /** Per block: the short id in its last slot (removed or not). */
  lastDocs: Int32Array;
  /** Per block: the largest term factor of its postings, rounded up. */
  maxima: Float32Array;
  blocks = 0;
  /** The largest of all blocks' maxima. */
  listMax = 0;
  /**
   * The top tier: short ids (ascending, `topCount` of them) of the postings whose factor reached `topFloor`
   * when they were classified. Every other posting of the list has a factor of at most `restMax`. A document
   * may stay listed after its posting was removed or lowered (listing more is never wrong); one that should
   * be listed and is not raises `restMax` instead.
   */
  topDocs = new Int32Array(0);
  /** Per tier document, an upper bound of its factor (rounded up like the maxima; raised when re-read higher). */
  topFactors = new Float32Array(0);
  topCount = 0;
  /** The tier's factors, highest first, for `cut` (null: not sorted since the tier changed). */
  private sortedTop: Float32Array | null = null;
  topFloor = Infinity;
  restMax = 0;
  /** Slots classified into the tier or the rest. */
  private classified = 0;
  /** The average field length the maxima were computed for. */
  private averageBuiltFor = 0;
  private layoutVersion = -1;
  private changeCount = -1;
  /** Slots covered when last built or patched. */
  private covered = 0;

  private constructor(
    private readonly postings: CompactPostings,
    private readonly lengthOf: (doc: number) => number,
  ) {
    this.lastDocs = new Int32Array(0);
    this.maxima = new Float32Array(0);
  }

  /** Maxima of `postings` for the field's current average length, from `lengthOf` (the field's length by short id). */
  static build(postings: CompactPostings, lengthOf: (doc: number) => number, averageLength: number): BlockMaxima {
    const maxima = new BlockMaxima(postings, lengthOf);
    maxima.rebuild(averageLength);
    return maxima;
  }

  /**
   * Brings the maxima up to date with the list and the field's average length: only the last block and those
   * appended since are computed when the list has only grown at its end or lost postings (a removal leaves
   * its slot, and a bound of a removed posting is still a bound); everything when slots moved or the average
   * left the band the maxima hold for.
   * @returns whether they were built again from the start (for tests and counts)
   */
  refresh(averageLength: number): boolean {
    const p = this.postings;
    const stale = p.layoutVersion !== this.layoutVersion || averageLength > this.averageBuiltFor || averageLength * (1 + 3 * AVERAGE_SLACK) < this.averageBuiltFor;
    if (stale) {
      this.rebuild(averageLength);
      return true;
    }
    if (p.changeCount !== this.changeCount) this.compute(this.covered === 0 ? 0 : (this.covered - 1) >>> BLOCK_SHIFT);
    return false;
  }

  /** The block holding slot `slot`. */
  static blockOf(slot: number): number {
    return slot >>> BLOCK_SHIFT;
  }

  private rebuild(averageLength: number): void {
    this.averageBuiltFor = averageLength * (1 + AVERAGE_SLACK);
    this.blocks = 0;
    this.chooseTopFloor();
    this.topCount = 0;
    this.sortedTop = null;
    this.restMax = 0;
    this.classified = 0;
    this.compute(0);
  }

  /**
   * Sets `topFloor` to the lowest factor among the list's best TOP_TIER_SHARE of postings (to a histogram
   * bin's edge, so the tier may hold a few more): bins, not a sort, since the warm-up does this for thousands
   * of lists.
   */
  private chooseTopFloor(): void {
    const p = this.postings;
    const raw = p.raw;
    const used = p.rawLength >>> 1;
    const average = this.averageBuiltFor;
    const bins = new Uint32Array(TIER_BINS);
    let live = 0;
    for (let slot = 0; slot < used; slot++) {
      const tf = raw[2 * slot + 1]!;
      if (tf === 0) continue;
      live++;
      const factor = termFactor(tf, this.lengthOf(raw[2 * slot]!), average);
      bins[Math.min(TIER_BINS - 1, Math.floor((factor / FACTOR_CEILING) * TIER_BINS))]!++;
    }
    const wanted = Math.max(1, Math.floor(live * TOP_TIER_SHARE));
    let above = 0;
    let bin = TIER_BINS;
    while (bin > 0 && above + bins[bin - 1]! <= wanted) above += bins[--bin]!;
    // Bins from `bin` up hold at most `wanted` postings; when even the top bin holds more, it is the tier.
    if (above === 0) while (bin > 0 && above === 0) above += bins[--bin]!;
    this.topFloor = live === 0 ? Infinity : (bin * FACTOR_CEILING) / TIER_BINS;
  }

  /** Puts slot `slot` (frequency `tf`, factor `factor`) into the top tier or the rest. */
  private classify(doc: number, factor: number, slot: number): void {
    const bound = Math.fround(factor * ROUND_UP);
    if (slot >= this.classified && factor >= this.topFloor) {
      if (this.topCount === this.topDocs.length) {
        const room = Math.max(16, Math.ceil(this.topDocs.length * 1.5));
        const docs = new Int32Array(room);
        docs.set(this.topDocs);
        this.topDocs = docs;
        const factors = new Float32Array(room);
        factors.set(this.topFactors);
        this.topFactors = factors;
      }
      this.topFactors[this.topCount] = bound;
      this.topDocs[this.topCount++] = doc;
      this.sortedTop = null;
      return;
    }
    // A slot classified before and read again (the list's last block is, when it changed): if it was put in
    // the tier it stays there, its bound raised if it must be; otherwise the rest's bound must cover it.
    const at = slot < this.classified ? this.indexInTop(doc) : -1;
    if (at >= 0) {
      if (bound > this.topFactors[at]!) {
        this.topFactors[at] = bound;
        this.sortedTop = null;
      }
      return;
    }
    if (bound > this.restMax) this.restMax = bound;
  }

  /** Where `doc` is in the tier, or −1. */
  private indexInTop(doc: number): number {
    let lo = 0;
    let hi = this.topCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.topDocs[mid]!;
      if (at === doc) return mid;
      if (at < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * A narrower tier for one query: the factor `floor` that about the `count` best of the tier reach, and a
   * bound `rest` of every other posting's factor (below `floor`: the tier's next lower factor, or `restMax`).
   * A lone word needs its best k, not a thirty-second of its list.
   */
  cut(count: number): { floor: number; rest: number } {
    if (this.topCount <= count) return { floor: this.topFloor, rest: this.restMax };
    if (this.sortedTop === null) this.sortedTop = this.topFactors.slice(0, this.topCount).sort().reverse();
    const sorted = this.sortedTop;
    const floor = sorted[count - 1]!;
    let next = count;
    while (next < sorted.length && sorted[next]! >= floor) next++;
    if (next === sorted.length) return { floor: this.topFloor, rest: this.restMax };
    return { floor, rest: Math.max(this.restMax, sorted[next]!) };
  }

  /** Computes blocks `from` onwards from the list as it is now. */
  private compute(from: number): void {
    const p = this.postings;
    const raw = p.raw;
    const used = p.rawLength >>> 1;
    const blocks = (used + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
    if (this.lastDocs.length < blocks) {
      const room = Math.max(blocks, Math.ceil(this.lastDocs.length * 1.5), 4);
      const lastDocs = new Int32Array(room);
      lastDocs.set(this.lastDocs.subarray(0, from));
      const maxima = new Float32Array(room);
      maxima.set(this.maxima.subarray(0, from));
      this.lastDocs = lastDocs;
      this.maxima = maxima;
    }
    const average = this.averageBuiltFor;
    for (let block = from; block < blocks; block++) {
      const end = Math.min(used, (block + 1) << BLOCK_SHIFT);
      let max = 0;
      for (let slot = block << BLOCK_SHIFT; slot < end; slot++) {
        const tf = raw[2 * slot + 1]!;
        if (tf === 0) continue;
        const doc = raw[2 * slot]!;
        const factor = termFactor(tf, this.lengthOf(doc), average);
        if (factor > max) max = factor;
        this.classify(doc, factor, slot);
      }
      this.lastDocs[block] = raw[2 * (end - 1)]!;
      this.maxima[block] = Math.fround(max * ROUND_UP);
    }
    this.blocks = blocks;
    let listMax = 0;
    for (let block = 0; block < blocks; block++) if (this.maxima[block]! > listMax) listMax = this.maxima[block]!;
    this.listMax = listMax;
    this.covered = used;
    this.classified = used;
    this.layoutVersion = p.layoutVersion;
    this.changeCount = p.changeCount;
  }
}
