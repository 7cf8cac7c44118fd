/**
 * Pure rewrite passes over the query tree, run after analysis and before evaluation. `relaxTypos` reads a
 * word that occurs nowhere in the index as a typo, to be matched by similar terms.
 */
import { forEachLeaf, leaves, q, rewriteQuery, type LeafQuery, type OrQuery, type PhraseSlot, type Query, type Source } from './tree.js';

/** What a rewrite needs to know of the index. */
export interface Vocabulary {
  /** Paragraphs holding the index term. */
  documentFrequency(term: string): number;
}

/** Edits a word may differ by and still match when it occurs nowhere as typed: none below 4 letters. */
export function typoDistance(term: string): number {
  return term.length < 4 ? 0 : term.length < 8 ? 1 : 2;
}

/**
 * A word none of whose terms occurs in the index (every exact term has no paragraph) is read as a typo:
 * its terms may match terms within `typoDistance` edits. A word that occurs is taken as typed, so typo
 * tolerance never dilutes a query that can be answered exactly. Prefixes stay as typed. Words are the nodes
 * the analysis marked with their source, and the word slots of phrases.
 * @returns the rewritten query and the words read as typos (as typed)
 */
export function relaxTypos(query: Query, vocabulary: Vocabulary): { query: Query; approximate: Source[] } {
  const approximate: Source[] = [];
  // The common case, cheaply: every exact term occurs, so no word can be unknown and the tree stays as it is.
  let unknownTerm = false;
  forEachLeaf(query, (leaf) => {
    if (!unknownTerm && leaf.kind === 'term' && vocabulary.documentFrequency(leaf.term) === 0) unknownTerm = true;
  });
  if (!unknownTerm) return { query, approximate };
  const unknown = (node: Query) => leaves(node).every((leaf) => leaf.kind === 'term' && vocabulary.documentFrequency(leaf.term) === 0);
  /** The word with its terms fuzzy, or unchanged when no term is long enough for a typo. */
  const fuzzed = <T extends Query>(node: T): T => {
    let any = false;
    const out = rewriteQuery(node, {
      term(leaf) {
        const distance = typoDistance(leaf.term);
        if (distance === 0) return leaf;
        any = true;
        return leaf.source === undefined ? q.fuzzy(leaf.term, distance) : { ...q.fuzzy(leaf.term, distance), source: leaf.source };
      },
    }) as T;
    return any ? out : node;
  };
  const word = (node: Query): Query => {
    if (node.source === undefined || node.kind === 'phrase' || node.kind === 'not' || !unknown(node)) return node;
    const out = fuzzed(node);
    if (out !== node) approximate.push(node.source);
    return out;
  };
  const relaxed = rewriteQuery(query, {
    term: (n) => word(n),
    and: (n, children) => word({ ...n, children }),
    or: (n, children) => word({ ...n, children }),
    phrase(n, slots) {
      // A phrase without a source is a synonym's, not typed: left as the synonym file wrote it.
      if (n.source === undefined) return n;
      let changed = false;
      const out: PhraseSlot[] = n.slots.map((slot, i) => {
        if (slot.kind !== 'word') return slot;
        const query = slots[i] as LeafQuery | OrQuery;
        if (!unknown(query)) return { kind: 'word', query };
        const fuzzy = fuzzed(query);
        if (fuzzy !== query) changed = true;
        return { kind: 'word', query: fuzzy };
      });
      if (changed && n.source) approximate.push(n.source);
      return { ...n, slots: out };
    },
  });
  return { query: relaxed, approximate };
}
