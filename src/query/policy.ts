/**
 * What to search when the query as typed finds nothing: a query of only words (no quotes, `-`, `OF`/`OR`
 * or parentheses) may relax "every word" to "any word"; a query with operators means what it says.
 */
import { q, type Query } from './tree.js';

/**
 * The any-word form of a plain query of several words, or null when none applies (one word, or operators:
 * `plain` false). The top-level AND of a plain query is the one node the analysis built without a source.
 */
export function anyWordFallback(query: Query | null, plain: boolean): Query | null {
  if (!plain || query === null || query.kind !== 'and' || query.source !== undefined || query.children.length < 2) return null;
  return q.or(query.children);
}
