/**
 * "Did you mean": when a query finds nothing, or very few paragraphs, a close variant built from the index's
 * own words — one word replaced by a much more frequent word within a typo's distance, written as people
 * write it — that finds far more. Words that occur nowhere are already matched to similar words (typos);
 * this catches rare spellings of common words (`Zelenski` for `Zelensky`) and words that exist but do not
 * go together with the rest.
 */
import type { SearchIndex } from '../index/search-index.js';
import { engineFor } from '../query/engine.js';
import { typoDistance } from '../query/rewrite.js';
import type { SyntaxNode, SyntaxWord } from '../query/syntax.js';
import { q } from '../query/tree.js';

/** Queries with at most this many hits may get a suggestion; above it they found what there is. */
export const SUGGEST_BELOW = 10;
/** A variant is offered when it finds at least this many times as many (and something, for a query that found nothing). */
const BETTER_BY = 10;
/** Words of a query considered, and replacements tried per word: each variant costs a search. */
const MAX_WORDS = 6;
const MAX_REPLACEMENTS = 2;

export interface Suggestion {
  query: string;
  total: number;
}

/**
 * A much better close variant of the query, or null.
 * @param count  paragraphs a query matches (throws when it cannot be read)
 */
export function didYouMean(index: SearchIndex, text: string, root: SyntaxNode | null, total: number, count: (query: string) => number): Suggestion | null {
  if (root === null || total > SUGGEST_BELOW) return null;
  const needed = total === 0 ? 1 : total * BETTER_BY;
  const engine = engineFor(index);
  let best: Suggestion | null = null;
  for (const word of wordsOf(root).slice(0, MAX_WORDS)) {
    if (word.prefix) continue;
    const tokens = index.analyzer.analyze(word.text);
    if (tokens.length !== 1 || tokens[0]!.parts || tokens[0]!.terms.length === 0) continue;
    const term = tokens[0]!.terms[0]!;
    const distance = typoDistance(term);
    if (distance === 0) continue;
    const own = index.documentFrequency(term);
    // Close terms of the index that are far more frequent than the word as typed.
    const closer = engine
      .expandTerms(q.fuzzy(term, distance))
      .filter((t) => t !== term && index.documentFrequency(t) >= Math.max(1, own) * BETTER_BY)
      .sort((a, b) => index.documentFrequency(b) - index.documentFrequency(a))
      .slice(0, MAX_REPLACEMENTS);
    for (const replacement of closer) {
      const written = index.surfaceForms.displayOfTerm(replacement);
      // Only a form that reads back as the replacement (the query must mean what is offered).
      if (written === undefined || !index.analyzer.indexTerms(written).includes(replacement)) continue;
      const variant = `${text.slice(0, word.start)}${written}${text.slice(word.end)}`;
      let found: number;
      try {
        found = count(variant);
      } catch {
        continue;
      }
      if (found >= needed && (best === null || found > best.total)) best = { query: variant, total: found };
    }
  }
  return best;
}

/** The words of a query, in order, outside exclusions (offering a variant of an excluded word makes no sense). */
function wordsOf(node: SyntaxNode): SyntaxWord[] {
  switch (node.kind) {
    case 'word':
      return [node];
    case 'phrase':
      return node.words;
    case 'not':
      return [];
    case 'and':
    case 'or':
      return node.children.flatMap(wordsOf);
  }
}
