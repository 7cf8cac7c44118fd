/**
 * Turns what a user typed into a query over index terms. Each searchable word becomes one clause:
 * its term, its alternatives (stem with and without diacritics), or for a compound "the whole or all
 * its parts". Clauses are required together (AND); the caller may relax them to any (OR).
 */
import { tokenTerms, type Analyzer, type Token } from '../analysis/analyzer.js';
import type { QueryNode } from '../index/search-index.js';

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 500;

export interface ParsedQuery {
  /** The query as typed. */
  text: string;
  /** One clause per searchable word, duplicates removed. */
  clauses: QueryNode[];
  /** Every index term the query can match on: what highlighting marks. */
  terms: string[];
  /** Words that were dropped because they are stopwords. */
  ignored: string[];
}

/** Parses a query with the same analyzer the documents went through. */
export function parseQuery(text: string, analyzer: Analyzer): ParsedQuery {
  const clauses: QueryNode[] = [];
  const seen = new Set<string>();
  const terms = new Set<string>();
  const ignored: string[] = [];
  for (const token of analyzer.analyze(text)) {
    const clause = clauseOf(token);
    if (clause === null) {
      if (token.stopword) ignored.push(token.surface);
      continue;
    }
    for (const term of tokenTerms(token)) terms.add(term);
    const key = JSON.stringify(clause);
    if (seen.has(key)) continue;
    seen.add(key);
    clauses.push(clause);
  }
  return { text, clauses, terms: [...terms], ignored };
}

/** The clause for one word, or null when the word has no index terms (a stopword, say). */
function clauseOf(token: Token): QueryNode | null {
  const own = anyOf(token.terms);
  if (!token.parts) return own;
  const parts = token.parts.map((p) => anyOf(p.terms)).filter((node): node is QueryNode => node !== null);
  const allParts = parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { combineWith: 'AND' as const, queries: parts };
  if (own === null) return allParts;
  if (allParts === null) return own;
  return { combineWith: 'OR', queries: [own, allParts] };
}

/** A term's alternatives as one node: either may match. */
function anyOf(terms: readonly string[]): QueryNode | null {
  if (terms.length === 0) return null;
  if (terms.length === 1) return terms[0]!;
  return { combineWith: 'OR', queries: [...terms] };
}

/** The query over all clauses: every clause required (AND), or any (OR). Null when there is none. */
export function combineClauses(clauses: readonly QueryNode[], mode: 'AND' | 'OR'): QueryNode | null {
  if (clauses.length === 0) return null;
  if (clauses.length === 1) return clauses[0]!;
  return { combineWith: mode, queries: [...clauses] };
}
