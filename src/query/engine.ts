/**
 * Our query evaluator over MiniSearch's index and our positions: the same BM25 scores and the same matches
 * as MiniSearch's own `search` for what MiniSearch can express (terms, prefixes, typos, AND, OR, AND_NOT),
 * plus phrases; AND evaluated from its most selective clause outward, no object allocated per posting, and
 * every match handed to a collector (top k, by date, grouped by article, counted by month). DESIGN.md ("The
 * query engine") has the profiles that led here.
 */
import type MiniSearch from 'minisearch';
import { scoringView, type ScoringView, type TermPostings } from '../index/minisearch-internals.js';
import { pairBits, type PositionStore } from '../index/positions.js';
import { CompactPostings } from '../index/compact-postings.js';
import { FIELDS, PARTS_BOOST, PARTS_FIELD, TEXT_FIELD, type SearchIndex } from '../index/search-index.js';
import { BLOCK_SIZE, BlockMaxima, BM25, FACTOR_CEILING } from './block-maxima.js';
import { ArticleGroups, Counter, DateFilter, MonthCounts, TopDocs } from './collectors.js';
import {
  countingSink,
  ListCursor,
  runConjunction,
  runWordConjunction,
  TermClause,
  type Conjunction,
  type ProbedClause,
  type PruningSink,
  type PruningStats,
  type WordConjunction,
} from './pruning.js';
import { QueryError } from './query-error.js';
import { foldQuery, type LeafQuery, type PhraseQuery, type Query } from './tree.js';

/** Receives every match of a query with its final score; decides what to keep (see collectors.ts). */
export interface Collector {
  collect(doc: number, score: number): void;
  /**
   * A match proved unable to be kept (its score bound is below what the chain's keeper still takes): counted
   * by every link, never scored. Chains that have it may have scoring skipped (see `pruning.ts`).
   */
  pass?(doc: number): void;
}

/** What one matching paragraph matched on: index terms (outside phrases) and phrase windows of positions. */
export interface MatchReport {
  terms: string[];
  /** `[from, to)` positions (see Analyzer.forEachPosition) of each place a phrase matched. */
  phrases: Array<{ from: number; to: number }>;
}

// BM25 takes MiniSearch 7.2's defaults (block-maxima.ts), which our index uses unchanged (miniSearchOptions
// sets none of them). The equivalence test (tests/query/engine.test.ts) fails if they ever disagree with MiniSearch.
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/**
 * Most index terms one prefix may expand to: beyond it the prefix is too short to mean something (a
 * `too_many_expansions` error says so). Automatic typo matching keeps the closest this many instead.
 */
export const MAX_EXPANSIONS = 1_000;
/**
 * A term gets a membership bitset (one bit per short id) when it has at least this many postings and is
 * about to be probed at least MIN_PROBES_FOR_BITS times: a probe then costs a bit test instead of a hash
 * look-up for every candidate the term does not hold (most of them, for two frequent words).
 */
const MIN_POSTINGS_FOR_BITS = 1024;
/**
 * Lists at least this long get their block maxima built ahead of queries (search/warm-up.ts); shorter ones
 * on first use, which costs about what walking them once does.
 */
export const MIN_POSTINGS_FOR_PRUNING = 1024;
const MIN_LEAD_FOR_COUNTING = 16_384;
/**
 * Plain words are intersected as bitsets when the rarest is in at least 1 in this many paragraphs: then one
 * AND per 32 paragraphs costs less than visiting its postings one by one.
 */
export const WORD_DENSITY = 256;
/** Parts postings are looked up by binary search: a bitset pays off on shorter lists than a hash map's. */
const MIN_PARTS_POSTINGS_FOR_BITS = 64;
const MIN_PROBES_FOR_BITS = 256;
/** Bitsets kept (least recently used dropped): a few hundred frequent terms cover most probing. */
const MAX_BITSETS = 256;
/** Dropped bitsets kept for reuse: a search builds a few at most, so a few in hand cover the next. */
const MAX_REUSABLE_BITSETS = 16;
/** Short ids a bitset has room for beyond those it was built for (at least; 1/16 more at large sizes). */
const BITSET_ROOM = 4096;
/** The final score is multiplied by the number of distinct query terms matched; counted in a 32-bit mask. */
const MAX_SOURCE_TERMS = 32;

/** A growable list of (document, partial score, matched-term mask), in typed arrays: no object per posting. */
class DocList {
  docs: Int32Array;
  scores: Float64Array;
  masks: Int32Array;
  length = 0;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.docs = new Int32Array(n);
    this.scores = new Float64Array(n);
    this.masks = new Int32Array(n);
  }

  /** Empties the list for reuse, with room for `capacity` entries. */
  reset(capacity: number): this {
    this.length = 0;
    if (this.docs.length < capacity) {
      this.docs = new Int32Array(capacity);
      this.scores = new Float64Array(capacity);
      this.masks = new Int32Array(capacity);
    }
    return this;
  }

  push(doc: number, score: number, mask: number): void {
    if (this.length === this.docs.length) this.grow();
    const i = this.length++;
    this.docs[i] = doc;
    this.scores[i] = score;
    this.masks[i] = mask;
  }

  /** Keeps entries `i` for which `keep(i)` is true, in order. */
  filter(keep: (i: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (!keep(i)) continue;
      this.docs[kept] = this.docs[i]!;
      this.scores[kept] = this.scores[i]!;
      this.masks[kept] = this.masks[i]!;
      kept++;
    }
    this.length = kept;
  }

  private grow(): void {
    const n = this.docs.length * 2;
    const docs = new Int32Array(n);
    docs.set(this.docs);
    const scores = new Float64Array(n);
    scores.set(this.scores);
    const masks = new Int32Array(n);
    masks.set(this.masks);
    this.docs = docs;
    this.scores = scores;
    this.masks = masks;
  }
}

/** The per-run state a plan reads and writes: statistics, the probe accumulator, scratch arrays. */
class Evaluation {
  /** Probe accumulator: what the last successful probe added. */
  score = 0;
  mask = 0;
  readonly avgLength: number;
  readonly avgPartsLength: number;

  constructor(readonly engine: QueryEngine) {
    this.avgLength = engine.view.averageFieldLength(TEXT_FIELD);
    this.avgPartsLength = engine.view.averageFieldLength(PARTS_FIELD);
  }

  /** An empty list from the engine's pool (no run keeps a list past its own end). */
  list(capacity: number): DocList {
    return this.engine.borrowList(capacity);
  }

  /** MiniSearch's BM25 for one posting, written operation for operation as MiniSearch computes it. */
  bm25(idf: number, termFreq: number, doc: number, field: number): number {
    const fieldLength = field === TEXT_FIELD ? this.engine.fieldLengthOf(doc) : this.engine.partsLengthOf(doc);
    const avgLength = field === TEXT_FIELD ? this.avgLength : this.avgPartsLength;
    return idf * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / avgLength)));
  }
}

/** A compiled query node. */
interface Plan {
  /** Upper bound on the documents it matches (the sum of its postings' lengths, or of its children's). */
  readonly size: number;
  /** Look-ups one probe costs. */
  readonly probeCost: number;
  /** Every matching document with its score and matched-term mask. */
  enumerate(ev: Evaluation): DocList;
  /** Whether `doc` matches; if it does, adds its score and mask to `ev.score`/`ev.mask`. */
  probe(ev: Evaluation, doc: number): boolean;
  /** Whether `doc` matches; if it does, adds what it matched on to `out`. */
  collect(doc: number, out: MatchReport): boolean;
  /** What `doc` holds of this plan's words and phrases, whether or not the whole plan matches it. */
  collectAny(doc: number, out: MatchReport): void;
  /** Readies the plan for about `probes` probes (a frequent term fetches its membership bitset). */
  prepareProbes(ev: Evaluation, probes: number): void;
  /** The BM25 parts of every scoring term `doc` holds (excluded words score nothing and are left out). */
  explain(ev: Evaluation, doc: number, out: TermScore[]): void;
  /** The query terms it can match, one bit each (what a match's quality factor counts). */
  readonly termBits: number;
  /** A bound of the summed score it adds to any document (before the quality factor): for pruning. */
  maxScore(ev: Evaluation): number;
}

/** One term's share of a paragraph's score: MiniSearch's BM25 and what went into it. */
export interface TermScore {
  term: string;
  field: 'text' | 'parts';
  /** Occurrences of the term in the field of this paragraph. */
  tf: number;
  idf: number;
  /** Distinct terms in the field of this paragraph, and on average. */
  fieldLength: number;
  averageFieldLength: number;
  /** 1 for an exact term; less for a prefix or typo expansion; times the field's boost. */
  weight: number;
  /** weight × BM25. */
  score: number;
}

/** A paragraph's score taken apart: the terms' sum times the number of distinct query terms matched. */
export interface ScoreExplanation {
  terms: TermScore[];
  sum: number;
  /** MiniSearch's quality factor: how many of the query's distinct terms the paragraph matched. */
  matchedTerms: number;
  score: number;
}

/**
 * One term of the index that a leaf matches, in one field, with its weight (1 exact, less for prefix and
 * fuzzy, times the field's boost) and the IDF of the term in that field.
 */
interface Expansion {
  term: string;
  postings: Map<number, number>;
  weight: number;
  idf: number;
  field: number;
}

/**
 * A lone word's tier, cut to this many of each list's best per hit asked for (at least LONE_WORD_TIER_MIN, and
 * only for a top k of at most MAX_CUT_K): enough that the best k are among them, with a margin for the
 * compound-part lists that add to some.
 */
const LONE_WORD_TIER = 4;
const LONE_WORD_TIER_MIN = 64;
const MAX_CUT_K = 1_000;

/** A word's terms at most for it to take part in a bitset intersection (`wordConjunction`): its forms, not a prefix's. */
const MAX_WORD_TERMS = 4;

class TermPlan implements Plan {
  readonly size: number;
  readonly probeCost: number;
  /**
   * Membership of each expansion's documents (null where none is kept), when probes are many: most probes
   * then end at a bit test instead of a look-up.
   */
  private bits: Array<Uint32Array | null> | null = null;
  /** One term, in the text field and perhaps also in the parts field (its expansions are at most those two). */
  readonly isOneTerm: boolean;
  readonly termBits: number;

  constructor(
    readonly expansions: Expansion[],
    readonly bit: number,
  ) {
    let size = 0;
    for (const e of expansions) size += e.postings.size;
    this.size = size;
    this.isOneTerm = expansions.length === 1 || (expansions.length === 2 && expansions[0]!.term === expansions[1]!.term);
    this.termBits = bit;
    // One term's probe is a bit test per field once probes are many (prepareProbes): as cheap as one look-up.
    this.probeCost = this.isOneTerm ? 1 : expansions.length;
  }

  /** One exact term in one field: its postings are its matches, one per document. */
  get isSingleTerm(): boolean {
    return this.expansions.length === 1;
  }

  maxScore(ev: Evaluation): number {
    // One term: its lists' largest block maxima. Many (a prefix, a typo): the factor no posting exceeds —
    // building maxima for hundreds of expansions would cost what evaluating them costs.
    let max = 0;
    for (const e of this.expansions) {
      const factor = this.isOneTerm ? ev.engine.blockMaxima(e.postings, e.field).listMax : FACTOR_CEILING;
      max += e.weight * e.idf * factor;
    }
    return max;
  }

  /**
   * A cursor clause over its lists (one term only). Checked for about `probes` candidates, a long list
   * answers most of them by its membership bitset before its cursor moves.
   */
  clause(ev: Evaluation, probes: number): TermClause {
    const lists = this.expansions.map((e) => new ListCursor(compact(e.postings), ev.engine.blockMaxima(e.postings, e.field), e.weight * e.idf));
    const expansions = this.expansions;
    const wanted = probes >= MIN_PROBES_FOR_BITS && this.expansions.some((e) => e.postings.size >= MIN_POSTINGS_FOR_BITS);
    // A bitset per list, or none at all: a document outside every bitset is outside the clause.
    const bits = wanted ? this.expansions.map((e) => ev.engine.membership(e.postings)) : null;
    return new TermClause(lists, (i, tf, doc) => expansions[i]!.weight * ev.bm25(expansions[i]!.idf, tf, doc, expansions[i]!.field), this.bit, bits);
  }

  /**
   * For one term: hands every match to `collector` (a one-term query's quality is 1). In two fields, the
   * parts field's few postings are scored first and kept by document; the text field's stream past them,
   * each adding its document's parts score (text score first, as MiniSearch adds); the parts-only ones follow.
   */
  collectInto(ev: Evaluation, collector: Collector): void {
    const top = collector instanceof TopDocs ? collector : null;
    const emit = (doc: number, score: number) => {
      // Below the top k's floor a match is only counted: no call, no boxed score.
      if (top !== null && score < top.floor) top.pass();
      else collector.collect(doc, score);
    };
    const { postings, weight, idf, field } = this.expansions[0]!;
    if (this.expansions.length === 1) {
      if (top !== null) {
        postings.forEach((tf, doc) => {
          const score = weight * ev.bm25(idf, tf, doc, field);
          if (score < top.floor) top.pass();
          else top.collect(doc, score);
        });
      } else postings.forEach((tf, doc) => collector.collect(doc, weight * ev.bm25(idf, tf, doc, field)));
      return;
    }
    mergeFields(ev, this.expansions[0]!, this.expansions[1]!, emit);
  }

  /**
   * One word into a top k by relevance, its postings walked block by block: a block whose bound (plus the
   * most the word's compound-part postings can add) cannot reach the floor is stepped over unread, with the
   * part postings in its range. The caller knows the count (unionSize): `top.total` is set to it.
   */
  collectPruned(ev: Evaluation, top: TopDocs, total: number, stats: PruningStats): void {
    const text = this.expansions[0]!;
    const parts = this.expansions.length === 2 ? this.expansions[1]! : null;
    const maxima = ev.engine.blockMaxima(text.postings, text.field);
    const scale = text.weight * text.idf;
    const partsMax = parts === null ? 0 : parts.weight * parts.idf * ev.engine.blockMaxima(parts.postings, parts.field).listMax;
    const a = compact(text.postings).raw;
    const an = compact(text.postings).rawLength;
    const b = parts === null ? a : compact(parts.postings).raw;
    const bn = parts === null ? 0 : compact(parts.postings).rawLength;
    const blockSpan = 2 * BLOCK_SIZE; // raw entries per block: a (doc, tf) pair per slot (256: `i >>> 8` is the block)
    let i = 0;
    let j = 0;
    while (i < an || j < bn) {
      if (i < an && (i & (blockSpan - 1)) === 0 && top.isFull) {
        const block = i >>> 8;
        if (scale * maxima.maxima[block]! + partsMax < top.floor) {
          const last = maxima.lastDocs[block]!;
          i = Math.min(an, i + blockSpan);
          while (j < bn && b[j]! <= last) j += 2;
          stats.skippedBlocks++;
          continue;
        }
      }
      // What mergeFields does, one step: a frequency of 0 is a removed posting.
      if (i < an && a[i + 1] === 0) {
        i += 2;
        continue;
      }
      if (j < bn && b[j + 1] === 0) {
        j += 2;
        continue;
      }
      const da = i < an ? a[i]! : 0x7fffffff;
      const db = j < bn ? b[j]! : 0x7fffffff;
      let doc: number;
      let score: number;
      if (da < db) {
        doc = da;
        score = text.weight * ev.bm25(text.idf, a[i + 1]!, da, text.field);
        i += 2;
      } else if (db < da) {
        doc = db;
        score = parts!.weight * ev.bm25(parts!.idf, b[j + 1]!, db, parts!.field);
        j += 2;
      } else {
        doc = da;
        score = text.weight * ev.bm25(text.idf, a[i + 1]!, da, text.field) + parts!.weight * ev.bm25(parts!.idf, b[j + 1]!, db, parts!.field);
        i += 2;
        j += 2;
      }
      stats.candidates++;
      if (score >= top.floor) top.collect(doc, score);
    }
    top.total = total;
  }

  enumerate(ev: Evaluation): DocList {
    const { expansions, bit } = this;
    const list = ev.list(this.size);
    if (this.isOneTerm && expansions.length === 2) {
      mergeFields(ev, expansions[0]!, expansions[1]!, (doc, score) => list.push(doc, score, bit));
      return list;
    }
    if (expansions.length === 1) {
      const { postings, weight, idf, field } = expansions[0]!;
      // forEach, not for…of: no [key, value] pair per posting (measurably faster on long postings).
      postings.forEach((tf, doc) => list.push(doc, weight * ev.bm25(idf, tf, doc, field), bit));
      return list;
    }
    // Several terms (prefix or fuzzy) or fields: a document's scores from each add up, in MiniSearch's order.
    const union = ev.engine.beginUnion();
    for (const { postings, weight, idf, field } of expansions) {
      postings.forEach((tf, doc) => {
        const s = weight * ev.bm25(idf, tf, doc, field);
        const at = union.slotOf(doc);
        if (at < 0) {
          union.assign(doc, list.length);
          list.push(doc, s, bit);
        } else {
          list.scores[at] = list.scores[at]! + s;
        }
      });
    }
    return list;
  }

  prepareProbes(ev: Evaluation, probes: number): void {
    if (!this.isOneTerm || probes < MIN_PROBES_FOR_BITS) return;
    // A frequent text posting list, and a parts list long enough that its binary search costs more than a bit.
    const wanted = this.expansions.map((e) => e.postings.size >= (e.field === PARTS_FIELD ? MIN_PARTS_POSTINGS_FOR_BITS : MIN_POSTINGS_FOR_BITS));
    if (!wanted.some(Boolean)) return;
    this.bits = this.expansions.map((e, i) => (wanted[i] ? ev.engine.membership(e.postings) : null));
  }

  probe(ev: Evaluation, doc: number): boolean {
    const bits = this.bits;
    const word = doc >>> 5;
    const mask = 1 << (doc & 31);
    if (bits !== null && bits.length === 1 && (bits[0]![word]! & mask) === 0) return false;
    let found = false;
    const expansions = this.expansions;
    for (let i = 0; i < expansions.length; i++) {
      const member = bits?.[i];
      if (member !== undefined && member !== null && (member[word]! & mask) === 0) continue;
      const { postings, weight, idf, field } = expansions[i]!;
      const tf = postings.get(doc);
      if (tf === undefined) continue;
      ev.score += weight * ev.bm25(idf, tf, doc, field);
      found = true;
    }
    if (found) ev.mask |= this.bit;
    return found;
  }

  collect(doc: number, out: MatchReport): boolean {
    let found = false;
    for (const e of this.expansions) {
      if (e.postings.has(doc)) {
        out.terms.push(e.term);
        found = true;
      }
    }
    return found;
  }

  collectAny(doc: number, out: MatchReport): void {
    this.collect(doc, out);
  }

  explain(ev: Evaluation, doc: number, out: TermScore[]): void {
    for (const { term, postings, weight, idf, field } of this.expansions) {
      const tf = postings.get(doc);
      if (tf === undefined) continue;
      ev.mask |= this.bit;
      const parts = field === PARTS_FIELD;
      out.push({
        term,
        field: parts ? 'parts' : 'text',
        tf,
        idf,
        fieldLength: parts ? ev.engine.partsLengthOf(doc) : ev.engine.fieldLengthOf(doc),
        averageFieldLength: parts ? ev.avgPartsLength : ev.avgLength,
        weight,
        score: weight * ev.bm25(idf, tf, doc, field),
      });
    }
  }
}

/**
 * One term's matches in both fields, in short-id order: the two posting lists are both sorted, so a merge
 * walks them once; a paragraph in both scores text then parts, as MiniSearch adds them.
 */
function mergeFields(ev: Evaluation, text: Expansion, parts: Expansion, visit: (doc: number, score: number) => void): void {
  // The index keeps every posting list compact (minisearch-internals.ts): anything else is a broken invariant.
  if (!(text.postings instanceof CompactPostings) || !(parts.postings instanceof CompactPostings)) {
    throw new Error('query engine: postings are not CompactPostings');
  }
  const a = text.postings.raw;
  const an = text.postings.rawLength;
  const b = parts.postings.raw;
  const bn = parts.postings.rawLength;
  let i = 0;
  let j = 0;
  while (i < an || j < bn) {
    // A frequency of 0 is a removed posting: stepped over.
    if (i < an && a[i + 1] === 0) {
      i += 2;
      continue;
    }
    if (j < bn && b[j + 1] === 0) {
      j += 2;
      continue;
    }
    const da = i < an ? a[i]! : 0x7fffffff;
    const db = j < bn ? b[j]! : 0x7fffffff;
    if (da < db) {
      visit(da, text.weight * ev.bm25(text.idf, a[i + 1]!, da, text.field));
      i += 2;
    } else if (db < da) {
      visit(db, parts.weight * ev.bm25(parts.idf, b[j + 1]!, db, parts.field));
      j += 2;
    } else {
      visit(da, text.weight * ev.bm25(text.idf, a[i + 1]!, da, text.field) + parts.weight * ev.bm25(parts.idf, b[j + 1]!, db, parts.field));
      i += 2;
      j += 2;
    }
  }
}

class OrPlan implements Plan {
  readonly size: number;
  readonly probeCost: number;

  readonly termBits: number;

  constructor(readonly children: Plan[]) {
    this.size = children.reduce((n, c) => n + c.size, 0);
    this.probeCost = children.reduce((n, c) => n + c.probeCost, 0);
    this.termBits = children.reduce((bits, c) => bits | c.termBits, 0);
  }

  maxScore(ev: Evaluation): number {
    return this.children.reduce((n, c) => n + c.maxScore(ev), 0);
  }

  enumerate(ev: Evaluation): DocList {
    // Every child is enumerated before the union starts: they may use the engine's slot arrays themselves.
    const lists = this.children.map((c) => c.enumerate(ev));
    const out = ev.list(lists.reduce((n, l) => n + l.length, 0));
    const union = ev.engine.beginUnion();
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        const doc = list.docs[i]!;
        const at = union.slotOf(doc);
        if (at < 0) {
          union.assign(doc, out.length);
          out.push(doc, list.scores[i]!, list.masks[i]!);
        } else {
          out.scores[at] = out.scores[at]! + list.scores[i]!;
          out.masks[at] = out.masks[at]! | list.masks[i]!;
        }
      }
    }
    return out;
  }

  prepareProbes(ev: Evaluation, probes: number): void {
    for (const child of this.children) child.prepareProbes(ev, probes);
  }

  probe(ev: Evaluation, doc: number): boolean {
    let any = false;
    for (const child of this.children) if (child.probe(ev, doc)) any = true;
    return any;
  }

  collect(doc: number, out: MatchReport): boolean {
    let any = false;
    for (const child of this.children) if (child.collect(doc, out)) any = true;
    return any;
  }

  collectAny(doc: number, out: MatchReport): void {
    for (const child of this.children) child.collectAny(doc, out);
  }

  explain(ev: Evaluation, doc: number, out: TermScore[]): void {
    // Only the children that match score (an AND inside an OR may match in part).
    for (const child of this.children) if (child.collect(doc, { terms: [], phrases: [] })) child.explain(ev, doc, out);
  }
}

class AndPlan implements Plan {
  readonly size: number;
  readonly probeCost: number;
  /** Most selective first: it bounds the candidates, and probes fail early on it. Scores add in this order. */
  readonly children: Plan[];
  readonly termBits: number;

  /**
   * @param children  what must match (at least one)
   * @param exclusions  what must not match (`-woord`): it removes candidates and adds nothing to the score
   */
  constructor(
    children: Plan[],
    readonly exclusions: Plan[] = [],
  ) {
    this.children = [...children].sort((a, b) => a.size - b.size);
    this.termBits = this.children.reduce((bits, c) => bits | c.termBits, 0);
    this.size = this.children[0]!.size;
    this.probeCost = this.children.reduce((n, c) => n + c.probeCost, 0) + exclusions.reduce((n, c) => n + c.probeCost, 0);
  }

  maxScore(ev: Evaluation): number {
    return this.children.reduce((n, c) => n + c.maxScore(ev), 0);
  }

  enumerate(ev: Evaluation): DocList {
    const [first, ...rest] = this.children;
    const list = first!.enumerate(ev);
    for (const child of rest) {
      if (list.length === 0) break;
      // Look each candidate up in the child's postings, unless walking the child is cheaper (a prefix or
      // fuzzy leaf with many terms, or a child about as frequent as the candidates).
      if (child.size <= list.length * child.probeCost) this.intersectByWalking(ev, list, child, true);
      else this.intersectByProbing(ev, list, child, true);
    }
    for (const exclusion of this.exclusions) {
      if (list.length === 0) break;
      if (exclusion.size <= list.length * exclusion.probeCost) this.intersectByWalking(ev, list, exclusion, false);
      else this.intersectByProbing(ev, list, exclusion, false);
    }
    return list;
  }

  prepareProbes(ev: Evaluation, probes: number): void {
    for (const child of this.children) child.prepareProbes(ev, probes);
    for (const exclusion of this.exclusions) exclusion.prepareProbes(ev, probes);
  }

  /** Keeps the candidates `child` matches (`keep`) or does not match (`!keep`); a kept match adds its score. */
  private intersectByProbing(ev: Evaluation, list: DocList, child: Plan, keep: boolean): void {
    child.prepareProbes(ev, list.length);
    // A plain loop, not DocList.filter: this is the hot path of every AND (a closure call per candidate showed).
    const { docs, scores, masks } = list;
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const doc = docs[i]!;
      ev.score = 0;
      ev.mask = 0;
      if (child.probe(ev, doc) !== keep) continue;
      docs[kept] = doc;
      scores[kept] = keep ? scores[i]! + ev.score : scores[i]!;
      masks[kept] = keep ? masks[i]! | ev.mask : masks[i]!;
      kept++;
    }
    list.length = kept;
  }

  private intersectByWalking(ev: Evaluation, list: DocList, child: Plan, keep: boolean): void {
    const other = child.enumerate(ev);
    const candidates = ev.engine.beginUnion();
    for (let i = 0; i < list.length; i++) candidates.assign(list.docs[i]!, i);
    const matched = new Uint8Array(list.length);
    for (let j = 0; j < other.length; j++) {
      const at = candidates.slotOf(other.docs[j]!);
      if (at < 0) continue;
      if (keep) {
        list.scores[at] = list.scores[at]! + other.scores[j]!;
        list.masks[at] = list.masks[at]! | other.masks[j]!;
      }
      matched[at] = 1;
    }
    list.filter((i) => (matched[i] === 1) === keep);
  }

  probe(ev: Evaluation, doc: number): boolean {
    const score = ev.score;
    const mask = ev.mask;
    for (const child of this.children) {
      if (!child.probe(ev, doc)) {
        ev.score = score;
        ev.mask = mask;
        return false;
      }
    }
    if (this.exclusions.length > 0) {
      const kept = { score: ev.score, mask: ev.mask };
      for (const exclusion of this.exclusions) {
        if (exclusion.probe(ev, doc)) {
          ev.score = score;
          ev.mask = mask;
          return false;
        }
      }
      ev.score = kept.score;
      ev.mask = kept.mask;
    }
    return true;
  }

  collect(doc: number, out: MatchReport): boolean {
    // Straight into `out`, taken back if a child does not match (no report object per call).
    const terms = out.terms.length;
    const phrases = out.phrases.length;
    let matches = true;
    for (const child of this.children) {
      if (!child.collect(doc, out)) {
        matches = false;
        break;
      }
    }
    for (let e = 0; matches && e < this.exclusions.length; e++) {
      const keptTerms = out.terms.length;
      const keptPhrases = out.phrases.length;
      if (this.exclusions[e]!.collect(doc, out)) matches = false;
      out.terms.length = keptTerms; // an exclusion's words are never reported
      out.phrases.length = keptPhrases;
    }
    if (!matches) {
      out.terms.length = terms;
      out.phrases.length = phrases;
    }
    return matches;
  }

  collectAny(doc: number, out: MatchReport): void {
    // Excluded words are never what a paragraph is shown for.
    for (const child of this.children) child.collectAny(doc, out);
  }

  explain(ev: Evaluation, doc: number, out: TermScore[]): void {
    for (const child of this.children) child.explain(ev, doc, out);
  }
}

/** Matches one slot of a phrase: the symbols of the positions it accepts (one, or a set). */
class SlotMatcher {
  private constructor(
    /** The one symbol accepted, or −1 (then `many`, or nothing). */
    readonly single: number,
    readonly many: Set<number> | null,
  ) {}

  static of(symbols: Iterable<number>): SlotMatcher {
    const all = [...new Set(symbols)];
    if (all.length === 0) return new SlotMatcher(-1, null);
    return all.length === 1 ? new SlotMatcher(all[0]!, null) : new SlotMatcher(-1, new Set(all));
  }

  get never(): boolean {
    return this.single < 0 && this.many === null;
  }

  /** Every symbol it accepts. */
  get symbols(): number[] {
    return this.single >= 0 ? [this.single] : this.many === null ? [] : [...this.many];
  }
}

/**
 * Symbol pairs at most for two adjacent slots to be checked in the pair signature: each more lets more
 * candidates through (a Bloom filter's false "may" for each), and past about eight a check rules out too few
 * to pay for its tests (a paragraph's signature has about a quarter of its bits set).
 */
const MAX_PAIR_CHECKS = 8;

/**
 * Words adjacent and in order, in two phases (Lucene's approximation and match): the postings of the
 * phrase's rarest word give the candidates, each candidate's positions are checked, and only a paragraph
 * that holds the phrase is scored, as the AND of the phrase's words. Stopword slots take part in the check
 * only (they have no postings).
 */
class PhrasePlan implements Plan {
  readonly size: number;
  readonly probeCost: number;
  /** The phrase's word with the fewest postings: its documents are the candidates. */
  private readonly rarest: Plan;
  /**
   * The slot whose varint bytes are searched for in a candidate's encoded positions, only the positions around
   * a hit decoded (`occurs`): the rarest word's when it accepts a single symbol, else the single-symbol slot
   * likeliest to be rare (`rarestSingle`: `"kwam het ik"` anchors on `ik`, the slot of `kwam` accepting every
   * form of `komen`). −1: no slot accepts a single symbol; every position is decoded.
   */
  private readonly anchor: number;
  private readonly anchorBytes: number[] = [];
  /**
   * When every slot accepts a single symbol (stopwords and exact words: the common phrase), the phrase's bytes,
   * and where in them the anchor's bytes begin; else null.
   */
  private readonly pattern: Uint8Array | null = null;
  private readonly patternAnchor: number = 0;
  /** The anchor's first byte repeated in all four bytes of a 32-bit word, for the SWAR scan. */
  private readonly anchorMask: number = 0;
  /**
   * Per pair of adjacent slots, the `pairBits` of every pair of symbols they accept (at most MAX_PAIR_CHECKS,
   * single-symbol pairs first): a candidate whose pair signature has none of some pair's is ruled out first.
   */
  private readonly pairChecks: number[][] = [];
  private arena: PositionStore['arena'] | null = null;
  private arenaVersion = -1;
  /** Decoded symbols of the paragraph being checked. */
  private scratch = new Int32Array(256);

  readonly termBits: number;

  constructor(
    readonly words: AndPlan,
    wordSlots: Array<{ slot: number; plan: Plan }>,
    private readonly slots: SlotMatcher[],
    private readonly positions: PositionStore,
    pairFilter: boolean,
  ) {
    // Adjacent slots that each accept one symbol: their pair must be in a paragraph's signature.
    if (pairFilter) {
      for (let j = 1; j < slots.length; j++) {
        const pairs = slots[j - 1]!.symbols.flatMap((a) => slots[j]!.symbols.map((b) => pairBits(a, b)));
        if (pairs.length > 0 && pairs.length <= MAX_PAIR_CHECKS) this.pairChecks.push(pairs);
      }
      this.pairChecks.sort((a, b) => a.length - b.length);
    }
    const rarest = wordSlots.reduce((a, b) => (b.plan.size < a.plan.size ? b : a));
    this.rarest = rarest.plan;
    this.size = slots.some((s) => s.never) ? 0 : this.rarest.size;
    this.anchor = slots[rarest.slot]!.single >= 0 ? rarest.slot : rarestSingle(slots);
    if (this.anchor >= 0) this.anchorBytes = varint(slots[this.anchor]!.single);
    if (this.anchor >= 0 && slots.every((slot) => slot.single >= 0)) {
      const bytes = slots.map((slot) => varint(slot.single));
      this.patternAnchor = bytes.slice(0, this.anchor).reduce((n, b) => n + b.length, 0);
      this.pattern = Uint8Array.from(bytes.flat());
    }
    if (this.anchor >= 0) this.anchorMask = Math.imul(this.anchorBytes[0]!, 0x01010101);
    // A check reads a paragraph's positions: about as dear as a few look-ups.
    this.probeCost = words.probeCost + 4;
    this.termBits = words.termBits;
  }

  maxScore(ev: Evaluation): number {
    return this.size === 0 ? 0 : this.words.maxScore(ev);
  }

  /** Whether the phrase occurs in `doc` (whose words it is known to hold). */
  occursIn(doc: number): boolean {
    return this.size > 0 && this.occurs(doc);
  }

  enumerate(ev: Evaluation): DocList {
    const list = ev.list(0);
    if (this.size === 0) return list;
    // Candidates by document only (scoring every candidate would cost more than checking it), gathered first:
    // a plain loop over them ran at half the cost of a Map.forEach around the check.
    const rarest = this.rarest;
    let candidates: DocList;
    if (rarest instanceof TermPlan && rarest.isSingleTerm) {
      candidates = ev.list(rarest.size);
      rarest.expansions[0]!.postings.forEach((_tf, doc) => candidates.push(doc, 0, 0));
    } else candidates = rarest.enumerate(ev);
    const docs = candidates.docs;
    for (let i = 0; i < candidates.length; i++) {
      const doc = docs[i]!;
      if (!this.occurs(doc)) continue;
      ev.score = 0;
      ev.mask = 0;
      if (this.words.probe(ev, doc)) list.push(doc, ev.score, ev.mask);
    }
    return list;
  }

  prepareProbes(ev: Evaluation, probes: number): void {
    this.words.prepareProbes(ev, probes);
  }

  probe(ev: Evaluation, doc: number): boolean {
    if (this.size === 0) return false;
    const score = ev.score;
    const mask = ev.mask;
    if (!this.words.probe(ev, doc)) return false;
    if (this.occurs(doc)) return true;
    ev.score = score;
    ev.mask = mask;
    return false;
  }

  collect(doc: number, out: MatchReport): boolean {
    // Phrase words are marked where the phrase matched, never on their own: only the windows are reported.
    return this.size > 0 && this.windows(doc, out);
  }

  collectAny(doc: number, out: MatchReport): void {
    if (this.size > 0) this.windows(doc, out);
  }

  explain(ev: Evaluation, doc: number, out: TermScore[]): void {
    if (this.collect(doc, { terms: [], phrases: [] })) this.words.explain(ev, doc, out);
  }

  /**
   * Whether the phrase occurs in `doc`: the hot loop of a phrase query (every candidate). With an anchor, its
   * bytes are searched for in the encoded positions and only the few positions around each hit decoded;
   * otherwise every position is decoded and every window checked.
   */
  private occurs(doc: number): boolean {
    const checks = this.pairChecks;
    for (let k = 0; k < checks.length; k++) {
      const pairs = checks[k]!;
      let may = false;
      for (let i = 0; i < pairs.length && !may; i++) may = this.positions.mayHoldPair(doc, pairs[i]!);
      if (!may) return false;
    }
    if (this.anchor < 0) return this.windows(doc, null);
    if (this.arenaVersion !== this.positions.version) {
      this.arena = this.positions.arena;
      this.arenaVersion = this.positions.version;
    }
    const { chunks, words, location, length } = this.arena!;
    const n = doc < length.length ? length[doc]! : -1;
    if (n <= 0) return false;
    const at = location[doc]!;
    const c = at >>> 16;
    const bytes = chunks[c]!;
    const word32 = words[c]!;
    const start = at & 0xffff;
    const end = start + n;
    // The bytes of the rarest word's symbol (the anchor) are found four at a time: a 32-bit word holds the
    // anchor's first byte exactly when (w ^ mask) has a zero byte, which one subtraction and two masks tell
    // (SWAR). Then the bytes of that word are looked at one by one. Measured at 100k: 77 ns a candidate, 123
    // for a byte loop, 98 for Uint8Array.indexOf.
    const pattern = this.pattern;
    const offset = pattern === null ? 0 : this.patternAnchor;
    const first = pattern === null ? this.anchorBytes[0]! : pattern[offset]!;
    const mask = this.anchorMask;
    const from = start + offset;
    for (let w = from >>> 2, last = (end - 1) >>> 2; w <= last; w++) {
      const v = word32[w]! ^ mask;
      if (((v - 0x01010101) & ~v & 0x80808080) === 0) continue;
      for (let p = Math.max(w << 2, from), stop = Math.min((w << 2) + 4, end); p < stop; p++) {
        if (bytes[p] !== first) continue;
        const begin = p - offset;
        // A varint starts right after a final byte (high bit clear): a hit must start there, not mid-number.
        if (begin > start && bytes[begin - 1]! >= 0x80) continue;
        if (pattern !== null ? this.patternAt(bytes, begin, end) : this.anchorAt(bytes, start, end, p)) return true;
      }
    }
    return false;
  }

  /** Whether the whole phrase (every slot one symbol) is at `begin`. */
  private patternAt(bytes: Uint8Array, begin: number, end: number): boolean {
    const pattern = this.pattern!;
    if (begin + pattern.length > end) return false;
    for (let k = 0; k < pattern.length; k++) if (bytes[begin + k] !== pattern[k]) return false;
    return true;
  }

  /** Whether the anchor's symbol is at `p` and the other slots around it match. */
  private anchorAt(bytes: Uint8Array, start: number, end: number, p: number): boolean {
    const anchorBytes = this.anchorBytes;
    const width = anchorBytes.length;
    if (p + width > end) return false;
    for (let k = 1; k < width; k++) if (bytes[p + k] !== anchorBytes[k]) return false;
    return this.around(bytes, start, end, p, p + width);
  }

  /** Whether the slots before and after the anchor match the positions before `from` and from `after` on. */
  private around(bytes: Uint8Array, start: number, end: number, from: number, after: number): boolean {
    const slots = this.slots;
    // Backwards: each earlier position ends at the byte before the one after it.
    let left = from;
    for (let j = this.anchor - 1; j >= 0; j--) {
      if (left <= start) return false;
      let k = left - 1;
      while (k > start && bytes[k - 1]! >= 0x80) k--;
      if (!accepts(slots[j]!, decodeAt(bytes, k))) return false;
      left = k;
    }
    // Forwards.
    let right = after;
    for (let j = this.anchor + 1; j < slots.length; j++) {
      if (right >= end) return false;
      let value = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[right++]!;
        value |= (b & 0x7f) << shift;
        shift += 7;
      } while (b >= 0x80 && right < end);
      if (!accepts(slots[j]!, value)) return false;
    }
    return true;
  }

  /**
   * Every place the phrase occurs in `doc` (into `out`, as position windows), or with `out` null whether it
   * occurs at all: every position decoded, each window checked as soon as its last position is in.
   */
  private windows(doc: number, out: MatchReport | null): boolean {
    const bytes = this.positions.span(doc);
    if (bytes === null) return false;
    const end = this.positions.spanEnd;
    const slots = this.slots;
    const n = slots.length;
    let symbols = this.scratch;
    if (symbols.length < end - this.positions.spanStart) symbols = this.scratch = new Int32Array((end - this.positions.spanStart) * 2);
    let count = 0;
    let value = 0;
    let shift = 0;
    let found = false;
    for (let p = this.positions.spanStart; p < end; p++) {
      const b = bytes[p]!;
      value |= (b & 0x7f) << shift;
      if (b >= 0x80) {
        shift += 7;
        continue;
      }
      symbols[count++] = value;
      value = 0;
      shift = 0;
      if (count < n) continue;
      const from = count - n;
      let j = 0;
      while (j < n && accepts(slots[j]!, symbols[from + j]!)) j++;
      if (j < n) continue;
      if (out === null) return true;
      out.phrases.push({ from, to: count });
      found = true;
    }
    return found;
  }
}

/**
 * The single-symbol slot with the highest symbol, or −1. Symbols are handed out on first sight, so the
 * commonest words (`de`, `het`) have the lowest and a high one is the better bet for a rare byte pattern.
 */
function rarestSingle(slots: readonly SlotMatcher[]): number {
  let best = -1;
  for (let j = 0; j < slots.length; j++) if (slots[j]!.single >= 0 && (best < 0 || slots[j]!.single > slots[best]!.single)) best = j;
  return best;
}

/** Whether a slot accepts the symbol at a position. */
function accepts(slot: SlotMatcher, symbol: number): boolean {
  return slot.single >= 0 ? symbol === slot.single : slot.many !== null && slot.many.has(symbol);
}

/** The varint (LEB128) bytes of a value, as the position store writes them. */
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** The varint starting at `at`. */
function decodeAt(bytes: Uint8Array, at: number): number {
  let value = 0;
  let shift = 0;
  for (let p = at; ; p++) {
    const b = bytes[p]!;
    value |= (b & 0x7f) << shift;
    if (b < 0x80) return value;
    shift += 7;
  }
}

/** Matches nothing (an unknown term, a phrase whose stopword never occurs). */
const NOTHING: Plan = {
  size: 0,
  probeCost: 0,
  termBits: 0,
  maxScore: () => 0,
  enumerate: (ev) => ev.list(0),
  probe: () => false,
  collect: () => false,
  collectAny: () => undefined,
  prepareProbes: () => undefined,
  explain: () => undefined,
};

/**
 * A set of documents with a slot each, in arrays indexed by short id, cleared in O(1) by a new stamp.
 * One is live at a time per stamp; plans finish enumerating their children before starting one.
 */
class SlotSet {
  constructor(
    private readonly stamps: Uint32Array,
    private readonly slots: Int32Array,
    private readonly stamp: number,
  ) {}

  slotOf(doc: number): number {
    return this.stamps[doc] === this.stamp ? this.slots[doc]! : -1;
  }

  assign(doc: number, slot: number): void {
    this.stamps[doc] = this.stamp;
    this.slots[doc] = slot;
  }
}

/**
 * A lead word walked in place of the most selective clause may have at most this many times its postings
 * (a phrase or a synonym OR can be the most selective clause, and is not walked by cursor).
 */
const MAX_LEAD_RATIO = 2;

/** A query bound to one index generation: run it into collectors, and ask what a match matched on. */
export class CompiledQuery {
  /** What the last `run` did when it was evaluated document at a time (null: it was evaluated exhaustively). */
  lastRun: PruningStats | null = null;

  constructor(
    private readonly engine: QueryEngine,
    private readonly plan: Plan,
  ) {}

  /** The paragraph id of a short id of this index generation. */
  paragraphIdOf(doc: number): string {
    return this.engine.view.documentIds.get(doc)!;
  }

  /**
   * Hands every match, with its final score, to `collector` — or, into a top k (perhaps behind a date filter)
   * whose `exactUpTo` has been counted, only those that could still get in (the rest are counted no further).
   */
  run(collector: Collector): void {
    const engine = this.engine;
    engine.ensureCapacity();
    const ev = new Evaluation(engine);
    engine.resetPool();
    this.lastRun = null;
    const plan = this.plan;
    const sink = pruningSink(collector);
    const words = sink === null ? null : this.wordConjunction(ev, sink);
    if (words !== null) {
      const stats: PruningStats = { candidates: 0, skippedBlocks: 0, skippedDocs: 0, passed: 0 };
      runWordConjunction(words, sink!, stats);
      this.lastRun = stats;
      engine.resetPool();
      return;
    }
    if (sink !== null && !sink.countsAll && sink.top instanceof TopDocs && sink.filter === null && sink.dayOf === null && plan instanceof TermPlan && plan.isOneTerm) {
      // One word by relevance (the commonest query): its own block loop, as tight as the exhaustive one.
      const stats: PruningStats = { candidates: 0, skippedBlocks: 0, skippedDocs: 0, passed: 0 };
      plan.collectPruned(ev, sink.top, unionSize(plan.expansions.map((e) => compact(e.postings))), stats);
      this.lastRun = stats;
      engine.resetPool();
      return;
    }
    const conjunction = sink === null ? null : this.conjunction(ev, sink);
    if (conjunction !== null) {
      const stats: PruningStats = { candidates: 0, skippedBlocks: 0, skippedDocs: 0, passed: 0 };
      runConjunction(conjunction, sink!, stats);
      this.lastRun = stats;
    } else if (plan instanceof TermPlan && plan.isOneTerm) {
      // One term (the commonest query): straight from its postings into the collector, no list in between.
      plan.collectInto(ev, collector);
    } else {
      const list = plan.enumerate(ev);
      const { docs, scores, masks } = list;
      if (collector instanceof TopDocs) {
        for (let i = 0; i < list.length; i++) {
          const score = scores[i]! * popcount(masks[i]!);
          if (score < collector.floor) collector.pass();
          else collector.collect(docs[i]!, score);
        }
      } else for (let i = 0; i < list.length; i++) collector.collect(docs[i]!, scores[i]! * popcount(masks[i]!));
    }
    engine.resetPool();
  }

  /**
   * The plan as a conjunction of plain words (a phrase's words too) to intersect as bitsets, or null when it
   * has another shape or its rarest word is too rare for that to pay: one AND per 32 paragraphs and word
   * costs less than a cursor step per candidate only when the candidates are at least 1 in WORD_DENSITY.
   * A lone word counts as a conjunction of one: of several forms always, of one term only into a plain top
   * k (where its top tier spares scoring most of its postings; anywhere else its own loop is faster).
   */
  private wordConjunction(ev: Evaluation, sink: PruningSink): WordConjunction | null {
    const plan = this.plan;
    let children: Plan[];
    let exclusions: Plan[] = [];
    let check: ((doc: number) => boolean) | null = null;
    const oneTerm = (p: Plan): p is TermPlan => p instanceof TermPlan && p.isOneTerm;
    // A word is one term, or an OR of a few (`gaat`: gaat or gaan; `eieren`: eier or ei), each exact.
    const termsOfWord = (p: Plan): TermPlan[] | null => (oneTerm(p) ? [p] : p instanceof OrPlan && p.children.length <= MAX_WORD_TERMS && p.children.every(oneTerm) ? (p.children as TermPlan[]) : null);
    if (plan instanceof AndPlan && (plan.children.length >= 2 || plan.exclusions.length > 0)) {
      children = plan.children;
      exclusions = plan.exclusions;
    } else if (plan instanceof PhrasePlan && plan.size > 0 && plan.words.children.length >= 2) {
      children = plan.words.children;
      check = (doc) => plan.occursIn(doc);
    } else if ((plan instanceof OrPlan && termsOfWord(plan) !== null) || (oneTerm(plan) && !sink.countsAll && sink.filter === null && sink.dayOf === null)) {
      children = [plan];
    } else return null;
    const words = children.map(termsOfWord);
    const excludedWords = exclusions.map(termsOfWord);
    if (words.some((w) => w === null) || excludedWords.some((w) => w === null)) return null;
    const limit = this.engine.view.nextId();
    if (children[0]!.size * this.engine.bitsetDensity < limit) return null;
    const membership = (p: TermPlan) => p.expansions.map((e) => ev.engine.membership(e.postings));
    const clauses = words.map((terms) => terms!.map((term) => term.clause(ev, 0)));
    // Per word, per term, its lists' bitsets: looked up once, then arranged as each pass wants them.
    const termLists = words.map((terms) => terms!.map(membership));
    const bits = termLists.map((terms) => terms.flat());
    const excludedBits = excludedWords.flatMap((terms) => terms!.flatMap(membership));
    const maxQuality = popcount(children.reduce((b, c) => b | c.termBits, 0));
    // A lone word needs its best k: each list's tier is cut to about LONE_WORD_TIER × k of its best (the cut
    // factor is then the tier's floor, and the next lower one bounds the rest).
    const k = sink.top instanceof TopDocs ? sink.top.capacity : Infinity;
    const cuts = new Map<Expansion, { floor: number; rest: number }>();
    for (const terms of words) {
      for (const term of terms!) {
        for (const e of term.expansions) {
          const maxima = ev.engine.blockMaxima(e.postings, e.field);
          cuts.set(e, words.length === 1 && k <= MAX_CUT_K ? maxima.cut(Math.max(LONE_WORD_TIER_MIN, LONE_WORD_TIER * k)) : { floor: maxima.topFloor, rest: maxima.restMax });
        }
      }
    }
    // Per word and list (in the order of `bits`): the bound of a posting outside the list's top tier, and
    // the quality bit of its term; the tiers themselves marked in one bitset.
    const restOf = (e: Expansion) => e.weight * e.idf * cuts.get(e)!.rest;
    const restBounds = words.map((terms) => terms!.flatMap((term) => term.expansions.map(restOf)));
    const termBits = words.map((terms) => terms!.flatMap((term) => term.expansions.map(() => term.bit)));
    // A match with one term of each word: at most each word's likeliest term at its rest maxima, times n.
    let singleFormBound = 0;
    for (const terms of words) singleFormBound += Math.max(...terms!.map((term) => term.expansions.reduce((sum, e) => sum + restOf(e), 0)));
    singleFormBound *= words.length;
    // … and when also in no list but each term's first (the text field's, as a rule): its first lists' only.
    let firstListBound = 0;
    for (const terms of words) firstListBound += Math.max(...terms!.map((term) => restOf(term.expansions[0]!)));
    firstListBound *= words.length;
    // Bitsets per word of each of its terms' documents (all lists of the term), to find the matches with more.
    const formBits = termLists.map((terms) => (terms.length < 2 ? [] : terms));
    const laterListBits = termLists.flatMap((terms) => terms.flatMap((lists) => lists.slice(1)));
    const tops = this.engine.topTierBits(words.flatMap((terms) => terms!.flatMap((term) => term.expansions.map((e) => ({ expansion: e, floor: cuts.get(e)!.floor })))));
    const tiers = { tops, restBounds, termBits, singleFormBound, firstListBound, formBits, laterListBits };
    return { clauses, bits, excludedBits, limit, check, maxQuality, tiers, matches: this.engine.matchBits() };
  }

  /**
   * The plan as a conjunction walked document at a time from one word's postings, or null when it has no
   * such shape (an OR at the top, a lone prefix or typo word, only phrases or ORs more selective than any word).
   */
  private conjunction(ev: Evaluation, sink: PruningSink): Conjunction | null {
    const plan = this.plan;
    let children: Plan[];
    let exclusions: Plan[] = [];
    let check: ((doc: number) => boolean) | null = null;
    if (plan instanceof TermPlan) children = [plan];
    else if (plan instanceof AndPlan) {
      children = plan.children;
      exclusions = plan.exclusions;
    } else if (plan instanceof PhrasePlan) {
      if (plan.size === 0) return null;
      children = plan.words.children;
      check = (doc) => plan.occursIn(doc);
    } else return null;
    let lead = -1;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child instanceof TermPlan && child.isOneTerm && (lead < 0 || child.size < children[lead]!.size)) lead = i;
    }
    if (lead < 0 || children[lead]!.size > MAX_LEAD_RATIO * children[0]!.size) return null;
    const probes = children[lead]!.size;
    // Document at a time pays only where it can save: into a top k, once more matches than must be counted
    // exactly can be met (fewer candidates, and nothing is ever skipped: the exhaustive loops are faster);
    // into a chain that counts all, where enough matches may go unscored to pay for the cursors.
    const counted = plan instanceof TermPlan && sink.filter === null;
    if (sink.countsAll ? probes < this.engine.minLeadForCounting : !counted && probes <= sink.exactUpTo) return null;
    // A clause that is cheaper to walk once than to probe for every candidate — a prefix or typo word with
    // many expansions, a frequent OR — is walked by the exhaustive evaluation (AndPlan.enumerate decides so
    // too): then that is the faster one.
    for (const child of [...children, ...exclusions]) {
      if (!(child instanceof TermPlan && child.isOneTerm) && child.size <= probes * child.probeCost) return null;
    }
    const clauses = children.map((child, i): Conjunction['clauses'][number] => {
      if (child instanceof TermPlan && child.isOneTerm) return { term: child.clause(ev, i === lead ? 0 : probes) };
      if (i === lead) throw new Error('query engine: the lead clause is not one word');
      child.prepareProbes(ev, probes);
      const probed: ProbedClause = {
        score: 0,
        mask: 0,
        max: child.maxScore(ev),
        probe(doc: number): boolean {
          ev.score = 0;
          ev.mask = 0;
          const found = child.probe(ev, doc);
          this.score = ev.score;
          this.mask = ev.mask;
          return found;
        },
      };
      return { probed };
    });
    for (const exclusion of exclusions) exclusion.prepareProbes(ev, probes);
    const excluded =
      exclusions.length === 0
        ? null
        : (doc: number): boolean => {
            for (const exclusion of exclusions) {
              ev.score = 0;
              ev.mask = 0;
              if (exclusion.probe(ev, doc)) return true;
            }
            return false;
          };
    const bits = children.reduce((b, c) => b | c.termBits, 0);
    const knownTotal = plan instanceof TermPlan ? unionSize(plan.expansions.map((e) => compact(e.postings))) : null;
    return { clauses, lead, excluded, check, maxQuality: popcount(bits), knownTotal };
  }

  /** What a matching document matched on (index terms outside phrases, deduplicated; phrase windows); null if it does not match. */
  report(doc: number): MatchReport | null {
    const out: MatchReport = { terms: [], phrases: [] };
    if (!this.plan.collect(doc, out)) return null;
    out.terms = distinct(out.terms);
    return out;
  }

  /** The final score of `doc`, or null when it does not match (one document probed: for a few, not many). */
  score(doc: number): number | null {
    const engine = this.engine;
    engine.ensureCapacity();
    const ev = new Evaluation(engine);
    ev.score = 0;
    ev.mask = 0;
    if (!this.plan.probe(ev, doc)) return null;
    return ev.score * popcount(ev.mask);
  }

  /**
   * A matching paragraph's score taken apart, as the engine computed it: each term's BM25 parts in each
   * field, their sum, and the number of distinct query terms matched that multiplies it.
   */
  explain(doc: number): ScoreExplanation {
    const engine = this.engine;
    engine.ensureCapacity();
    const ev = new Evaluation(engine);
    const terms: TermScore[] = [];
    this.plan.explain(ev, doc, terms);
    const sum = terms.reduce((total, t) => total + t.score, 0);
    const matchedTerms = popcount(ev.mask);
    return { terms, sum, matchedTerms, score: sum * matchedTerms };
  }

  /** What `doc` holds of the query's words and phrases, whether or not it matches the whole query (article pages). */
  reportAny(doc: number): MatchReport {
    const out: MatchReport = { terms: [], phrases: [] };
    this.plan.collectAny(doc, out);
    out.terms = distinct(out.terms);
    return out;
  }
}

/** The query engine of one index generation (short ids, field lengths and positions are per generation). */
export class QueryEngine {
  /** @internal */
  readonly view: ScoringView;
  /** Field length + 1 by short id; 0 = not read yet. A short id is never reused, so entries never go stale. */
  private lengths = new Int32Array(0);
  /** The same for the parts field. */
  private partsLengths = new Int32Array(0);
  private stamps = new Uint32Array(0);
  private slots = new Int32Array(0);
  private stamp = 0;
  /**
   * Lists reused from query to query: a query over frequent terms needs lists of hundreds of thousands of
   * entries, and allocating them anew each time made garbage collection a visible share of the p99.
   */
  private readonly pool: DocList[] = [];
  private borrowed = 0;
  /** Block maxima by postings list (kept while the list lives; patched as it grows). */
  private readonly maxima = new WeakMap<Map<number, number>, BlockMaxima>();
  /**
   * Shortest lead list for which a chain that counts every match (months, articles) is evaluated document at
   * a time, scoring only what can be kept: below it the exhaustive loop was faster (`npm run bench:pruning`).
   */
  minLeadForCounting = MIN_LEAD_FOR_COUNTING;
  /** Plain words are intersected as bitsets from a rarest word in 1 in this many paragraphs (0: never). */
  bitsetDensity = WORD_DENSITY;
  /** Phrases consult the paragraphs' pair signatures before their positions (off: for tests and the benchmark). */
  pairFilter = true;
  /** Block maxima built from the start (not patched), over this engine's life: for tests and the benchmark. */
  maximaBuilt = 0;
  /** Membership bitsets kept at most (for tests: a small cache makes every search drop and reuse some). */
  maxBitsets = MAX_BITSETS;
  /** Bitsets by postings list, with the list's membership version they were built at. */
  private readonly bitsets = new Map<Map<number, number>, { bits: Uint32Array; version: number }>();
  /** Bitsets dropped from the cache since the last `releaseQueries` (a running query may still hold them). */
  private readonly retired: Uint32Array[] = [];
  /** Bitsets dropped before it: free for reuse. */
  private readonly reusable: Uint32Array[] = [];
  /** Scratch for `topTierBits` and `matchBits`. */
  private tierBits = new Uint32Array(0);
  private matchesBuffer = new Uint32Array(0);

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document type: only the index is read
    mini: MiniSearch<any>,
    private readonly positions: PositionStore,
  ) {
    this.view = scoringView(mini);
  }

  /**
   * Compiles a query for this index.
   * @throws QueryError `too_many_expansions` for a prefix matching more than MAX_EXPANSIONS terms,
   *   `too_many_terms` for more distinct terms than scoring can count
   */
  compile(query: Query): CompiledQuery {
    const bits = new Map<string, number>();
    const engine = this;
    const leaf = (node: LeafQuery): Plan => {
      let bit = bits.get(node.term);
      if (bit === undefined) {
        if (bits.size >= MAX_SOURCE_TERMS) {
          throw new QueryError('too_many_terms', `a query may hold at most ${MAX_SOURCE_TERMS} distinct terms`, node.source?.start ?? 0);
        }
        bit = 1 << bits.size;
        bits.set(node.term, bit);
      }
      // MiniSearch drops empty terms, so an empty leaf matches nothing (not every term as a prefix).
      return node.term === '' ? NOTHING : new TermPlan(engine.expand(node), bit);
    };
    const plan = foldQuery<Plan>(query, {
      term: leaf,
      prefix: leaf,
      fuzzy: leaf,
      or: (_node, children) => (children.length === 1 ? children[0]! : new OrPlan(children)),
      not: (_node, child) => child, // its AND parent takes it as an exclusion
      and(node, children) {
        const positive = children.filter((_c, i) => node.children[i]!.kind !== 'not');
        const negative = children.filter((_c, i) => node.children[i]!.kind === 'not');
        if (positive.length === 0) throw new QueryError('only_exclusions', 'a part with only excluded words', node.source?.start ?? 0);
        return positive.length === 1 && negative.length === 0 ? positive[0]! : new AndPlan(positive, negative);
      },
      phrase: (node, slots) => engine.phrase(node, slots),
    });
    return new CompiledQuery(this, plan);
  }

  /** Number of documents holding `term` (in the text field, or the given one). */
  documentFrequency(term: string, field = TEXT_FIELD): number {
    return this.view.terms.get(term)?.get(field)?.size ?? 0;
  }

  /** The index terms a leaf matches (itself, and its prefix or typo expansions) that occur in the index. */
  expandTerms(leaf: LeafQuery): string[] {
    return distinct(this.expand(leaf).map((e) => e.term));
  }

  private phrase(node: PhraseQuery, slotPlans: Array<Plan | null>): Plan {
    // A phrase matches words, never compound parts: its words are looked up in the text field only, so the
    // parts field adds no candidates to check (nor score).
    const compiled = slotPlans.map((plan) => (plan === null ? null : textOnly(plan)));
    const words = compiled.filter((p): p is Plan => p !== null);
    const wordSlots = compiled.flatMap((plan, slot) => (plan === null ? [] : [{ slot, plan }]));
    // The analysis never makes a phrase without a word; without one there would be no candidates to check.
    if (words.length === 0) return NOTHING;
    const slots = node.slots.map((slot, i) => {
      if (slot.kind === 'stopword') {
        const symbol = slot.word === null ? undefined : this.positions.stopwordSymbol(slot.word);
        return SlotMatcher.of(symbol === undefined ? [] : [symbol]);
      }
      return SlotMatcher.of(termsOf(compiled[i]!).flatMap((term) => this.positions.symbolsWithTerm(term)));
    });
    return new PhrasePlan(new AndPlan(words), wordSlots, slots, this.positions, this.pairFilter);
  }

  /** @internal */
  fieldLengthOf(doc: number): number {
    return this.cachedLength(this.lengths, doc, TEXT_FIELD);
  }

  /** @internal */
  partsLengthOf(doc: number): number {
    return this.cachedLength(this.partsLengths, doc, PARTS_FIELD);
  }

  /** A field's length for `doc`, read once from MiniSearch into `cache` (length + 1; 0 = not read yet). */
  private cachedLength(cache: Int32Array, doc: number, field: number): number {
    const cached = cache[doc]!;
    if (cached !== 0) return cached - 1;
    const length = this.view.fieldLength.get(doc)![field]!;
    cache[doc] = length + 1;
    return length;
  }

  /**
   * @internal The membership bitset of `postings`, built on first use and kept while that list holds the
   * same documents (its membership version): a change to other terms' lists — another article added or
   * removed — leaves it valid. Documents added after it was built have short ids past the ones it was built
   * for; it is made with room for them (their bits are 0, which is right: they are not in the list, or the
   * version would have moved), so a probe never reads past its end (a typed-array read out of bounds sends
   * V8 down a slow path), and it is built again once short ids outgrow the room.
   */
  membership(postings: Map<number, number>): Uint32Array {
    const version = postings instanceof CompactPostings ? postings.membershipVersion : -1;
    const nextId = this.view.nextId();
    const cached = this.bitsets.get(postings);
    if (cached !== undefined && cached.version === version && version >= 0 && nextId <= cached.bits.length * 32) {
      this.bitsets.delete(postings); // most recently used last
      this.bitsets.set(postings, cached);
      return cached.bits;
    }
    this.bitsets.delete(postings);
    if (cached !== undefined) this.retire(cached.bits);
    if (this.bitsets.size >= this.maxBitsets) {
      const [oldest, entry] = this.bitsets.entries().next().value!;
      this.bitsets.delete(oldest);
      this.retire(entry.bits);
    }
    const bits = this.freeBitset(nextId) ?? new Uint32Array((nextId + Math.max(BITSET_ROOM, nextId >>> 4) + 31) >>> 5);
    postings.forEach((_tf, doc) => {
      bits[doc >>> 5] = bits[doc >>> 5]! | (1 << (doc & 31));
    });
    this.bitsets.set(postings, { bits, version });
    return bits;
  }

  /**
   * Declares every query compiled so far finished with (their plans hold membership bitsets): the bitsets
   * dropped from the cache before this call may be reused for new ones. The searcher calls it as each search
   * begins; without it nothing is reused, which is always safe. Reuse matters: queries on many frequent
   * words would otherwise allocate a bitset each (1 bit per paragraph, outside the JavaScript heap), and
   * that garbage made the collector run often enough to be felt in the tail (DESIGN.md, "Membership bitsets").
   */
  releaseQueries(): void {
    for (const bits of this.retired) if (this.reusable.length < MAX_REUSABLE_BITSETS) this.reusable.push(bits);
    this.retired.length = 0;
  }

  private retire(bits: Uint32Array): void {
    if (this.retired.length < MAX_REUSABLE_BITSETS) this.retired.push(bits);
  }

  /** A released bitset with room for `nextId` short ids, cleared; undefined when there is none. */
  private freeBitset(nextId: number): Uint32Array | undefined {
    while (this.reusable.length > 0) {
      const bits = this.reusable.pop()!;
      if (nextId <= bits.length * 32) return bits.fill(0);
    }
    return undefined;
  }

  /** @internal A bitset for a conjunction's matches, in a buffer the engine reuses: valid until the next call. */
  matchBits(): Uint32Array {
    const words = (this.view.nextId() + 31) >>> 5;
    if (this.matchesBuffer.length < words) this.matchesBuffer = new Uint32Array(words + (words >>> 4));
    return this.matchesBuffer;
  }

  /**
   * @internal One bitset marking every document in the top tier of any of the lists, those of a factor of at
   * least `floor` where the tier is cut for the query, in a buffer the engine reuses: valid until the next call.
   */
  topTierBits(tiers: ReadonlyArray<{ expansion: Expansion; floor: number }>): Uint32Array {
    const words = (this.view.nextId() + 31) >>> 5;
    if (this.tierBits.length < words) this.tierBits = new Uint32Array(words + (words >>> 4));
    const bits = this.tierBits;
    bits.fill(0, 0, words);
    for (const { expansion: e, floor } of tiers) {
      const maxima = this.blockMaxima(e.postings, e.field);
      const docs = maxima.topDocs;
      const factors = maxima.topFactors;
      const all = floor <= maxima.topFloor;
      for (let i = 0; i < maxima.topCount; i++) {
        if (!all && factors[i]! < floor) continue;
        const doc = docs[i]!;
        bits[doc >>> 5] = bits[doc >>> 5]! | (1 << (doc & 31));
      }
    }
    return bits;
  }

  /**
   * @internal The block maxima of a posting list of `field`, built on first use and brought up to date with
   * the list and the field's average length at every use after (see BlockMaxima.refresh).
   */
  blockMaxima(postings: Map<number, number>, field: number): BlockMaxima {
    // The field-length caches must cover every short id (outside a query too: the warm-up builds maxima).
    this.ensureCapacity();
    const average = this.view.averageFieldLength(field);
    let maxima = this.maxima.get(postings);
    if (maxima === undefined) {
      const lengthOf = field === TEXT_FIELD ? (doc: number) => this.fieldLengthOf(doc) : (doc: number) => this.partsLengthOf(doc);
      maxima = BlockMaxima.build(compact(postings), lengthOf, average);
      this.maxima.set(postings, maxima);
      this.maximaBuilt++;
    } else if (maxima.refresh(average)) this.maximaBuilt++;
    return maxima;
  }

  /** @internal */
  borrowList(capacity: number): DocList {
    const i = this.borrowed++;
    if (i === this.pool.length) this.pool.push(new DocList(capacity));
    return this.pool[i]!.reset(capacity);
  }

  /** @internal */
  resetPool(): void {
    this.borrowed = 0;
  }

  /** @internal A fresh, empty slot set. */
  beginUnion(): SlotSet {
    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    return new SlotSet(this.stamps, this.slots, this.stamp);
  }

  /** @internal Sizes the per-document arrays for the index as it is now. */
  ensureCapacity(): void {
    const nextId = this.view.nextId();
    if (this.stamps.length >= nextId) return;
    const n = Math.max(nextId, Math.ceil(this.stamps.length * 1.5), 1024);
    const lengths = new Int32Array(n);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const partsLengths = new Int32Array(n);
    partsLengths.set(this.partsLengths);
    this.partsLengths = partsLengths;
    const stamps = new Uint32Array(n);
    stamps.set(this.stamps);
    this.stamps = stamps;
    this.slots = new Int32Array(n);
  }

  /** The index terms a leaf matches with their weights: MiniSearch's `executeQuerySpec`, step for step. */
  private expand(leaf: LeafQuery): Expansion[] {
    const { terms } = this.view;
    const n = this.view.documentCount();
    const out: Expansion[] = [];
    // Each term in each field, fields in MiniSearch's order, a field's weight times its boost (as MiniSearch multiplies).
    let termsAdded = 0;
    const add = (term: string, postings: TermPostings | undefined, weight: number) => {
      const before = out.length;
      for (let field = 0; field < FIELDS.length; field++) {
        const freqs = postings?.get(field);
        if (freqs === undefined || freqs.size === 0) continue;
        const df = freqs.size;
        out.push({ term, postings: freqs, weight: field === PARTS_FIELD ? weight * PARTS_BOOST : weight, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)), field });
      }
      if (out.length > before) termsAdded++;
    };
    add(leaf.term, terms.get(leaf.term), 1);
    if (leaf.kind === 'prefix') {
      for (const [term, postings] of terms.atPrefix(leaf.term)) {
        const distance = term.length - leaf.term.length;
        if (!distance) continue;
        if (termsAdded >= MAX_EXPANSIONS) {
          throw new QueryError(
            'too_many_expansions',
            `"${leaf.source?.text ?? leaf.term}*" matches more than ${MAX_EXPANSIONS} words: make it longer`,
            leaf.source?.start ?? 0,
            leaf.source?.text ?? leaf.term,
          );
        }
        add(term, postings, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    } else if (leaf.kind === 'fuzzy' && leaf.distance > 0) {
      let matches = [...terms.fuzzyGet(leaf.term, leaf.distance)].filter(([, [, distance]]) => distance > 0);
      if (matches.length > MAX_EXPANSIONS) {
        // The closest ones, deterministically: by distance, then alphabetically.
        matches = matches.sort((a, b) => a[1][1] - b[1][1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_EXPANSIONS);
      }
      for (const [term, [postings, distance]] of matches) add(term, postings, (FUZZY_WEIGHT * term.length) / (term.length + distance));
    }
    return out;
  }
}

/** A phrase slot's plan without its parts-field expansions. */
function textOnly(plan: Plan): Plan {
  if (plan instanceof TermPlan) {
    const text = plan.expansions.filter((e) => e.field === TEXT_FIELD);
    if (text.length === plan.expansions.length) return plan;
    return text.length === 0 ? NOTHING : new TermPlan(text, plan.bit);
  }
  if (plan instanceof OrPlan) {
    const children = plan.children.map(textOnly).filter((c) => c !== NOTHING);
    return children.length === 0 ? NOTHING : children.length === 1 ? children[0]! : new OrPlan(children);
  }
  return plan;
}

/** The expansion terms of a compiled phrase slot (a term plan, or an OR of term plans). */
function termsOf(plan: Plan): string[] {
  if (plan instanceof TermPlan) return distinct(plan.expansions.map((e) => e.term));
  if (plan instanceof OrPlan) return plan.children.flatMap(termsOf);
  return [];
}

/** The top k (perhaps behind a date filter) that matches may be pruned for, or null for any other collector. */
function pruningSink(collector: Collector): PruningSink | null {
  let filter: DateFilter | null = null;
  let top: Collector = collector;
  if (top instanceof DateFilter) {
    filter = top;
    top = top.then;
  }
  if (top instanceof TopDocs) {
    const t = top;
    return { top: t, countsAll: false, filter, exactUpTo: t.exactUpTo, dayOf: t.order === 'date' ? (doc) => t.dayOf(doc) : null };
  }
  // A chain that must see every match (month counts, articles): what it keeps in the end decides what is scored.
  let link: Collector | null = collector;
  while (link instanceof DateFilter || link instanceof MonthCounts || link instanceof Counter) link = link.then;
  const keeper = link instanceof ArticleGroups && link.ranksByScore ? link : link instanceof TopDocs && link.order === 'relevance' ? link : null;
  if (keeper === null || collector.pass === undefined) return null;
  return countingSink(collector as Collector & { pass(doc: number): void }, keeper);
}

/** Documents in either of one or two posting lists: the smaller one's galloped through the larger. */
function unionSize(lists: CompactPostings[]): number {
  if (lists.length === 1) return lists[0]!.size;
  const [a, b] = lists[0]!.size <= lists[1]!.size ? [lists[0]!, lists[1]!] : [lists[1]!, lists[0]!];
  const raw = a.raw;
  const n = a.rawLength;
  let both = 0;
  // A plain scale of 1: only membership is asked, never a score or a bound.
  const cursor = new ListCursor(b, null, 1);
  for (let i = 0; i < n; i += 2) {
    if (raw[i + 1] === 0) continue;
    cursor.advance(raw[i]!);
    if (cursor.doc === raw[i]) both++;
  }
  return a.size + b.size - both;
}

/** The index keeps every posting list compact (minisearch-internals.ts): anything else is a broken invariant. */
function compact(postings: Map<number, number>): CompactPostings {
  if (!(postings instanceof CompactPostings)) throw new Error('query engine: postings are not CompactPostings');
  return postings;
}

/** The strings once each, in order (a few terms: a scan beats a Set). */
function distinct(items: string[]): string[] {
  const out: string[] = [];
  for (const item of items) if (!out.includes(item)) out.push(item);
  return out;
}

function popcount(mask: number): number {
  let n = mask - ((mask >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24 || 1;
}

/** The engine of an index's current generation (one per MiniSearch instance: `adopt` swaps it). */
const engines = new WeakMap<object, QueryEngine>();
export function engineFor(index: SearchIndex): QueryEngine {
  const mini = index.miniSearch;
  let engine = engines.get(mini);
  if (engine === undefined) {
    engine = new QueryEngine(mini, index.positions);
    engines.set(mini, engine);
  }
  return engine;
}
