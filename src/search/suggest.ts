/**
 * Completions as you type: the last word of the query completed to words of the index, in the form people
 * write them (`oekr` → `Oekraïne`, `Oekraïense`), one per index term, ranked by how many paragraphs hold the
 * term — or, after other words, by how many paragraphs hold them all (`poetin oekr` → `poetin Oekraïne`).
 */
import { foldDiacritics, normalizeWord } from '../analysis/normalize.js';
import type { SearchIndex } from '../index/search-index.js';

/** Completions offered at most. */
export const MAX_SUGGESTIONS = 8;
/** Shortest last word completed (folded): one letter matches too much of the vocabulary to say anything. */
export const MIN_SUGGEST_PREFIX = 2;
/** Written forms considered (the most frequent with the prefix), before they are grouped by term. */
const CANDIDATE_FORMS = 64;
/** Completions counted together with the words before them (each costs a search). */
const CONTEXT_CANDIDATES = 16;

export interface Suggestion {
  /** The query with its last word completed. */
  text: string;
  /** Paragraphs holding the completed word (with the words before it, when there are any). */
  count: number;
}

/**
 * Completes the last word of `query`.
 * @param count  paragraphs matching a query (the searcher's), for completions in context; throws when the
 *   query cannot be read
 */
export function suggest(index: SearchIndex, query: string, count: (query: string) => number, limit = MAX_SUGGESTIONS): Suggestion[] {
  const trimmed = query.replace(/\s+$/u, '');
  const cut = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\t'), trimmed.lastIndexOf('\n'));
  const context = trimmed.slice(0, cut + 1).trim();
  const typed = trimmed.slice(cut + 1);
  // What is typed of the last word: its letters, as the index folds them (a leading quote or minus is kept in the text).
  const lead = /^[^\p{L}\p{N}]*/u.exec(typed)![0];
  const prefix = foldDiacritics(normalizeWord(typed.slice(lead.length)));
  if (prefix.length < MIN_SUGGEST_PREFIX || /[^\p{L}\p{N}'-]/u.test(prefix)) return [];

  // The most frequent written forms with the prefix, one per index term (the commonest form of it shown).
  const terms = new Map<string, { display: string; df: number }>();
  for (const form of index.surfaceForms.withPrefix(prefix, CANDIDATE_FORMS)) {
    const term = index.analyzer.indexTerms(form.display)[0];
    if (term === undefined || terms.has(term)) continue;
    const df = index.documentFrequency(term);
    if (df > 0) terms.set(term, { display: form.display, df });
  }
  const ranked = [...terms.values()].sort((a, b) => b.df - a.df || (a.display < b.display ? -1 : 1));
  const complete = (display: string) => `${context === '' ? '' : `${context} `}${lead}${display}`;
  // Alone, or an excluded word (`rusland -na…`: how often it goes with the rest says nothing): by its own count.
  if (context === '' || lead.includes('-')) return ranked.slice(0, limit).map((c) => ({ text: complete(c.display), count: c.df }));

  let inContext: Suggestion[];
  try {
    inContext = ranked.slice(0, CONTEXT_CANDIDATES).map((c) => ({ text: complete(c.display), count: count(complete(c.display)) }));
  } catch {
    // The words before cannot be read on their own (an open quote, say): complete the word alone.
    return ranked.slice(0, limit).map((c) => ({ text: complete(c.display), count: c.df }));
  }
  // Those found together with the words before first; the others after, by their own frequency (count 0).
  const order = new Map(ranked.map((c, i) => [complete(c.display), i]));
  return inContext.sort((a, b) => b.count - a.count || order.get(a.text)! - order.get(b.text)!).slice(0, limit);
}
