/** Running query trees in tests: our engine (top k, all matches) and MiniSearch's own search, the reference. */
import type MiniSearch from 'minisearch';
import type { SearchIndex } from '../../src/index/search-index.js';
import { compareParagraphIds } from '../../src/paragraphs/paragraphs.js';
import { TopDocs } from '../../src/query/collectors.js';
import { engineFor } from '../../src/query/engine.js';
import { q, toMiniSearchQuery, type Query } from '../../src/query/tree.js';

export interface Ranked {
  id: string;
  score: number;
  terms: string[];
}

/** A query tree from a compact form: a string is a term; `{and: […]}`, `{or: […]}`, `{not: …}`. */
export type Shorthand = string | { and: Shorthand[] } | { or: Shorthand[] } | { not: Shorthand } | Query;
export function tree(s: Shorthand): Query {
  if (typeof s === 'string') return q.term(s);
  if ('and' in s) return { kind: 'and', children: s.and.map(tree) };
  if ('or' in s) return { kind: 'or', children: s.or.map(tree) };
  if ('not' in s && !('kind' in s)) return q.not(tree(s.not));
  return s as Query;
}

/** Our engine's best k and total. */
export function top(index: SearchIndex, query: Shorthand, k: number): { total: number; matches: Ranked[] } {
  const engine = engineFor(index);
  const compiled = engine.compile(tree(query));
  const idOf = (doc: number) => engine.view.documentIds.get(doc)!;
  const collector = new TopDocs(k, idOf);
  compiled.run(collector);
  const matches = collector.sorted().map(({ doc, score }) => ({ id: idOf(doc), score, terms: compiled.report(doc)?.terms ?? [] }));
  return { total: collector.total, matches };
}

/** MiniSearch's own search of a tree without phrases: every match, best first, ties in paragraph order. */
export function reference(index: SearchIndex, query: Shorthand): Ranked[] {
  const mini = index.miniSearch as MiniSearch;
  const results = mini.search(toMiniSearchQuery(tree(query)) as Parameters<MiniSearch['search']>[0]);
  return results
    .map((r) => ({ id: r.id as string, score: r.score, terms: r.terms }))
    .sort((a, b) => (b.score !== a.score ? b.score - a.score : compareParagraphIds(a.id, b.id)));
}

/** The paragraph ids a query matches, best first (by our engine). */
export function ids(index: SearchIndex, query: Shorthand, k = 100_000): string[] {
  return top(index, query, k).matches.map((m) => m.id);
}
