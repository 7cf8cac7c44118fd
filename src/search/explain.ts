/**
 * Why a paragraph matched: for each term that scored, its BM25 parts (from the engine) and the words of the
 * paragraph it matched, each with how (exact, stem, diacritic variant, compound part, irregular form,
 * synonym, prefix, typo). Built on request only (`explain=1`): it re-analyzes the paragraph.
 */
import type { Analyzer } from '../analysis/analyzer.js';
import { foldDiacritics } from '../analysis/normalize.js';
import type { AnalyzedQuery } from '../query/analyze.js';
import type { CompiledQuery, QueryEngine, ScoreExplanation, TermScore } from '../query/engine.js';
import { leaves, type Query } from '../query/tree.js';

export type MatchKind = 'exact' | 'stem' | 'diacritic variant' | 'compound part' | 'irregular form' | 'synonym' | 'prefix' | 'fuzzy';

export interface WordMatch {
  surface: string;
  start: number;
  end: number;
  how: MatchKind;
}

export interface HitExplanation extends Omit<ScoreExplanation, 'terms'> {
  terms: Array<TermScore & { words: WordMatch[] }>;
}

/** What the query's leaves make of each index term they match: found through a prefix, a typo, or a synonym. */
export interface QueryOrigins {
  via: Map<string, 'prefix' | 'fuzzy' | 'synonym'>;
  /** The query's own words, normalized and folded, to tell an exact match from a stemmed one. */
  typed: Set<string>;
  typedFolded: Set<string>;
}

export function queryOrigins(query: Query, analyzed: AnalyzedQuery, engine: QueryEngine, analyzer: Analyzer): QueryOrigins {
  const via = new Map<string, 'prefix' | 'fuzzy' | 'synonym'>();
  const typedTerms = new Set<string>();
  const typed = new Set<string>();
  const typedFolded = new Set<string>();
  for (const token of analyzer.analyze(analyzed.text)) {
    for (const t of [token, ...(token.parts ?? [])]) {
      typed.add(t.normalized);
      typedFolded.add(foldDiacritics(t.normalized));
      for (const term of t.terms) typedTerms.add(term);
    }
  }
  for (const leaf of leaves(query, { positive: true })) {
    if (leaf.kind === 'term') {
      if (!typedTerms.has(leaf.term)) via.set(leaf.term, 'synonym');
      continue;
    }
    for (const term of engine.expandTerms(leaf)) if (term !== leaf.term || leaf.kind === 'prefix') via.set(term, leaf.kind);
  }
  return { via, typed, typedFolded };
}

export function explainHit(text: string, doc: number, compiled: CompiledQuery, origins: QueryOrigins, analyzer: Analyzer): HitExplanation {
  const explanation = compiled.explain(doc);
  const tokens = analyzer.analyze(text).flatMap((t) => (t.parts ? [t, ...t.parts] : [t]));
  return {
    ...explanation,
    terms: explanation.terms.map((score) => {
      const words: WordMatch[] = [];
      for (const token of tokens) {
        const own = token.terms.includes(score.term);
        const part = token.partTerms.includes(score.term);
        if (!(score.field === 'parts' ? part : own)) continue;
        words.push({ surface: token.surface, start: token.start, end: token.end, how: kindOf(score.term, token, score.field === 'parts', origins) });
      }
      return { ...score, words };
    }),
  };
}

function kindOf(term: string, token: ReturnType<Analyzer['analyze']>[number], part: boolean, origins: QueryOrigins): MatchKind {
  const via = origins.via.get(term);
  if (via !== undefined) return via;
  if (part) return 'compound part';
  if (origins.typed.has(token.normalized)) return 'exact';
  if (origins.typedFolded.has(foldDiacritics(token.normalized))) return 'diacritic variant';
  // The lemma's term, when the word's own stem is another: `zei` found as `zeggen`.
  if (token.lemma !== undefined && token.terms[0] !== term && token.terms[token.terms.length - 1] === term) return 'irregular form';
  if (token.terms[0] !== term) return 'diacritic variant';
  return 'stem';
}
