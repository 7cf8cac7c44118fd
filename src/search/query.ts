/**
 * Turns what a user typed into a query over index terms. Each searchable word becomes one clause:
 * its term, its alternatives (stem with and without diacritics), or for a compound "the whole or all
 * its parts". A word ending in `*` is a prefix. Clauses are required together (AND); the caller may
 * relax them to any (OR), or let unknown words match similar ones (`withTypos`).
 */
import { tokenTerms, type Analyzer, type Token } from '../analysis/analyzer.js';
import { foldDiacritics } from '../analysis/normalize.js';
import type { QueryNode } from '../index/search-index.js';

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 500;

/**
 * Shortest prefix a `*` expands (in characters, folded): `ge*` would expand to a tenth of the vocabulary
 * and match nearly every paragraph, which is no search at all; a shorter one is searched as a word.
 */
export const MIN_PREFIX_LENGTH = 3;

export interface ParsedQuery {
  /** The query as typed. */
  text: string;
  /** One clause per searchable word, duplicates removed. */
  clauses: QueryNode[];
  /** The word each clause came from, as typed (same order as `clauses`). */
  words: string[];
  /** Every index term the query can match on: what highlighting marks. */
  terms: string[];
  /** Words that were dropped because they are stopwords. */
  ignored: string[];
  /** Prefixes typed with `*` (folded, lowercase): highlighting marks the words they expand to. */
  prefixes: string[];
}

/** Parses a query with the same analyzer the documents went through. */
export function parseQuery(text: string, analyzer: Analyzer): ParsedQuery {
  const clauses: QueryNode[] = [];
  const words: string[] = [];
  const seen = new Set<string>();
  const terms = new Set<string>();
  const ignored: string[] = [];
  const prefixes = new Set<string>();
  for (const token of analyzer.analyze(text)) {
    const prefix = text[token.end] === '*' ? prefixOf(token) : null;
    const clause = prefix === null ? clauseOf(token) : prefixClause(prefix, token);
    if (prefix !== null) for (const p of prefix) prefixes.add(p);
    if (clause === null) {
      if (token.stopword) ignored.push(token.surface);
      continue;
    }
    for (const term of tokenTerms(token)) terms.add(term);
    const key = JSON.stringify(clause);
    if (seen.has(key)) continue;
    seen.add(key);
    clauses.push(clause);
    words.push(token.surface);
  }
  return { text, clauses, words, terms: [...terms], ignored, prefixes: [...prefixes] };
}

/**
 * The prefixes a word typed with `*` stands for: the word as written (folded) and, when it differs, its
 * stem, since the index holds stems (`regeringen*` → `regeringen`, `regering`). Null when too short.
 * For a compound only the last part is a prefix (`oud-minis*`): the other parts were typed whole.
 */
function prefixOf(token: Token): string[] | null {
  const last = token.parts ? token.parts[token.parts.length - 1]! : token;
  const folded = foldDiacritics(last.normalized);
  if (folded.length < MIN_PREFIX_LENGTH) return null;
  const stem = foldDiacritics(last.stem);
  return stem !== folded && stem.length >= MIN_PREFIX_LENGTH ? [folded, stem] : [folded];
}

/** A prefix word's clause: any term starting with one of its prefixes, and a compound's other parts. */
function prefixClause(prefixes: string[], token: Token): QueryNode {
  const own: QueryNode = anyOf(prefixes.map((term) => ({ term, prefix: true })))!;
  if (!token.parts) return own;
  const whole = token.parts
    .slice(0, -1)
    .map((p) => anyOf(p.terms))
    .filter((node): node is QueryNode => node !== null);
  return whole.length === 0 ? own : { combineWith: 'AND', queries: [...whole, own] };
}

/** Edits a word may differ by and still match when it occurs nowhere as typed: none below 4 letters. */
export function typoDistance(term: string): number {
  return term.length < 4 ? 0 : term.length < 8 ? 1 : 2;
}

/** A clause whose exact terms may also match terms within `typoDistance` edits (prefixes stay as typed). */
export function withTypos(clause: QueryNode): QueryNode {
  if (typeof clause === 'string') {
    const fuzzy = typoDistance(clause);
    return fuzzy === 0 ? clause : { term: clause, fuzzy };
  }
  if ('queries' in clause) return { combineWith: clause.combineWith, queries: clause.queries.map(withTypos) };
  if (clause.prefix || clause.fuzzy) return clause;
  return withTypos(clause.term);
}

/** Every leaf term of a query node. */
export function leafTerms(node: QueryNode): Array<string | { term: string; prefix?: boolean; fuzzy?: number }> {
  if (typeof node === 'string' || !('queries' in node)) return [node];
  return node.queries.flatMap(leafTerms);
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
function anyOf(terms: readonly QueryNode[]): QueryNode | null {
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
