/**
 * Our query evaluator over MiniSearch's index: the same BM25 scores and the same matches as MiniSearch's
 * own `search`, but only the top k ranked, AND evaluated from its most selective clause outward, and no
 * object allocated per posting. DESIGN.md ("The query engine") has the profile that led here.
 */
import type MiniSearch from 'minisearch';
import { scoringView, type ScoringView } from './minisearch-internals.js';

/** A term to look up: exactly, or also as a prefix of longer terms, or also within an edit distance. */
export interface TermQuery {
  term: string;
  /** Also match every longer term that starts with `term`. */
  prefix?: boolean;
  /** Also match terms within this many edits (Levenshtein distance, a whole number ≥ 1). */
  fuzzy?: number;
}

/** A query over index terms: a term, or terms and sub-queries combined with AND or OR. */
export type QueryNode = string | TermQuery | { combineWith: 'AND' | 'OR'; queries: QueryNode[] };

/** One ranked match: MiniSearch's document short id, its external id, and its final score. */
export interface RankedDoc {
  shortId: number;
  id: string;
  score: number;
}

export interface TopResult {
  /** Every document matching the query (not only the top k). */
  total: number;
  /** The best `k`, best first; ties by paragraph id (article id, then paragraph number). */
  top: RankedDoc[];
  /** The index terms a matching document matched on (what MiniSearch reports as a result's `terms`). */
  matchedTerms(shortId: number): string[];
}

// MiniSearch 7.2's defaults, which our index uses unchanged (miniSearchOptions sets none of them). The
// equivalence test (tests/index/query-engine.test.ts) fails if they ever disagree with MiniSearch.
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;
/**
 * A term gets a membership bitset (one bit per short id) when it has at least this many postings and is
 * about to be probed at least MIN_PROBES_FOR_BITS times: a probe then costs a bit test instead of a hash
 * look-up for every candidate the term does not hold (most of them, for two frequent words).
 */
const MIN_POSTINGS_FOR_BITS = 1024;
const MIN_PROBES_FOR_BITS = 256;
/** Bitsets kept (least recently used dropped): a few hundred frequent terms cover most probing. */
const MAX_BITSETS = 256;

/** The final score is multiplied by the number of distinct query terms matched; we count them in a bit mask. */
const MAX_SOURCE_TERMS = 31;

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

/** The per-query state a plan reads and writes: statistics, the probe accumulator, scratch arrays. */
class Evaluation {
  /** Probe accumulator: what the last successful probe added. */
  score = 0;
  mask = 0;
  readonly documentCount: number;
  readonly avgLength: number;

  constructor(
    readonly engine: QueryEngine,
    readonly view: ScoringView,
  ) {
    this.documentCount = view.documentCount();
    this.avgLength = view.averageFieldLength(0);
  }

  /** An empty list from the engine's pool (no query keeps a list past its own evaluation). */
  list(capacity: number): DocList {
    return this.engine.borrowList(capacity);
  }

  /** MiniSearch's BM25 for one posting, written operation for operation as MiniSearch computes it. */
  bm25(idf: number, termFreq: number, doc: number): number {
    const fieldLength = this.engine.fieldLengthOf(doc);
    return idf * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / this.avgLength)));
  }
}

/** A compiled query node. */
interface Plan {
  /** Upper bound on the documents it matches (the sum of its postings' lengths, or of its children's). */
  readonly size: number;
  /** Map look-ups one probe costs. */
  readonly probeCost: number;
  /** Every matching document with its score and matched-term mask. */
  enumerate(ev: Evaluation): DocList;
  /** Whether `doc` matches; if it does, adds its score and mask to `ev.score`/`ev.mask`. */
  probe(ev: Evaluation, doc: number): boolean;
  /** Whether `doc` matches; if it does, pushes the index terms it matched on to `out`. */
  collect(doc: number, out: string[]): boolean;
  /** Readies the plan for about `probes` probes (a frequent term fetches its membership bitset). */
  prepareProbes(ev: Evaluation, probes: number): void;
}

/** One term of the index that a leaf matches, with its weight (1 exact, less for prefix and fuzzy) and IDF. */
interface Expansion {
  term: string;
  postings: Map<number, number>;
  weight: number;
  idf: number;
}

class TermPlan implements Plan {
  readonly size: number;
  readonly probeCost: number;
  /** Membership of a frequent term's documents, when probes are many: most probes then end at one bit. */
  private bits: Uint32Array | null = null;

  constructor(
    private readonly expansions: Expansion[],
    private readonly bit: number,
  ) {
    let size = 0;
    for (const e of expansions) size += e.postings.size;
    this.size = size;
    this.probeCost = expansions.length;
  }

  /** One exact term: its postings are its matches, one per document. */
  get isSingleTerm(): boolean {
    return this.expansions.length === 1;
  }

  /** For a single term: offers every posting to `heap` (a one-term query's quality is 1) and ranks. */
  rankInto(ev: Evaluation, heap: TopK): RankedDoc[] {
    const { postings, weight, idf } = this.expansions[0]!;
    postings.forEach((tf, doc) => heap.offer(doc, weight * ev.bm25(idf, tf, doc)));
    return heap.sorted();
  }

  enumerate(ev: Evaluation): DocList {
    const { expansions, bit } = this;
    const list = ev.list(this.size);
    if (expansions.length === 1) {
      const { postings, weight, idf } = expansions[0]!;
      // forEach, not for…of: no [key, value] pair per posting (measurably faster on long postings).
      postings.forEach((tf, doc) => list.push(doc, weight * ev.bm25(idf, tf, doc), bit));
      return list;
    }
    // Several terms (prefix or fuzzy): a document's scores from each add up, in MiniSearch's order.
    const union = ev.engine.beginUnion();
    for (const { postings, weight, idf } of expansions) {
      for (const [doc, tf] of postings) {
        const s = weight * ev.bm25(idf, tf, doc);
        const at = union.slotOf(doc);
        if (at < 0) {
          union.assign(doc, list.length);
          list.push(doc, s, bit);
        } else {
          list.scores[at] = list.scores[at]! + s;
        }
      }
    }
    return list;
  }

  prepareProbes(ev: Evaluation, probes: number): void {
    if (this.expansions.length === 1 && probes >= MIN_PROBES_FOR_BITS && this.size >= MIN_POSTINGS_FOR_BITS) {
      this.bits = ev.engine.membership(this.expansions[0]!.postings);
    }
  }

  probe(ev: Evaluation, doc: number): boolean {
    const bits = this.bits;
    if (bits !== null && (bits[doc >>> 5]! & (1 << (doc & 31))) === 0) return false;
    let found = false;
    for (const { postings, weight, idf } of this.expansions) {
      const tf = postings.get(doc);
      if (tf === undefined) continue;
      ev.score += weight * ev.bm25(idf, tf, doc);
      found = true;
    }
    if (found) ev.mask |= this.bit;
    return found;
  }

  collect(doc: number, out: string[]): boolean {
    let found = false;
    for (const e of this.expansions) {
      if (e.postings.has(doc)) {
        out.push(e.term);
        found = true;
      }
    }
    return found;
  }
}

class OrPlan implements Plan {
  readonly size: number;
  readonly probeCost: number;

  constructor(private readonly children: Plan[]) {
    this.size = children.reduce((n, c) => n + c.size, 0);
    this.probeCost = children.reduce((n, c) => n + c.probeCost, 0);
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

  collect(doc: number, out: string[]): boolean {
    let any = false;
    for (const child of this.children) if (child.collect(doc, out)) any = true;
    return any;
  }
}

class AndPlan implements Plan {
  readonly size: number;
  readonly probeCost: number;
  /** Most selective first: it bounds the candidates, and probes fail early on it. */
  private readonly children: Plan[];

  constructor(children: Plan[]) {
    this.children = [...children].sort((a, b) => a.size - b.size);
    this.size = this.children[0]!.size;
    this.probeCost = this.children.reduce((n, c) => n + c.probeCost, 0);
  }

  enumerate(ev: Evaluation): DocList {
    const [first, ...rest] = this.children;
    const list = first!.enumerate(ev);
    for (const child of rest) {
      if (list.length === 0) break;
      // Look each candidate up in the child's postings, unless walking the child is cheaper (a prefix or
      // fuzzy leaf with many terms, or a child about as frequent as the candidates).
      if (child.size <= list.length * child.probeCost) this.intersectByWalking(ev, list, child);
      else this.intersectByProbing(ev, list, child);
    }
    return list;
  }

  prepareProbes(ev: Evaluation, probes: number): void {
    for (const child of this.children) child.prepareProbes(ev, probes);
  }

  private intersectByProbing(ev: Evaluation, list: DocList, child: Plan): void {
    child.prepareProbes(ev, list.length);
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const doc = list.docs[i]!;
      ev.score = 0;
      ev.mask = 0;
      if (!child.probe(ev, doc)) continue;
      list.docs[kept] = doc;
      list.scores[kept] = list.scores[i]! + ev.score;
      list.masks[kept] = list.masks[i]! | ev.mask;
      kept++;
    }
    list.length = kept;
  }

  private intersectByWalking(ev: Evaluation, list: DocList, child: Plan): void {
    const other = child.enumerate(ev);
    const candidates = ev.engine.beginUnion();
    for (let i = 0; i < list.length; i++) candidates.assign(list.docs[i]!, i);
    const matched = new Uint8Array(list.length);
    for (let j = 0; j < other.length; j++) {
      const at = candidates.slotOf(other.docs[j]!);
      if (at < 0) continue;
      list.scores[at] = list.scores[at]! + other.scores[j]!;
      list.masks[at] = list.masks[at]! | other.masks[j]!;
      matched[at] = 1;
    }
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      if (matched[i] === 0) continue;
      list.docs[kept] = list.docs[i]!;
      list.scores[kept] = list.scores[i]!;
      list.masks[kept] = list.masks[i]!;
      kept++;
    }
    list.length = kept;
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
    return true;
  }

  collect(doc: number, out: string[]): boolean {
    const found: string[] = [];
    for (const child of this.children) if (!child.collect(doc, found)) return false;
    for (const t of found) out.push(t);
    return true;
  }
}

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

/** The query engine of one MiniSearch instance (short ids and their field lengths are per instance). */
export class QueryEngine {
  private readonly view: ScoringView;
  /** Field length + 1 by short id; 0 = not read yet. A short id is never reused, so entries never go stale. */
  private lengths = new Int32Array(0);
  private stamps = new Uint32Array(0);
  private slots = new Int32Array(0);
  private stamp = 0;
  /**
   * Lists reused from query to query: a query over frequent terms needs lists of hundreds of thousands of
   * entries, and allocating them anew each time made garbage collection a visible share of the p99.
   */
  private readonly pool: DocList[] = [];
  private borrowed = 0;
  private readonly bitsets = new Map<Map<number, number>, Uint32Array>();
  private bitsetState = '';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document type: only the index is read
  constructor(mini: MiniSearch<any>) {
    this.view = scoringView(mini);
  }

  /** Documents matching `query`, counted, and the best `k` of them ranked exactly as MiniSearch ranks them. */
  top(query: QueryNode, k: number): TopResult | null {
    const view = this.view;
    // Documents discarded but not yet vacuumed would need MiniSearch's lazy clean-up; our index never discards.
    if (view.dirtCount() > 0) return null;
    const bits = new Map<string, number>();
    const plan = this.compile(query, bits);
    if (plan === null) return null;
    this.ensureCapacity(view.nextId());
    const ev = new Evaluation(this, view);
    this.borrowed = 0;
    let total: number;
    let top: RankedDoc[];
    if (plan instanceof TermPlan && plan.isSingleTerm) {
      // One term (the commonest query): straight from its postings into the top k, no list in between.
      total = plan.size;
      top = k <= 0 || total === 0 ? [] : plan.rankInto(ev, this.topK(Math.min(k, total)));
    } else {
      const list = plan.enumerate(ev);
      total = list.length;
      top = this.rank(list, k);
    }
    this.borrowed = 0;
    return {
      total,
      top,
      // From the compiled plan: the terms a top hit matched, for highlighting, without searching again.
      matchedTerms: (shortId) => {
        const out: string[] = [];
        return plan.collect(shortId, out) ? [...new Set(out)] : [];
      },
    };
  }

  /** The index terms a leaf matches (the term itself, and its prefix or fuzzy expansions) that occur. */
  expandTerms(leaf: TermQuery): string[] {
    return this.expand(leaf).map((e) => e.term);
  }

  /** Number of documents holding `term`. */
  documentFrequency(term: string): number {
    return this.view.terms.get(term)?.get(0)?.size ?? 0;
  }

  /** @internal */
  fieldLengthOf(doc: number): number {
    const cached = this.lengths[doc]!;
    if (cached !== 0) return cached - 1;
    const length = this.view.fieldLength.get(doc)![0]!;
    this.lengths[doc] = length + 1;
    return length;
  }

  /**
   * @internal The membership bitset of `postings`, built on first use and kept while the index is
   * unchanged: any add bumps MiniSearch's next id and any removal lowers its document count, so that pair
   * identifies the index state the bitsets were built in.
   */
  membership(postings: Map<number, number>): Uint32Array {
    const state = `${this.view.nextId()}:${this.view.documentCount()}`;
    if (state !== this.bitsetState) {
      this.bitsets.clear();
      this.bitsetState = state;
    }
    let bits = this.bitsets.get(postings);
    if (bits !== undefined) {
      this.bitsets.delete(postings); // most recently used last
      this.bitsets.set(postings, bits);
      return bits;
    }
    bits = new Uint32Array((this.view.nextId() + 31) >>> 5);
    postings.forEach((_tf, doc) => {
      bits![doc >>> 5] = bits![doc >>> 5]! | (1 << (doc & 31));
    });
    if (this.bitsets.size >= MAX_BITSETS) this.bitsets.delete(this.bitsets.keys().next().value!);
    this.bitsets.set(postings, bits);
    return bits;
  }

  /** @internal */
  borrowList(capacity: number): DocList {
    const i = this.borrowed++;
    if (i === this.pool.length) this.pool.push(new DocList(capacity));
    return this.pool[i]!.reset(capacity);
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

  private ensureCapacity(nextId: number): void {
    if (this.stamps.length >= nextId) return;
    const n = Math.max(nextId, Math.ceil(this.stamps.length * 1.5), 1024);
    const lengths = new Int32Array(n);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const stamps = new Uint32Array(n);
    stamps.set(this.stamps);
    this.stamps = stamps;
    this.slots = new Int32Array(n);
  }

  /** Compiles a query node; null when it has more distinct source terms than the mask can count. */
  private compile(node: QueryNode, bits: Map<string, number>): Plan | null {
    if (typeof node === 'string' || !('queries' in node)) {
      const leaf = typeof node === 'string' ? { term: node } : node;
      // MiniSearch drops empty terms, so an empty leaf matches nothing (not every term as a prefix).
      if (leaf.term === '') return new TermPlan([], 0);
      let bit = bits.get(leaf.term);
      if (bit === undefined) {
        if (bits.size >= MAX_SOURCE_TERMS) return null;
        bit = 1 << bits.size;
        bits.set(leaf.term, bit);
      }
      return new TermPlan(this.expand(leaf), bit);
    }
    const children: Plan[] = [];
    for (const q of node.queries) {
      const child = this.compile(q, bits);
      if (child === null) return null;
      children.push(child);
    }
    if (children.length === 0) return new TermPlan([], 0);
    return node.combineWith === 'AND' ? new AndPlan(children) : new OrPlan(children);
  }

  /** The index terms a leaf matches with their weights: MiniSearch's `executeQuerySpec`, step for step. */
  private expand(leaf: TermQuery): Expansion[] {
    const { terms } = this.view;
    const n = this.view.documentCount();
    const out: Expansion[] = [];
    const add = (term: string, postings: Map<number, Map<number, number>> | undefined, weight: number) => {
      const freqs = postings?.get(0);
      if (freqs === undefined || freqs.size === 0) return;
      const df = freqs.size;
      out.push({ term, postings: freqs, weight, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) });
    };
    add(leaf.term, terms.get(leaf.term), 1);
    let fuzzyMatches: Map<string, [Map<number, Map<number, number>>, number]> | undefined;
    if (leaf.fuzzy) {
      const maxDistance = leaf.fuzzy < 1 ? Math.min(MAX_FUZZY, Math.round(leaf.term.length * leaf.fuzzy)) : leaf.fuzzy;
      if (maxDistance) fuzzyMatches = terms.fuzzyGet(leaf.term, maxDistance);
    }
    if (leaf.prefix) {
      for (const [term, postings] of terms.atPrefix(leaf.term)) {
        const distance = term.length - leaf.term.length;
        if (!distance) continue;
        fuzzyMatches?.delete(term);
        add(term, postings, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    if (fuzzyMatches) {
      for (const [term, [postings, distance]] of fuzzyMatches) {
        if (!distance) continue;
        add(term, postings, (FUZZY_WEIGHT * term.length) / (term.length + distance));
      }
    }
    return out;
  }

  /** The best k of `list` by final score (score × distinct terms matched), best first. */
  private rank(list: DocList, k: number): RankedDoc[] {
    if (k <= 0 || list.length === 0) return [];
    const heap = this.topK(Math.min(k, list.length));
    for (let i = 0; i < list.length; i++) heap.offer(list.docs[i]!, list.scores[i]! * popcount(list.masks[i]!));
    return heap.sorted();
  }

  private topK(k: number): TopK {
    const ids = this.view.documentIds;
    return new TopK(k, (doc) => ids.get(doc)!);
  }
}

function popcount(mask: number): number {
  let n = mask - ((mask >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24 || 1;
}

/**
 * Paragraph ids `<article id>#<n>` in reading order: by article id, then paragraph number. The tie order of
 * equal scores, so a page is the same whichever way the scores were summed.
 */
export function compareParagraphIds(a: string, b: string): number {
  // Without slicing: equal scores are common (short paragraphs, term frequency 1), so the top-k heap
  // compares ids for many postings of a frequent term.
  const ha = a.lastIndexOf('#');
  const hb = b.lastIndexOf('#');
  const la = ha < 0 ? a.length : ha;
  const lb = hb < 0 ? b.length : hb;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (la !== lb) return la < lb ? -1 : 1;
  return paragraphNumber(a, ha) - paragraphNumber(b, hb);
}

/** The number after `#` at `hash` (0 when there is none). */
function paragraphNumber(id: string, hash: number): number {
  let n = 0;
  if (hash < 0) return n;
  for (let i = hash + 1; i < id.length; i++) n = n * 10 + (id.charCodeAt(i) - 48);
  return n;
}

/** A bounded min-heap keeping the k best (highest score; on equal scores, the earlier paragraph). */
class TopK {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(
    private readonly k: number,
    private readonly idOf: (doc: number) => string,
  ) {
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** True when (sa, da) ranks below (sb, db). */
  private worse(sa: number, da: number, sb: number, db: number): boolean {
    if (sa !== sb) return sa < sb;
    return compareParagraphIds(this.idOf(da), this.idOf(db)) > 0;
  }

  offer(doc: number, score: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, doc, this.scores[parent]!, this.docs[parent]!)) break;
        this.docs[i] = this.docs[parent]!;
        this.scores[i] = this.scores[parent]!;
        i = parent;
      }
      this.docs[i] = doc;
      this.scores[i] = score;
      return;
    }
    // Full: only something better than the worst kept gets in (most postings stop at this comparison).
    if (score < this.scores[0]! || !this.worse(this.scores[0]!, this.docs[0]!, score, doc)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      let c = l;
      if (r < this.size && this.worse(this.scores[r]!, this.docs[r]!, this.scores[l]!, this.docs[l]!)) c = r;
      if (!this.worse(this.scores[c]!, this.docs[c]!, score, doc)) break;
      this.docs[i] = this.docs[c]!;
      this.scores[i] = this.scores[c]!;
      i = c;
    }
    this.docs[i] = doc;
    this.scores[i] = score;
  }

  sorted(): RankedDoc[] {
    const out: RankedDoc[] = [];
    for (let i = 0; i < this.size; i++) out.push({ shortId: this.docs[i]!, id: this.idOf(this.docs[i]!), score: this.scores[i]! });
    return out.sort((a, b) => (a.score !== b.score ? b.score - a.score : compareParagraphIds(a.id, b.id)));
  }
}
