/**
 * Read access to MiniSearch 7.2's internal index, for the snapshot writer and the query engine.
 * MiniSearch's own `toJSON` builds the whole serialized index in one synchronous call (seconds at a million
 * paragraphs, and a string V8 cannot hold); walking these structures lets the writer emit it in slices,
 * yielding between them. The query engine reads postings and field lengths to score without MiniSearch's
 * per-posting allocations (src/index/query-engine.ts).
 * Pinned to minisearch 7.2.0 (package.json); tests/index/minisearch-internals.test.ts checks that the walk
 * gives exactly what `toJSON` gives, so an upgrade that changes the internals fails there first.
 */
import MiniSearch, { type Options } from 'minisearch';
import { CompactPostings } from './compact-postings.js';

/** Postings of one term: field id → (document short id → term frequency). */
export type TermPostings = Map<number, Map<number, number>>;
/** A node of MiniSearch's radix tree: key fragments to child nodes; the empty key holds the term's postings. */
type TreeNode = Map<string, TreeNode | TermPostings>;

/** MiniSearch's radix tree (SearchableMap): exact, prefix and fuzzy term look-ups. */
interface TermTree {
  _tree: TreeNode;
  get(term: string): TermPostings | undefined;
  atPrefix(prefix: string): Iterable<[string, TermPostings]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [TermPostings, number]>;
}

interface Internals {
  _index: TermTree & { set(term: string, postings: TermPostings): void; delete(term: string): void; fetch(term: string, init: () => TermPostings): TermPostings };
  addDocumentId(id: string): number;
  addFieldLength(shortId: number, fieldId: number, count: number, length: number): void;
  removeFieldLength(shortId: number, fieldId: number, count: number, length: number): void;
  _storedFields: Map<number, unknown>;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldLength: Map<number, number[]>;
  _fieldIds: Record<string, number>;
  _nextId: number;
  _dirtCount: number;
  _documentCount: number;
  _avgFieldLength: number[];
}

function internals<T>(mini: MiniSearch<T>): Internals {
  const i = mini as unknown as Internals;
  if (!(i._index?._tree instanceof Map) || !(i._documentIds instanceof Map) || !(i._fieldLength instanceof Map)) {
    throw new Error('minisearch-internals: unexpected MiniSearch layout (is minisearch still 7.2.x?)');
  }
  return i;
}

/**
 * Every term with its postings, depth first. Live: the tree may change between two steps (a term added
 * or removed meanwhile may be missed or met twice); the caller must treat the articles changed during the
 * walk as unknown.
 */
export function* walkTerms<T>(mini: MiniSearch<T>): Generator<[string, TermPostings]> {
  const stack: Array<[string, Iterator<[string, TreeNode | TermPostings]>]> = [['', internals(mini)._index._tree.entries()]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const step = top[1].next();
    if (step.done) {
      stack.pop();
      continue;
    }
    const [key, value] = step.value;
    if (key === '') yield [top[0], value as TermPostings];
    else stack.push([top[0] + key, (value as TreeNode).entries()]);
  }
}

/** Document short id → document id (our paragraph id). Live, like `walkTerms`. */
export function documentIds<T>(mini: MiniSearch<T>): Map<number, string> {
  return internals(mini)._documentIds;
}

/** The short id of document `id`, or undefined when it is not indexed. */
export function shortIdOf<T>(mini: MiniSearch<T>, id: string): number | undefined {
  return internals(mini)._idToShortId.get(id);
}

/** Number of documents holding `term` in field `fieldId` (the first by default). */
export function documentFrequency<T>(mini: MiniSearch<T>, term: string, fieldId = 0): number {
  return internals(mini)._index.get(term)?.get(fieldId)?.size ?? 0;
}

/** Document short id → length of each field in terms. */
export function fieldLengths<T>(mini: MiniSearch<T>): Map<number, number[]> {
  return internals(mini)._fieldLength;
}

/** The scalar parts of MiniSearch's serialized form, as `toJSON` names them. */
export function indexMeta<T>(mini: MiniSearch<T>) {
  const i = internals(mini);
  return {
    documentCount: i._documentCount,
    nextId: i._nextId,
    fieldIds: i._fieldIds,
    averageFieldLength: i._avgFieldLength,
    dirtCount: i._dirtCount,
  };
}

/**
 * Adds one document whose indexed fields hold `fields[f]` (field id f's tokens after processing), leaving
 * MiniSearch's structures exactly as `add` would: the same short id, field lengths (distinct terms),
 * running averages, postings, and terms created in the same order (field by field). `add` walks
 * MiniSearch's radix tree for every occurrence (scanning each node's keys one by one) and reads and writes
 * its count there: most of the time indexing took. Here each occurrence costs one hash look-up in its
 * field's `cache`, which also counts occurrences, and each distinct term one posting write (DESIGN.md,
 * "Indexing"). tests/index/minisearch-internals.test.ts compares the result with `add`'s through `toJSON`.
 * @returns the document's short id
 * @throws Error (MiniSearch's own message) when the id is indexed already
 */
export function addDocumentFields<T>(mini: MiniSearch<T>, id: string, fields: ReadonlyArray<readonly string[]>, caches: readonly TermCache[]): number {
  const i = internals(mini);
  if (i._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${id}`);
  if (fields.length !== Object.keys(i._fieldIds).length) throw new Error(`minisearch-internals: ${fields.length} fields given, the index has ${Object.keys(i._fieldIds).length}`);
  const shortId = i.addDocumentId(id);
  // MiniSearch would start from `[]` and grow it to 17 slots on the first write: an exact array holds the same.
  i._fieldLength.set(shortId, new Array<number>(fields.length));
  for (let fieldId = 0; fieldId < fields.length; fieldId++) {
    const cache = caches[fieldId]!;
    if (cache.fieldId !== fieldId) throw new Error(`minisearch-internals: the term cache is for field ${cache.fieldId}, not ${fieldId}`);
    addFieldTerms(i, shortId, fieldId, fields[fieldId]!, cache);
  }
  return shortId;
}

function addFieldTerms(i: Internals, shortId: number, fieldId: number, terms: readonly string[], cache: TermCache): void {
  const seen = cache.seen;
  seen.length = 0;
  let distinct = 0;
  let empty = false;
  for (let t = 0; t < terms.length; t++) {
    const term = terms[t]!;
    if (!term) {
      empty = true; // MiniSearch counts an empty term in the length but never indexes it
      continue;
    }
    let slot = cache.slots.get(term);
    if (slot === undefined) {
      slot = { freqs: undefined, fields: undefined, doc: -1, count: 0 };
      cache.slots.set(term, slot);
    }
    if (slot.doc !== shortId) {
      slot.doc = shortId;
      slot.count = 1;
      distinct++;
      // Created now, in first-occurrence order, as `add` creates them.
      if (slot.freqs === undefined) slot.freqs = postingsOf(i, term, fieldId, slot);
      seen.push(slot);
    } else {
      slot.count++;
    }
  }
  i.addFieldLength(shortId, fieldId, i._documentCount - 1, distinct + (empty ? 1 : 0));
  for (let s = 0; s < seen.length; s++) seen[s]!.freqs!.set(shortId, seen[s]!.count);
}

/**
 * Removes one document that was added with `fields[f]` (field id f's tokens, as given to `addDocumentFields`),
 * leaving MiniSearch's structures exactly as `remove` would: the same field-length averages, postings gone, a
 * field's postings and then a term dropped from the tree when their last document goes, in the order `remove`
 * drops them (a term at its last occurrence). `remove` tokenizes the document again — the analyzer once more
 * per field — and walks the radix tree for every occurrence of every term; here each distinct term is found in
 * its field's `cache` (a tree walk only when the cache does not know it), and the cache loses only the terms
 * that left the tree, so it stays valid across removals (they had to discard it whole: DESIGN.md, "Writes and
 * readers"). tests/index/minisearch-internals.test.ts compares the result with `remove`'s through `toJSON`.
 * @returns the document's short id
 * @throws Error (MiniSearch's own message) when the id is not indexed
 */
export function removeDocumentFields<T>(mini: MiniSearch<T>, id: string, fields: ReadonlyArray<readonly string[]>, caches: readonly TermCache[]): number {
  const i = internals(mini);
  const shortId = i._idToShortId.get(id);
  if (shortId === undefined) throw new Error(`MiniSearch: cannot remove document with ID ${id}: it is not in the index`);
  for (let fieldId = 0; fieldId < fields.length; fieldId++) {
    const terms = fields[fieldId]!;
    const cache = caches[fieldId]!;
    if (cache.fieldId !== fieldId) throw new Error(`minisearch-internals: the term cache is for field ${cache.fieldId}, not ${fieldId}`);
    // Distinct terms from the last occurrence back: `remove` counts them with a Set (the empty term too) and
    // takes a posting out at the term's last occurrence.
    const distinct = new Set<string>();
    for (let t = terms.length - 1; t >= 0; t--) distinct.add(terms[t]!);
    i.removeFieldLength(shortId, fieldId, i._documentCount, distinct.size);
    const lastFirst = [...distinct];
    for (let t = lastFirst.length - 1; t >= 0; t--) {
      const term = lastFirst[t]!;
      if (term) removePosting(i, cache, term, fieldId, shortId);
    }
  }
  i._storedFields.delete(shortId);
  i._documentIds.delete(shortId);
  i._idToShortId.delete(id);
  i._fieldLength.delete(shortId);
  i._documentCount -= 1;
  return shortId;
}

function removePosting(i: Internals, cache: TermCache, term: string, fieldId: number, shortId: number): void {
  const slot = cache.slots.get(term);
  const fields = slot?.freqs !== undefined ? slot.fields! : i._index.get(term);
  // Not there: `remove` would warn that the document changed since it was added; ours never does.
  const freqs = fields?.get(fieldId);
  if (fields === undefined || freqs === undefined || freqs.get(shortId) === undefined) return;
  if (freqs.size <= 1) {
    fields.delete(fieldId);
    if (slot) slot.freqs = undefined;
  } else {
    freqs.delete(shortId);
  }
  if (fields.size === 0) {
    i._index.delete(term);
    cache.slots.delete(term);
  }
}

function postingsOf(i: Internals, term: string, fieldId: number, slot: TermSlot): Map<number, number> {
  const fields = i._index.fetch(term, newPostings);
  slot.fields = fields;
  let freqs = fields.get(fieldId);
  if (freqs === undefined) {
    freqs = newFieldPostings(fieldId);
    fields.set(fieldId, freqs);
  }
  return freqs;
}

/**
 * Postings for a new term in a field: compact ones (a typed array in short-id order, see CompactPostings),
 * which MiniSearch reads and changes through the `Map` interface it would use for its own.
 */
function newFieldPostings(_fieldId: number): Map<number, number> {
  return new CompactPostings();
}

const newPostings = (): TermPostings => new Map();

interface TermSlot {
  /** The term's postings in this field in MiniSearch's tree (set on first use; unset when they leave it). */
  freqs: Map<number, number> | undefined;
  /** The term's entry in the tree (all fields' postings), while `freqs` is set. */
  fields: TermPostings | undefined;
  /** The document being added when the term was last met, and its count there. */
  doc: number;
  count: number;
}

/**
 * Term → its postings map in MiniSearch's radix tree and a counter, so adding or removing a document finds a
 * known term in one hash look-up instead of a walk down the tree. MiniSearch drops a term from its tree when
 * its last document is removed: `removeDocumentFields` drops the term's slot with it. A removal by any other
 * way (MiniSearch's own `remove`, `discard`, `vacuum`) leaves the cache stale: its owner discards it then.
 */
export class TermCache {
  readonly slots = new Map<string, TermSlot>();
  /** Scratch: the slots met in the document being added, in first-occurrence order. */
  readonly seen: TermSlot[] = [];
  constructor(readonly fieldId: number) {}
}

/** The scalars `indexMeta` returns, to restore an index with. */
export type IndexMeta = ReturnType<typeof indexMeta>;

/**
 * Builds a MiniSearch from its parts without going through `loadJS`'s JSON form: the snapshot loader
 * hands over documents, field lengths and postings as it parses them, straight into MiniSearch's own
 * Maps. (`loadJS` needs the whole index as one object of objects first, and its async variant waits a
 * timer tick every 1,000 keys: most of a start-up went to those two.) The result is what `loadJS` makes
 * of the same data; tests/index/minisearch-internals.test.ts checks it against `toJSON`.
 */
export class MiniSearchRestorer<T> {
  private readonly mini: MiniSearch<T>;
  private readonly i: Internals;

  constructor(options: Options<T>) {
    // loadJS of an empty index gives a correctly instantiated MiniSearch; `finish` sets the scalars.
    const empty = { documentCount: 0, nextId: 0, fieldIds: {}, averageFieldLength: [], dirtCount: 0 };
    this.mini = MiniSearch.loadJS<T>({ ...empty, serializationVersion: 2, index: [], documentIds: {}, fieldLength: {}, storedFields: {} } as never, options);
    this.i = internals(this.mini);
  }

  document(shortId: number, id: string): void {
    this.i._documentIds.set(shortId, id);
    this.i._idToShortId.set(id, shortId);
  }

  fieldLengths(shortId: number, lengths: number[]): void {
    this.i._fieldLength.set(shortId, lengths);
  }

  /** The postings of `term` in field `fieldId`, created empty on first use; the caller adds to them in order. */
  postings(term: string, fieldId: number): Map<number, number> {
    let fields = this.i._index.get(term);
    if (fields === undefined) {
      fields = new Map();
      this.i._index.set(term, fields);
    }
    let freqs = fields.get(fieldId);
    if (freqs === undefined) {
      freqs = newFieldPostings(fieldId);
      fields.set(fieldId, freqs);
    }
    return freqs;
  }

  /** Sets the scalars (the snapshot holds them last) and returns the index. */
  finish(meta: IndexMeta): MiniSearch<T> {
    const i = this.i as Internals & { _fieldIds: Record<string, number> };
    i._documentCount = meta.documentCount;
    i._nextId = meta.nextId;
    i._fieldIds = meta.fieldIds;
    i._avgFieldLength = meta.averageFieldLength;
    i._dirtCount = meta.dirtCount;
    return this.mini;
  }
}

/** What BM25 scoring reads from a MiniSearch index. Live: read at query time, it changes with every add and remove. */
export interface ScoringView {
  readonly terms: TermTree;
  readonly documentIds: Map<number, string>;
  readonly fieldLength: Map<number, number[]>;
  documentCount(): number;
  averageFieldLength(fieldId: number): number;
  dirtCount(): number;
  nextId(): number;
  readonly fieldIds: Record<string, number>;
}

export function scoringView<T>(mini: MiniSearch<T>): ScoringView {
  const i = internals(mini);
  // Getters: MiniSearch replaces these objects when it is cleared (`removeAll()` without arguments).
  return {
    get terms() { return i._index; },
    get documentIds() { return i._documentIds; },
    get fieldLength() { return i._fieldLength; },
    documentCount: () => i._documentCount,
    averageFieldLength: (fieldId) => i._avgFieldLength[fieldId] ?? 0,
    dirtCount: () => i._dirtCount,
    nextId: () => i._nextId,
    get fieldIds() { return i._fieldIds; },
  };
}
