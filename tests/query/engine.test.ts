import fc from 'fast-check';
import type MiniSearch from 'minisearch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { foldDiacritics } from '../../src/analysis/normalize.js';
import type { Article } from '../../src/articles/article.js';
import type { SearchIndex } from '../../src/index/search-index.js';
import { compareParagraphIds } from '../../src/paragraphs/paragraphs.js';
import { Counter, TopDocs } from '../../src/query/collectors.js';
import { engineFor, MAX_EXPANSIONS, QueryEngine } from '../../src/query/engine.js';
import { QueryError } from '../../src/query/query-error.js';
import { foldQuery, hasPhrase, leaves, q, rewriteQuery, toMiniSearchQuery, type LeafQuery, type OrQuery, type PhraseSlot, type Query } from '../../src/query/tree.js';
import { buildIndex, fixtureArticles, generatedArticles } from '../helpers/corpus.js';
import { prng } from '../helpers/random.js';
import { reference, top, tree } from '../helpers/query.js';
import { udArticles } from '../helpers/ud.js';

/** An index that has seen changes: some articles replaced and some removed, so short ids have gaps. */
function changedIndex(articles: Article[]): SearchIndex {
  const index = buildIndex(articles);
  const random = prng(7);
  for (const article of articles) {
    const r = random();
    if (r < 0.1) index.removeArticle(article.id);
    else if (r < 0.2) index.replaceArticle({ ...article, paragraphs: [...article.paragraphs].reverse().slice(0, 3) });
  }
  return index;
}

/** Index terms, most frequent first. */
function termsByFrequency(index: SearchIndex): string[] {
  const counts = new Map<string, number>();
  for (const article of index.allArticles()) {
    for (const p of article.paragraphs) for (const t of new Set([...index.analyzer.indexTerms(p), ...index.analyzer.partTerms(p)])) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
}

/** Random leaves over the index's own terms (frequent and rare), unknown terms, prefixes and typos. */
function leafArbitrary(terms: string[]): fc.Arbitrary<LeafQuery> {
  const known = fc.integer({ min: 0, max: terms.length - 1 }).map((i) => terms[i]!);
  const frequent = fc.integer({ min: 0, max: Math.min(30, terms.length - 1) }).map((i) => terms[i]!);
  const term = fc.oneof({ weight: 4, arbitrary: known }, { weight: 3, arbitrary: frequent }, { weight: 1, arbitrary: fc.constantFrom('xyzzy', 'qqq') });
  return fc.oneof(
    { weight: 6, arbitrary: term.map(q.term) },
    { weight: 1, arbitrary: term.filter((t) => t.length >= 3).map((t) => q.prefix(t.slice(0, Math.max(2, t.length - 3)))) },
    { weight: 1, arbitrary: fc.tuple(term, fc.constantFrom(1, 2)).map(([t, d]) => q.fuzzy(t, d)) },
  );
}

/** Random trees of AND, OR and AND-with-exclusions over leaves (what MiniSearch's search can express). */
function treeArbitrary(leaf: fc.Arbitrary<Query>): fc.Arbitrary<Query> {
  const { node } = fc.letrec<{ node: Query }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((children): Query => ({ kind: 'or', children })),
      fc
        .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), fc.array(tie('node'), { maxLength: 2 }))
        .map(([positive, negative]): Query => ({ kind: 'and', children: [...positive, ...negative.map((n) => q.not(n))] })),
    ),
  }));
  return node;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Our top k against MiniSearch's own search: same count, same scores rank by rank, same ids up to ties. */
function expectSameTopK(index: SearchIndex, query: Query, k: number): void {
  const expected = reference(index, query);
  const ours = top(index, query, k);
  expect(ours.total).toBe(expected.length);
  expect(ours.matches).toHaveLength(Math.min(k, expected.length));
  const referenceById = new Map(expected.map((m) => [m.id, m]));
  ours.matches.forEach((m, rank) => {
    const ref = referenceById.get(m.id);
    expect(ref, `${m.id} is not a MiniSearch match`).toBeDefined();
    expect(close(m.score, ref!.score), `score of ${m.id}: ${m.score} vs ${ref!.score}`).toBe(true);
    expect(close(m.score, expected[rank]!.score), `score at rank ${rank}`).toBe(true);
    expect(new Set(m.terms)).toEqual(new Set(ref!.terms));
  });
  // Ranked best first, equal scores in paragraph order.
  for (let i = 1; i < ours.matches.length; i++) {
    const [a, b] = [ours.matches[i - 1]!, ours.matches[i]!];
    expect(a.score > b.score || (a.score === b.score && compareParagraphIds(a.id, b.id) < 0)).toBe(true);
  }
}

// ---- the brute-force oracle for phrases and exclusions -----------------------------------------------

/** A paragraph as the oracle sees it: its positions (words and compound parts), from the analyzer's tokens. */
interface OraclePosition {
  terms: readonly string[];
  /** A closed compound's parts' terms: a word query matches them, a phrase slot does not. */
  partTerms: readonly string[];
  stopword: string | null;
}

const positionsCache = new Map<string, OraclePosition[]>();
function oraclePositions(index: SearchIndex, text: string): OraclePosition[] {
  let positions = positionsCache.get(text);
  if (positions === undefined) {
    positions = index.analyzer.analyze(text).flatMap((token) =>
      (token.parts ?? [token]).map((p) => ({ terms: p.terms, partTerms: p.partTerms, stopword: p.stopword ? foldDiacritics(p.normalized) : null })),
    );
    positionsCache.set(text, positions);
  }
  return positions;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Whether one term satisfies a leaf, as the leaf's kind defines it. */
function leafAccepts(leaf: LeafQuery, term: string): boolean {
  if (leaf.term === '') return false;
  if (leaf.kind === 'term') return term === leaf.term;
  if (leaf.kind === 'prefix') return term.startsWith(leaf.term);
  return editDistance(term, leaf.term) <= leaf.distance;
}

/**
 * The query as a predicate over a paragraph's positions, evaluated directly, with no index at all: each leaf
 * becomes the set of terms it accepts (its kind's rule applied to every term of `vocabulary`).
 */
function oracle(query: Query, vocabulary: readonly string[]): (positions: OraclePosition[]) => boolean {
  const accepted = new Map<LeafQuery, Set<string>>();
  const accepts = (leaf: LeafQuery) => {
    let set = accepted.get(leaf);
    if (set === undefined) {
      set = new Set(vocabulary.filter((t) => leafAccepts(leaf, t)));
      accepted.set(leaf, set);
    }
    return set;
  };
  type Test = (positions: OraclePosition[]) => boolean;
  const has = (leaf: LeafQuery): Test => {
    const set = accepts(leaf);
    return (positions) => positions.some((p) => p.terms.some((t) => set.has(t)) || p.partTerms.some((t) => set.has(t)));
  };
  /** Whether one position satisfies a phrase slot's word query (a leaf or an OR of leaves). */
  const atPosition = (node: Query, p: OraclePosition): boolean =>
    node.kind === 'or' ? node.children.some((c) => atPosition(c, p)) : p.terms.some((t) => accepts(node as LeafQuery).has(t));
  return foldQuery<Test>(query, {
    term: has,
    prefix: has,
    fuzzy: has,
    and: (node, children) => (positions) => children.every((c, i) => (node.children[i]!.kind === 'not' ? !c(positions) : c(positions))),
    or: (_node, children) => (positions) => children.some((c) => c(positions)),
    not: (_node, child) => child,
    phrase: (node) => (positions) => {
      const n = node.slots.length;
      const slotAccepts = (slot: PhraseSlot, p: OraclePosition) =>
        slot.kind === 'stopword' ? slot.word !== null && p.stopword === slot.word : atPosition(slot.query, p);
      for (let i = 0; i + n <= positions.length; i++) if (node.slots.every((slot, j) => slotAccepts(slot, positions[i + j]!))) return true;
      return false;
    },
  });
}

/** Every paragraph the oracle matches. */
function oracleIds(index: SearchIndex, query: Query): string[] {
  const matches = oracle(query, vocabularyOf(index));
  const out: string[] = [];
  for (const article of index.allArticles()) {
    article.paragraphs.forEach((text, i) => {
      if (matches(oraclePositions(index, text))) out.push(`${article.id}#${i + 1}`);
    });
  }
  return out.sort(compareParagraphIds);
}

const vocabularies = new WeakMap<SearchIndex, string[]>();
function vocabularyOf(index: SearchIndex): string[] {
  let terms = vocabularies.get(index);
  if (terms === undefined) {
    terms = termsByFrequency(index);
    vocabularies.set(index, terms);
  }
  return terms;
}

/** Phrases taken from real paragraphs (so they match), sometimes changed so they do not, plus stopword slots. */
function phraseArbitrary(index: SearchIndex, leaf: fc.Arbitrary<LeafQuery>): fc.Arbitrary<Query> {
  const texts = [...index.allArticles()].flatMap((a) => a.paragraphs);
  const fromText = fc.tuple(fc.integer({ min: 0, max: texts.length - 1 }), fc.nat(), fc.integer({ min: 2, max: 4 }), fc.boolean()).map(([t, at, n, shuffle]) => {
    const positions = oraclePositions(index, texts[t]!);
    const start = positions.length <= n ? 0 : at % (positions.length - n);
    const window = positions.slice(start, start + n);
    const slots: PhraseSlot[] = window.map((p) =>
      p.stopword !== null || p.terms.length === 0
        ? { kind: 'stopword', word: p.stopword }
        : { kind: 'word', query: (p.terms.length === 1 ? q.term(p.terms[0]!) : { kind: 'or', children: p.terms.map(q.term) }) as LeafQuery | OrQuery },
    );
    return shuffle ? slots.reverse() : slots;
  });
  const random = fc.array(
    fc.oneof({ weight: 3, arbitrary: leaf.map((l): PhraseSlot => ({ kind: 'word', query: l })) }, { weight: 1, arbitrary: fc.constantFrom<PhraseSlot>({ kind: 'stopword', word: 'de' }, { kind: 'stopword', word: 'en' }) }),
    { minLength: 2, maxLength: 3 },
  );
  return fc
    .oneof({ weight: 3, arbitrary: fromText }, { weight: 1, arbitrary: random })
    .filter((slots) => slots.some((s) => s.kind === 'word'))
    .map((slots): Query => ({ kind: 'phrase', slots }));
}

/**
 * A phrase scores as the AND of its words in the text field (never compound parts) where it matches, and as
 * nothing where it does not: for one paragraph, MiniSearch's ranking of the query whose score ours must equal.
 */
function phrasesAsAndFor(index: SearchIndex, query: Query, positions: OraclePosition[], vocab: readonly string[]): Array<{ id: string; score: number }> {
  const mini = index.miniSearch as MiniSearch;
  const asAnd = toMiniSearchQuery(query, (node, slots) =>
    oracle(node, vocab)(positions) ? { combineWith: 'AND', queries: slots.filter((s) => s !== null), fields: ['text'] } : '\u0000nergens',
  );
  return mini.search(asAnd as Parameters<MiniSearch['search']>[0]).map((r) => ({ id: r.id as string, score: r.score }));
}

/** Ours against the oracle (which paragraphs match) and against MiniSearch (the scores of a few of them). */
function expectOracle(index: SearchIndex, query: Query): void {
  const ours = top(index, query, 100_000);
  expect(ours.matches.map((m) => m.id).sort(compareParagraphIds)).toEqual(oracleIds(index, query));
  for (const m of ours.matches.slice(0, 4)) {
    const positions = oraclePositions(index, index.getParagraph(m.id)!.text);
    const expected = phrasesAsAndFor(index, query, positions, vocabularyOf(index)).find((r) => r.id === m.id);
    expect(expected, `${m.id} matches the phrases-as-AND query`).toBeDefined();
    expect(close(m.score, expected!.score), `score of ${m.id}: ${m.score} vs ${expected!.score}`).toBe(true);
  }
}

/** Queries the engine accepts: at most 32 distinct terms (the cap has its own test). */
const withinCap = (query: Query) => new Set(leaves(query).map((l) => l.term)).size <= 32;

describe('engine', () => {
  afterEach(() => vi.restoreAllMocks());

  describe('QueryEngine.compile and CompiledQuery.run, against MiniSearch', () => {
    const index = changedIndex(generatedArticles(1500, 42));
    const terms = termsByFrequency(index);

    it('ranks a few known queries exactly as MiniSearch does', () => {
      const [a, b, c] = terms as [string, string, string];
      for (const query of [a, { and: [a, b] }, { or: [a, { and: [b, c] }] }, { and: [a, { not: b }] }]) {
        for (const k of [1, 10, 100_000]) expectSameTopK(index, tree(query), k);
      }
    });

    it('counts every match of one frequent term as MiniSearch does, and ranks only k', () => {
      const ours = top(index, terms[0]!, 5);
      expect(ours.total).toBe(reference(index, terms[0]!).length);
      expect(ours.total).toBeGreaterThan(100);
      expect(ours.matches).toHaveLength(5);
      expectSameTopK(index, q.term(terms[0]!), 5);
    });

    it('probes frequent terms through membership bitsets, built once and rebuilt when the index changes', () => {
      const built = vi.spyOn(QueryEngine.prototype, 'membership');
      // Both terms are frequent enough for bitsets (over 1,024 postings, probed over 256 times). Two words
      // are walked by cursors, not probed: an OR is probed, through bitsets.
      expect(index.documentFrequency(terms[1]!)).toBeGreaterThan(1024);
      const both = tree({ and: [terms[0]!, { or: [terms[1]!, terms[2]!] }] });
      expectSameTopK(index, both, 10);
      expect(built).toHaveBeenCalled();
      const changed = changedIndex(generatedArticles(1500, 42));
      expectSameTopK(changed, both, 10);
      const victim = top(changed, both, 1).matches[0]!.id.split('#')[0]!;
      changed.removeArticle(victim);
      expectSameTopK(changed, both, 10);
      expect(top(changed, both, 100_000).matches.some((m) => m.id.startsWith(`${victim}#`))).toBe(false);
      // Added again under a new id: found again (a stale bitset would hide it).
      const text = changed.getParagraph(top(changed, both, 1).matches[0]!.id)!.text;
      changed.addArticle({ id: 'zzz-nieuw', title: 'Nieuw', date: null, source: null, url: null, paragraphs: [text] });
      expectSameTopK(changed, both, 10);
      expect(top(changed, both, 100_000).matches.some((m) => m.id === 'zzz-nieuw#1')).toBe(true);
    });

    it('keeps a term\'s bitset through changes to other terms\' lists, and rebuilds it when its own list changes', () => {
      const changed = changedIndex(generatedArticles(1500, 43));
      // The OR is probed (two plain words are walked by cursors instead, without bitsets).
      const both = tree({ and: [terms[0]!, { or: [terms[1]!, terms[2]!] }] });
      const pair = tree({ and: [terms[0]!, terms[1]!] });
      const built = vi.spyOn(QueryEngine.prototype, 'membership');
      const bitsetsOf = () => {
        top(changed, both, 10);
        const arrays = built.mock.results.map((r) => r.value as Uint32Array);
        built.mockClear();
        return arrays;
      };
      const first = bitsetsOf();
      expect(first.length).toBeGreaterThan(0);
      // An article with neither word: the same bitsets are used again (a single change once threw them all away).
      changed.addArticle({ id: 'zzz-ander', title: 'Ander', date: null, source: null, url: null, paragraphs: ['Xylofoonquasar zonder iets gezochts.'] });
      expect(bitsetsOf().every((bits) => first.includes(bits))).toBe(true);
      expectSameTopK(changed, both, 10);
      // One with both: their lists changed, so their bitsets are built again, and the new paragraph is found.
      const text = changed.getParagraph(top(changed, pair, 1).matches[0]!.id)!.text;
      changed.addArticle({ id: 'zzz-beide', title: 'Beide', date: null, source: null, url: null, paragraphs: [text] });
      expect(bitsetsOf().some((bits) => !first.includes(bits))).toBe(true);
      expectSameTopK(changed, both, 10);
      expect(top(changed, both, 100_000).matches.some((m) => m.id === 'zzz-beide#1')).toBe(true);
      // Removing it changes the lists again: not found any more.
      changed.removeArticle('zzz-beide');
      expectSameTopK(changed, both, 10);
      expect(top(changed, both, 100_000).matches.some((m) => m.id === 'zzz-beide#1')).toBe(false);
    });

    it('reuses the buffers of dropped bitsets once the queries that held them are released, and only then', () => {
      const engine = engineFor(index);
      const kept = engine.maxBitsets;
      const built = vi.spyOn(QueryEngine.prototype, 'membership');
      // Probed ORs with frequent words (over 1,024 postings): each run wants a bitset per OR member.
      const [a, b] = terms.filter((t) => index.documentFrequency(t) > 1024) as [string, string];
      expect(b).toBeDefined();
      const queries = [
        tree({ and: [terms[2]!, { or: [a, b] }] }),
        tree({ and: [terms[3]!, { or: [b, terms[4]!] }] }),
        tree({ and: [terms[4]!, { or: [a, terms[3]!] }] }),
      ];
      engine.maxBitsets = 1; // every run drops what the one before built
      try {
        // Not released: a query run earlier still reports its matches right after others dropped its bitsets.
        engine.releaseQueries();
        const held = engine.compile(queries[0]!);
        const idOf = (doc: number) => engine.view.documentIds.get(doc)!;
        const collector = new TopDocs(20, idOf);
        held.run(collector);
        for (const query of queries.slice(1)) top(index, query, 10);
        const expected = new Map(reference(index, queries[0]!).map((m) => [m.id, new Set(m.terms)]));
        for (const { doc } of collector.sorted()) expect(new Set(held.report(doc)?.terms)).toEqual(expected.get(idOf(doc)));
        // Released before each search: the same few buffers serve every rebuild, and every answer stays exact.
        built.mockClear();
        for (let round = 0; round < 3; round++) {
          for (const query of queries) {
            engine.releaseQueries();
            expectSameTopK(index, query, 10);
          }
        }
        const arrays = built.mock.results.map((r) => r.value as Uint32Array);
        expect(arrays.length).toBeGreaterThan(12);
        expect(new Set(arrays).size).toBeLessThanOrEqual(6);
      } finally {
        engine.maxBitsets = kept;
        built.mockRestore();
      }
    });

    it('finds nothing for an unknown term and for AND with an unknown term', () => {
      expect(top(index, 'xyzzy', 10)).toEqual({ total: 0, matches: [] });
      expect(top(index, { and: [terms[0]!, 'xyzzy'] }, 10)).toEqual({ total: 0, matches: [] });
    });

    it('equals MiniSearch on 3,000 random query trees (AND, OR, exclusions, nesting, prefix, fuzzy), ties in paragraph order', () => {
      fc.assert(
        fc.property(treeArbitrary(leafArbitrary(terms)).filter(withinCap), fc.integer({ min: 1, max: 40 }), (query, k) => expectSameTopK(index, query, k)),
        { numRuns: 3000, seed: 20261124 },
      );
    }, 120_000); // 3,000 runs against MiniSearch: about 30 s on a loaded 2-core machine

    it('refuses more distinct terms than scoring can count, naming the cap', () => {
      const many: Query = { kind: 'or', children: terms.slice(0, 33).map(q.term) };
      expect(() => engineFor(index).compile(many)).toThrow(QueryError);
      expect(() => engineFor(index).compile(many)).toThrow(expect.objectContaining({ code: 'too_many_terms' }));
      expect(() => engineFor(index).compile({ kind: 'or', children: terms.slice(0, 32).map(q.term) })).not.toThrow();
    });

    it('follows the index through changes: a removed article stops matching, a new one starts', () => {
      const small = buildIndex(generatedArticles(50, 3));
      const t = termsByFrequency(small)[0]!;
      const before = top(small, t, 1000).total;
      const victim = top(small, t, 1).matches[0]!.id.split('#')[0]!;
      const lost = small.getArticle(victim)!.paragraphs.filter((p) => small.analyzer.indexTerms(p).includes(t)).length;
      small.removeArticle(victim);
      expect(top(small, t, 1000).total).toBe(before - lost);
      expectSameTopK(small, q.term(t), 20);
    });
  });

  describe('phrases and exclusions, against a brute-force oracle', () => {
    const index = changedIndex(generatedArticles(400, 9));
    const terms = termsByFrequency(index);
    const leaf = leafArbitrary(terms);

    it('finds a phrase only where its words stand adjacent and in order, stopwords in their place', () => {
      const small = buildIndex([
        { id: 'a', title: 'a', date: null, source: null, url: null, paragraphs: ['Poetin en Trump spraken.', 'Trump en Poetin spraken.', 'Poetin sprak met Trump.', 'Poetin of Trump.'] },
      ]);
      const [poetin, trump] = ['poetin', 'trump'];
      const phrase = (...slots: PhraseSlot[]): Query => ({ kind: 'phrase', slots });
      const word = (t: string): PhraseSlot => ({ kind: 'word', query: q.term(t) });
      const stop = (w: string): PhraseSlot => ({ kind: 'stopword', word: w });
      expect(top(small, phrase(word(poetin), stop('en'), word(trump)), 10).matches.map((m) => m.id)).toEqual(['a#1']);
      expect(top(small, phrase(word(trump), stop('en'), word(poetin)), 10).matches.map((m) => m.id)).toEqual(['a#2']);
      expect(top(small, phrase(word(poetin), word(trump)), 10).total).toBe(0);
      expect(top(small, phrase(word(poetin), stop('of'), word(trump)), 10).matches.map((m) => m.id)).toEqual(['a#4']);
      // A stopword that occurs nowhere: the phrase cannot match.
      expect(top(small, phrase(word(poetin), stop('doch'), word(trump)), 10).total).toBe(0);
      // What a match reports: the phrase's place, and none of its words on their own.
      const engine = engineFor(small);
      const compiled = engine.compile(phrase(word(poetin), stop('en'), word(trump)));
      expect(compiled.report(small.shortIdOf('a#1')!)).toEqual({ terms: [], phrases: [{ from: 0, to: 3 }] });
      expect(compiled.report(small.shortIdOf('a#3')!)).toBeNull();
    });

    it('anchors on a stopword when the rarest word accepts several symbols (every form of an irregular verb)', () => {
      const small = buildIndex([
        {
          id: 'v', title: 'v', date: null, source: null, url: null,
          paragraphs: ['Toen kwam het ik goed uit.', 'Zij komen het ik niet na.', 'Het kwam ik tegen.', 'Kwam het niet ik?', 'Hij kwam hét ik niet.', 'kwam het, ik zeg het'],
        },
      ]);
      const phrase = (...slots: PhraseSlot[]): Query => ({ kind: 'phrase', slots });
      const word = (t: string): PhraseSlot => ({ kind: 'word', query: q.term(t) });
      const stop = (w: string): PhraseSlot => ({ kind: 'stopword', word: w });
      const kom = small.analyzer.analyze('kwam')[0]!.terms.find((t) => small.analyzer.analyze('komen')[0]!.terms.includes(t))!;
      expect(kom).toBeDefined();
      const query = phrase(word(kom), stop('het'), stop('ik'));
      // Punctuation between words does not break a phrase (positions count words): `kwam het, ik` holds it.
      expect(top(small, query, 10).matches.map((m) => m.id).sort()).toEqual(['v#1', 'v#2', 'v#5', 'v#6']);
      expectOracle(small, query);
      expectOracle(small, phrase(stop('het'), word(kom), stop('ik')));
    });

    it('equals the oracle on 1,000 random trees with phrases and exclusions, scored as MiniSearch scores their words', () => {
      const node = treeArbitrary(fc.oneof({ weight: 2, arbitrary: leaf }, { weight: 2, arbitrary: phraseArbitrary(index, leaf) })).filter(withinCap);
      fc.assert(
        fc.property(node, (query) => expectOracle(index, query)),
        { numRuns: 1000, seed: 7 },
      );
    });

    it('finds phrases of symbols of every varint width, at every byte alignment, as the oracle does', () => {
      // 20,000 distinct words: symbols past 16,384 take three bytes; phrases are drawn from the text itself.
      const random = prng(5);
      // Words with a digit are indexed as written (never stemmed), so each is a symbol of its own.
      const vocabulary = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
      const stop = ['de', 'het', 'in', 'van'];
      const articles: Article[] = Array.from({ length: 300 }, (_, a) => ({
        id: `breed-${a}`,
        title: 't',
        date: null,
        source: null,
        url: null,
        paragraphs: Array.from({ length: 5 }, () =>
          Array.from({ length: 5 + Math.floor(random() * 60) }, () => (random() < 0.3 ? stop[Math.floor(random() * 4)]! : vocabulary[Math.floor(random() * 20_000)]!)).join(' '),
        ),
      }));
      const wide = buildIndex(articles);
      expect(wide.positions.symbolCount).toBeGreaterThan(16_384);
      const leaf = leafArbitrary(termsByFrequency(wide)).filter((l) => l.kind !== 'prefix'); // `k1*` would pass the expansion cap
      fc.assert(
        fc.property(phraseArbitrary(wide, leaf), (query) => expectOracle(wide, query)),
        { numRuns: 400, seed: 21 },
      );
    });

    it('never finds a phrase inside the bytes of a longer symbol', () => {
      // Symbols go by first sight: k0 is 1, …, k130 is 131, whose varint is [0x83, 0x01] — it ends in k0's byte.
      const first = Array.from({ length: 201 }, (_, i) => `k${i}`).join(' ');
      const index = buildIndex([{ id: 'a', title: 'a', date: null, source: null, url: null, paragraphs: [first, 'k0 k9 k130 k5'] }]);
      expect(Buffer.from(index.positions.encoded(index.shortIdOf('a#2')!)!)).toEqual(Buffer.from([0x01, 0x0a, 0x83, 0x01, 0x06]));
      const phrase = (a: string, b: string): Query => ({ kind: 'phrase', slots: [{ kind: 'word', query: q.term(a) }, { kind: 'word', query: q.term(b) }] });
      // `k0 k5` is in the bytes (…0x01, 0x06) but not in the text: k0 there is the end of k130.
      expect(top(index, phrase('k0', 'k5'), 10).total).toBe(0);
      expect(top(index, phrase('k130', 'k5'), 10).matches.map((m) => m.id)).toEqual(['a#2']);
    });

    it('checks a phrase on every candidate, so the count is exact', () => {
      const counted = fc.sample(phraseArbitrary(index, leaf), { numRuns: 50, seed: 3 }).filter(hasPhrase);
      for (const query of counted) {
        const counter = new Counter();
        engineFor(index).compile(query).run(counter);
        expect(counter.count).toBe(oracleIds(index, query).length);
      }
    });
  });

  describe('caps', () => {
    it(`refuses a prefix that expands to more than ${MAX_EXPANSIONS} terms, and keeps the closest of as many typo matches`, () => {
      const words = Array.from({ length: MAX_EXPANSIONS + 50 }, (_, i) => `zzz${String(i).padStart(4, '0')}`);
      const index = buildIndex([{ id: 'veel', title: 'veel', date: null, source: null, url: null, paragraphs: [words.join(' ')] }]);
      const prefix = { ...q.prefix('zzz'), source: { text: 'zzz', start: 4, end: 7 } };
      expect(() => engineFor(index).compile(prefix)).toThrow(expect.objectContaining({ code: 'too_many_expansions', position: 4 }));
      expect(() => engineFor(index).compile(q.prefix('zzz00'))).not.toThrow();
      expect(engineFor(index).expandTerms(q.fuzzy('zzz0000', 2)).length).toBeLessThanOrEqual(MAX_EXPANSIONS + 1);
    });
  });

  describe('on real Dutch text (../shared/ud-dutch)', () => {
    const articles = udArticles('the query-engine equivalence and phrase tests on real text');
    it.skipIf(articles.length === 0)('equals MiniSearch on 1,000 random query trees, and the oracle on 300 with phrases', () => {
      const index = changedIndex(articles);
      const terms = termsByFrequency(index);
      const leaf = leafArbitrary(terms);
      fc.assert(
        fc.property(treeArbitrary(leaf).filter(withinCap), fc.integer({ min: 1, max: 40 }), (query, k) => expectSameTopK(index, query, k)),
        { numRuns: 1000, seed: 11 },
      );
      fc.assert(
        fc.property(treeArbitrary(fc.oneof(leaf, phraseArbitrary(index, leaf))).filter(withinCap), (query) => expectOracle(index, query)),
        { numRuns: 300, seed: 12 },
      );
    }, 120_000); // 1,300 runs over real text: about 35 s on a loaded 2-core machine
  });
});
