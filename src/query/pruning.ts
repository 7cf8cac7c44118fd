/**
 * Document-at-a-time evaluation of a conjunction with dynamic pruning (block-max MaxScore): cursors over the
 * words' posting lists leapfrog to common documents, and once the top k is full and the total has been
 * counted as far as it must be exact, whole blocks whose score bound cannot reach the top k are skipped
 * unread. The top k stays exactly the exhaustive one; DESIGN.md ("Pruning") explains the bounds.
 */
import type { CompactPostings } from '../index/compact-postings.js';
import { BlockMaxima } from './block-maxima.js';
import type { DateFilter } from './collectors.js';
import type { Collector } from './engine.js';

/** Past the last short id: an exhausted cursor's document. */
export const END = 0x7fffffff;

/** One posting list walked in short-id order, with the score bound of the block it is in. */
export class ListCursor {
  private readonly raw: Int32Array;
  private readonly n: number;
  /** Index into `raw` of the current slot (an even number). */
  private i = 0;

  /**
   * @param scale  the list's weight × IDF: a posting scores `scale × factor`
   */
  constructor(
    postings: CompactPostings,
    /** Null for a cursor used for membership only (no bound asked). */
    private readonly maxima: BlockMaxima | null,
    readonly scale: number,
  ) {
    this.raw = postings.raw;
    this.n = postings.rawLength;
    this.settle();
  }

  /** The current document, or END. */
  get doc(): number {
    return this.i < this.n ? this.raw[this.i]! : END;
  }

  get tf(): number {
    return this.raw[this.i + 1]!;
  }

  /** Moves to the first live posting at or after `target` (galloping, then a binary search). */
  advance(target: number): void {
    const raw = this.raw;
    const n = this.n;
    let i = this.i;
    if (i >= n || raw[i]! >= target) return;
    let step = 2;
    let lo = i;
    while (i + step < n && raw[i + step]! < target) {
      lo = i + step;
      step *= 2;
    }
    // raw[lo] < target; the first slot ≥ target is in (lo, min(lo + step, n)].
    let hi = Math.min(i + step, n);
    lo += 2;
    while (lo < hi) {
      const mid = lo + (((hi - lo) >>> 2) << 1);
      if (raw[mid]! < target) lo = mid + 2;
      else hi = mid;
    }
    this.i = lo;
    this.settle();
  }

  /** The largest score any posting of the current block can have (0 when exhausted). */
  get blockBound(): number {
    return this.i < this.n ? this.scale * this.maxima!.maxima[BlockMaxima.blockOf(this.i >>> 1)]! : 0;
  }

  /** The last short id of the current block (END when exhausted). */
  get blockLast(): number {
    return this.i < this.n ? this.maxima!.lastDocs[BlockMaxima.blockOf(this.i >>> 1)]! : END;
  }

  /** Back to the list's first posting. */
  rewind(): void {
    this.i = 0;
    this.settle();
  }

  /** Steps over removed postings (frequency 0). */
  private settle(): void {
    while (this.i < this.n && this.raw[this.i + 1] === 0) this.i += 2;
  }
}

/**
 * One word of the query as a clause: its posting list in the text field and perhaps in the parts field
 * (compound parts), which a document matches if it is in either. Scores text then parts, as MiniSearch adds.
 */
export class TermClause {
  constructor(
    readonly lists: ListCursor[],
    /** BM25 of a posting of list `i` for document `doc` and frequency `tf`, computed as the engine scores it. */
    private readonly scoreOf: (list: number, tf: number, doc: number) => number,
    readonly bit: number,
    /** Membership bitsets of its lists (all or none): a bit test before a cursor step. */
    private readonly bits: Uint32Array[] | null = null,
  ) {}

  /** False when `doc` is certainly not in the clause (its bitsets say so); true when it may be. */
  mayHold(doc: number): boolean {
    const bits = this.bits;
    if (bits === null) return true;
    const word = doc >>> 5;
    const mask = 1 << (doc & 31);
    for (let i = 0; i < bits.length; i++) if ((bits[i]![word]! & mask) !== 0) return true;
    return false;
  }

  // Indexed loops, not for-of: these run for every candidate, and an iterator each time is garbage.
  get doc(): number {
    const lists = this.lists;
    let doc = END;
    for (let i = 0; i < lists.length; i++) if (lists[i]!.doc < doc) doc = lists[i]!.doc;
    return doc;
  }

  advance(target: number): void {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) lists[i]!.advance(target);
  }

  rewind(): void {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) lists[i]!.rewind();
  }

  /** The score of `doc`, the current document. */
  score(doc: number): number {
    let score = 0;
    let first = true;
    for (let i = 0; i < this.lists.length; i++) {
      const list = this.lists[i]!;
      if (list.doc !== doc) continue;
      const s = this.scoreOf(i, list.tf, doc);
      score = first ? s : score + s;
      first = false;
    }
    return score;
  }

  /** A bound of the score of any document from the current one to `blockLast`. */
  get blockBound(): number {
    const lists = this.lists;
    let bound = 0;
    for (let i = 0; i < lists.length; i++) bound += lists[i]!.blockBound;
    return bound;
  }

  get blockLast(): number {
    const lists = this.lists;
    let last = END;
    for (let i = 0; i < lists.length; i++) if (lists[i]!.blockLast < last) last = lists[i]!.blockLast;
    return last;
  }
}

/** A clause of any other shape (a phrase, an OR, a prefix or typo word): probed, bounded by its maximum. */
export interface ProbedClause {
  /** Whether `doc` matches; if it does, `score` and `mask` hold what it adds. */
  probe(doc: number): boolean;
  score: number;
  mask: number;
  /** A bound of its score for any document. */
  readonly max: number;
}

/** What a conjunction is made of, in the engine's order (most selective first): that is the order scores add in. */
export interface Conjunction {
  /** Each clause, in scoring order; exactly one kind per position. */
  clauses: Array<{ term: TermClause; probed?: undefined } | { term?: undefined; probed: ProbedClause }>;
  /** Position (in `clauses`) of the term clause whose postings are walked: the rarest word. */
  lead: number;
  /** Whether `doc` holds an excluded word. */
  excluded: ((doc: number) => boolean) | null;
  /** A last check of a candidate that matches every clause (a phrase's positions). */
  check: ((doc: number) => boolean) | null;
  /** The most distinct query terms a match can have: what its summed score is multiplied by at most. */
  maxQuality: number;
  /**
   * The number of matches when it is known without walking them (one word, no filter): then pruning starts at
   * once and the total is still exact.
   */
  knownTotal: number | null;
}

/** Where matches go: a top k by relevance or date, perhaps behind a date filter. */
/** What keeps matches: a top k of paragraphs, or (`countingSink`) a whole collector chain that counts all. */
export interface Keeper {
  total: number;
  readonly isFull: boolean;
  readonly floor: number;
  readonly floorDay: number;
  skipped: boolean;
  collect(doc: number, score: number): void;
  pass(doc: number): void;
}

export interface PruningSink {
  top: Keeper;
  /**
   * Every match must reach the chain (months, articles, counts): nothing is skipped, but a match whose bound
   * is below the keeper's floor is passed on uncounted by score (`Collector.pass`), never scored.
   */
  countsAll: boolean;
  filter: DateFilter | null;
  /** Matches counted exactly before any is skipped (Elasticsearch's track_total_hits). */
  exactUpTo: number;
  /** By date: the day of a paragraph's article. */
  dayOf: ((doc: number) => number) | null;
}

/** Counts of what one evaluation did, for tests and the benchmark. */
export interface PruningStats {
  /** Candidates of the lead clause looked at (matched or not). */
  candidates: number;
  /** Blocks of the lead clause skipped because their bound could not reach the top k. */
  skippedBlocks: number;
  /** Candidates skipped one by one (their bound, or their date, could not reach the top k). */
  skippedDocs: number;
  /** Matches counted but not scored (their bound could not reach the floor). */
  passed: number;
}

/**
 * A sink for a chain that must see every match (month counts, grouping by article): its keeper's floor
 * decides what is scored; `head` receives every match, scored or passed.
 */
export function countingSink(head: Collector & { pass(doc: number): void }, keeper: { readonly floor: number }): PruningSink {
  const top: Keeper = {
    total: 0,
    isFull: false,
    get floor() {
      return keeper.floor;
    },
    floorDay: -Infinity,
    skipped: false,
    collect: (doc, score) => head.collect(doc, score),
    pass: (doc) => head.pass(doc),
  };
  return { top, countsAll: true, filter: null, exactUpTo: Infinity, dayOf: null };
}

/**
 * The window of documents from the lists' current ones on in which every list's bound stays that of its
 * current block, and the sum of those bounds (into `out`). A list whose next posting lies past the window
 * adds nothing to it — it has no posting there — which keeps a sparse list (a word's compound-part postings)
 * from loosening the bound of every window it spans. Returns how many word clauses have a posting in the
 * window: fewer than all, and no document in it matches.
 */
function windowOver(lists: ListCursor[], owners: number[], counts: Uint8Array, taken: Uint8Array, out: { bound: number; last: number }): number {
  counts.fill(0);
  taken.fill(0);
  let last = END;
  let bound = 0;
  let present = 0;
  // Lists in order of their current document (a handful: selection, no sort).
  for (let round = 0; round < lists.length; round++) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) if (taken[i] === 0 && (best < 0 || lists[i]!.doc < lists[best]!.doc)) best = i;
    taken[best] = 1;
    const list = lists[best]!;
    if (list.doc > last || list.doc === END) break;
    bound += list.blockBound;
    if (list.blockLast < last) last = list.blockLast;
    const owner = owners[best]!;
    if (counts[owner] === 0) present++;
    counts[owner] = counts[owner]! + 1;
  }
  out.bound = bound;
  out.last = last;
  return present;
}

function popcount(mask: number): number {
  let n = mask - ((mask >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24 || 1;
}

/**
 * Evaluates a conjunction into `sink`: every match collected while fewer than `exactUpTo` have been counted;
 * after that, what cannot enter the top k is skipped without being read (and the total becomes a lower bound).
 */
export function runConjunction(c: Conjunction, sink: PruningSink, stats: PruningStats): void {
  const { clauses, lead: leadAt, excluded, check, maxQuality } = c;
  const { top, filter, dayOf } = sink;
  const knownTotal = filter === null ? c.knownTotal : null;
  const exactUpTo = knownTotal !== null ? 0 : sink.exactUpTo;
  const lead = clauses[leadAt]!.term!;
  const others = clauses.map((_, i) => i).filter((i) => i !== leadAt);
  // Word clauses first (a cursor step), then probed ones by their order (cheapest first is the engine's).
  others.sort((a, b) => (clauses[a]!.term ? 0 : 1) - (clauses[b]!.term ? 0 : 1));
  const scores = new Float64Array(clauses.length);
  const masks = new Int32Array(clauses.length);
  let probedMax = 0;
  for (const clause of clauses) if (clause.probed) probedMax += clause.probed.max;
  const byDate = dayOf !== null;
  // Every list of every word clause, and the word clause (by its index among them) each belongs to.
  const lists: ListCursor[] = [];
  const owners: number[] = [];
  let termClauses = 0;
  for (const clause of clauses) {
    if (clause.term === undefined) continue;
    for (const list of clause.term.lists) {
      lists.push(list);
      owners.push(termClauses);
    }
    termClauses++;
  }
  const clauseCount = new Uint8Array(termClauses);
  const taken = new Uint8Array(lists.length);
  const window = { bound: 0, last: 0 };
  let windowLast = -1;
  let windowBound = Infinity;

  let doc = lead.doc;
  outer: while (doc !== END) {
    const pruning = top.total >= exactUpTo && top.isFull;
    if (pruning && byDate) {
      // Newest first: an article older than the worst kept cannot get in, whatever its score.
      if (dayOf(doc) < top.floorDay) {
        top.skipped = true;
        stats.skippedDocs++;
        lead.advance(doc + 1);
        doc = lead.doc;
        continue;
      }
    } else if (pruning || sink.countsAll) {
      if (doc > windowLast) {
        for (const o of others) {
          const term = clauses[o]!.term;
          if (term === undefined) continue;
          term.advance(doc);
          if (term.doc === END) break outer; // a required word has no posting left: nothing more matches
        }
        windowBound = windowOver(lists, owners, clauseCount, taken, window) === termClauses ? (window.bound + probedMax) * maxQuality : -Infinity;
        windowLast = window.last;
      }
      // A window in which some word has no posting (−∞) matches nothing, whatever must be counted.
      if (windowBound < top.floor && (pruning || windowBound === -Infinity)) {
        top.skipped ||= windowBound !== -Infinity;
        stats.skippedBlocks++;
        lead.advance(windowLast + 1);
        doc = lead.doc;
        continue;
      }
    }
    stats.candidates++;
    // Every other clause must hold `doc`: a word clause leapfrogs the lead forward to its own next posting.
    let mask = lead.bit;
    for (const o of others) {
      const clause = clauses[o]!;
      const term = clause.term;
      if (term !== undefined) {
        if (!term.mayHold(doc)) {
          lead.advance(doc + 1);
          doc = lead.doc;
          continue outer;
        }
        term.advance(doc);
        const at = term.doc;
        if (at !== doc) {
          if (at === END) break outer;
          lead.advance(at);
          doc = lead.doc;
          continue outer;
        }
        masks[o] = term.bit;
      } else {
        const probed = clause.probed!;
        if (!probed.probe(doc)) {
          lead.advance(doc + 1);
          doc = lead.doc;
          continue outer;
        }
        scores[o] = probed.score;
        masks[o] = probed.mask;
      }
      mask |= masks[o]!;
    }
    if ((excluded !== null && excluded(doc)) || (check !== null && !check(doc)) || (filter !== null && !filter.admits(doc))) {
      lead.advance(doc + 1);
      doc = lead.doc;
      continue;
    }
    if (sink.countsAll && windowBound < top.floor) {
      top.pass(doc); // counted by the chain, never scored: it cannot change what is kept
      stats.passed++;
    } else if (byDate && top.isFull && dayOf(doc) < top.floorDay) {
      top.pass(doc); // counted, never scored: it cannot be among the newest k
    } else {
      scores[leadAt] = lead.score(doc);
      for (const o of others) {
        const term = clauses[o]!.term;
        if (term !== undefined) scores[o] = term.score(doc);
      }
      // Summed in the engine's clause order, so the score is the exhaustive evaluation's to the last bit.
      let sum = scores[0]!;
      for (let i = 1; i < clauses.length; i++) sum += scores[i]!;
      const score = sum * popcount(mask);
      if (!byDate && score < top.floor) top.pass(doc);
      else top.collect(doc, score);
    }
    lead.advance(doc + 1);
    doc = lead.doc;
  }
  if (knownTotal !== null) {
    top.total = knownTotal;
    top.skipped = false;
  }
}

/** A conjunction of plain words (and plain excluded words), intersected as membership bitsets. */
export interface WordConjunction {
  /**
   * Each word's clauses, in the engine's order (the order scores add in): one per term of the word (one, or
   * the few an OR of its forms has), each with its own bit of quality.
   */
  clauses: TermClause[][];
  /** Per word, the membership bitsets of all its terms' lists (a document holds the word if it is in any). */
  bits: Uint32Array[][];
  /** Membership bitsets of the excluded words' lists. */
  excludedBits: Uint32Array[];
  /** Short ids below this are covered (the index's next short id). */
  limit: number;
  check: ((doc: number) => boolean) | null;
  maxQuality: number;
  /** The words' top tiers, when the lists have them (see BlockMaxima): null evaluates every match. */
  tiers: {
    /** Documents in the top tier of some list of some word. */
    tops: Uint32Array;
    /** Per word, per list (as in `bits`): weight × IDF × the list's rest maximum. */
    restBounds: number[][];
    /** Per word, per list: the quality bit of the list's term. */
    termBits: number[][];
    /** A bound of the score of a match outside every top tier that holds one term of each word. */
    singleFormBound: number;
    /** The same for such a match in none of its terms' lists but the first of each. */
    firstListBound: number;
    /** Per word of several terms: per term, its lists' membership bitsets (empty for a word of one term). */
    formBits: Uint32Array[][][];
    /** Membership bitsets of every term's lists after its first. */
    laterListBits: Uint32Array[];
  } | null;
  /** Room for the matches, a bit per paragraph (a buffer of the engine's, overwritten). */
  matches: Uint32Array;
}

/**
 * Evaluates a conjunction of plain words by intersecting their membership bitsets a 32-bit word at a time:
 * every match is found — and counted exactly — at the cost of one AND per 32 paragraphs and clause, however
 * long the lists. The matches are scored in two passes when the words have top tiers: first those in some
 * list's top tier, then the rest — and of those, only the ones whose bound (their lists' rest maxima, their
 * own quality) can still reach the best k found, usually none, so that most matches are counted and never
 * read (DESIGN.md, "Top tiers"). A match that is read brings the words' cursors forward (galloping) and is
 * scored only when the bounds of the cursors' blocks can reach what is kept. The total stays `eq`.
 */
export function runWordConjunction(c: WordConjunction, sink: PruningSink, stats: PruningStats): void {
  const { clauses, bits, excludedBits, limit, check, maxQuality, tiers } = c;
  const { top, filter, dayOf } = sink;
  const words = (limit + 31) >>> 5;
  const n = clauses.length;
  const scores = new Float64Array(n);

  /**
   * Scores match `doc` into the top k, unless `bounded` and its cursors' block bounds rule it out (a match
   * of a top tier, or one its rest bound let through, seldom is: the check is left out for them).
   */
  const evaluate = (doc: number, bounded: boolean): void => {
    let bound = 0;
    for (let i = 0; i < n; i++) {
      const word = clauses[i]!;
      for (let t = 0; t < word.length; t++) {
        const clause = word[t]!;
        clause.advance(doc);
        if (bounded) bound += clause.blockBound;
      }
    }
    if (bounded && dayOf === null && bound * maxQuality < top.floor) {
      top.pass(doc);
      stats.passed++;
      return;
    }
    // A word's terms add up as the engine's OR adds its children (in order, the first one found first),
    // and each term found counts once in the quality.
    let mask = 0;
    for (let i = 0; i < n; i++) {
      const word = clauses[i]!;
      let score = 0;
      let first = true;
      for (let t = 0; t < word.length; t++) {
        const clause = word[t]!;
        if (clause.doc !== doc) continue;
        const s = clause.score(doc);
        score = first ? s : score + s;
        first = false;
        mask |= clause.bit;
      }
      scores[i] = score;
    }
    let sum = scores[0]!;
    for (let i = 1; i < n; i++) sum += scores[i]!;
    const score = sum * popcount(mask);
    if (dayOf === null && score < top.floor) top.pass(doc);
    else top.collect(doc, score);
  };

  // The matches, a list at a time over the whole range: tight loops over typed arrays, about twice as fast as
  // gathering each 32-bit word from every list in turn.
  const matches = c.matches;
  for (let i = 0; i < n; i++) {
    const lists = bits[i]!;
    const first = lists[0]!;
    if (lists.length === 1) {
      if (i === 0) for (let w = 0; w < words; w++) matches[w] = first[w]!;
      else for (let w = 0; w < words; w++) matches[w] = matches[w]! & first[w]!;
    } else if (lists.length === 2) {
      const second = lists[1]!;
      if (i === 0) for (let w = 0; w < words; w++) matches[w] = first[w]! | second[w]!;
      else for (let w = 0; w < words; w++) matches[w] = matches[w]! & (first[w]! | second[w]!);
    } else {
      for (let w = 0; w < words; w++) {
        if (i > 0 && matches[w] === 0) continue;
        let any = 0;
        for (let j = 0; j < lists.length; j++) any |= lists[j]![w]!;
        matches[w] = i === 0 ? any : matches[w]! & any;
      }
    }
  }
  for (const excluded of excludedBits) for (let w = 0; w < words; w++) matches[w] = matches[w]! & ~excluded[w]!;

  // Into a plain top k: every match is counted from the bitset alone, and scored in two passes (tier, rest).
  if (tiers !== null && check === null && filter === null && dayOf === null && !sink.countsAll) {
    const { tops, restBounds, termBits, singleFormBound, firstListBound, formBits, laterListBits } = tiers;
    let total = 0;
    for (let w = 0; w < words; w++) {
      const found = matches[w]!;
      if (found === 0) continue;
      total += bitCount(found);
      let tiered = found & tops[w]!;
      while (tiered !== 0) {
        const low = tiered & -tiered;
        tiered ^= low;
        stats.candidates++;
        evaluate((w << 5) + 31 - Math.clz32(low), false);
      }
    }
    // The rest, all at once: every list at its rest maximum, the most terms a match can have.
    let restBound = 0;
    for (const word of restBounds) for (const bound of word) restBound += bound;
    /** Matches among bitset word `w`'s paragraphs holding two or more terms of some word. */
    const severalForms = (w: number): number => {
      let several = 0;
      for (const terms of formBits) {
        let seen = 0;
        for (const lists of terms) {
          let any = 0;
          for (const list of lists) any |= list[w]!;
          several |= seen & any;
          seen |= any;
        }
      }
      return several;
    };
    if (!(top.isFull && restBound * maxQuality < top.floor)) {
      // Classes of the rest that cannot get in as a whole are never read: the matches with one form of each
      // word, or those besides that in no list but their terms' first ones. The others are read one by one.
      const onlySeveral = top.isFull && singleFormBound < top.floor;
      const onlyLater = !onlySeveral && top.isFull && firstListBound < top.floor;
      for (const word of clauses) for (const clause of word) clause.rewind();
      for (let w = 0; w < words; w++) {
        const found = matches[w]! & ~tops[w]!;
        if (found === 0) continue;
        let rest = found;
        if (onlySeveral || onlyLater) {
          let read = severalForms(w);
          if (onlyLater) for (const list of laterListBits) read |= list[w]!;
          rest &= read;
          stats.skippedDocs += bitCount(found & ~rest);
        }
        while (rest !== 0) {
          const low = rest & -rest;
          rest ^= low;
          const doc = (w << 5) + 31 - Math.clz32(low);
          // This match's own bound: the rest maxima of the lists it is in, times its own quality.
          const word = doc >>> 5;
          const bit = 1 << (doc & 31);
          let bound = 0;
          let mask = 0;
          for (let i = 0; i < n; i++) {
            const lists = bits[i]!;
            for (let j = 0; j < lists.length; j++) {
              if ((lists[j]![word]! & bit) === 0) continue;
              bound += restBounds[i]![j]!;
              mask |= termBits[i]![j]!;
            }
          }
          if (top.isFull && bound * popcount(mask) < top.floor) {
            stats.skippedDocs++;
            continue;
          }
          stats.candidates++;
          evaluate(doc, false);
        }
      }
    } else stats.skippedDocs += total - stats.candidates;
    top.total = total;
    return;
  }

  for (let w = 0; w < words; w++) {
    let found = matches[w]!;
    while (found !== 0) {
      const low = found & -found;
      found ^= low;
      const doc = (w << 5) + 31 - Math.clz32(low);
      stats.candidates++;
      if (check !== null && !check(doc)) continue;
      if (filter !== null && !filter.admits(doc)) continue;
      if (dayOf !== null && top.isFull && dayOf(doc) < top.floorDay) {
        top.pass(doc); // newest first: older than the worst kept, never scored
        stats.skippedDocs++;
        continue;
      }
      evaluate(doc, true);
    }
  }
}

/** The set bits of a 32-bit word. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
