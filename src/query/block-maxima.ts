/**
 * Upper bounds of one posting list's BM25 scores by block, for dynamic pruning: the list's slots cut into
 * blocks of BLOCK_SIZE, each with its last short id and the largest term factor any of its postings reaches.
 * The engine keeps one per list it prunes on, patched as postings are appended and built again when slots move.
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
    this.compute(0);
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
        const factor = termFactor(tf, this.lengthOf(raw[2 * slot]!), average);
        if (factor > max) max = factor;
      }
      this.lastDocs[block] = raw[2 * (end - 1)]!;
      this.maxima[block] = Math.fround(max * ROUND_UP);
    }
    this.blocks = blocks;
    let listMax = 0;
    for (let block = 0; block < blocks; block++) if (this.maxima[block]! > listMax) listMax = this.maxima[block]!;
    this.listMax = listMax;
    this.covered = used;
    this.layoutVersion = p.layoutVersion;
    this.changeCount = p.changeCount;
  }
}
