/**
 * From the syntax tree to the query over index terms, with the one analyzer documents went through. Each
 * word becomes a clause: its term, its alternatives (stems with and without diacritics: either may match),
 * or for a hyphenated compound "the whole, or all its parts". Phrases become slots in order, stopwords
 * keeping their place. Stopwords outside phrases are dropped and reported. The caps on terms are checked here.
 */
import { foldDiacritics } from '../analysis/normalize.js';
import type { Analyzer, Token } from '../analysis/analyzer.js';
import { QueryError } from './query-error.js';
import { NO_SYNONYMS, type EntryPosition, type SynonymEntry, type SynonymMatch, type Synonyms } from './synonyms.js';
import type { ParsedSyntax, SyntaxNode, SyntaxWord } from './syntax.js';
import { forEachLeaf, identityFolder, leaves, q, rewriteQuery, type LeafQuery, type OrQuery, type PhraseSlot, type Query, type Source } from './tree.js';

/**
 * Shortest prefix a `*` expands (in characters, folded): `ge*` would expand to a tenth of the vocabulary
 * and match nearly every paragraph, which is no search at all; a shorter one is searched as a word.
 */
export const MIN_PREFIX_LENGTH = 3;

/**
 * Most distinct index terms in one query (the words' terms, their alternatives and compound parts, excluded
 * words included). Each term costs a postings walk; and scoring counts the distinct terms a paragraph
 * matched in a 32-bit mask (MiniSearch's "quality"), so more could not be scored exactly.
 */
export const MAX_QUERY_TERMS = 32;

const ONLY_EXCLUSIONS = 'a part with only excluded words finds nothing to exclude them from: add a word that must occur';

export interface AnalyzedQuery {
  /** The query as typed. */
  text: string;
  /** What to evaluate; null when nothing searchable is left (only stopwords, say). */
  query: Query | null;
  /** True when the query is only words (no operators): the policy may then relax every word to any word. */
  plain: boolean;
  /** Every index term the query can match on (not those of excluded words): what highlighting may mark. */
  terms: string[];
  /** Words left out because they are stopwords, as typed. */
  ignored: string[];
  /** Words (as typed) that synonyms expanded, with what they also searched for, in query order. */
  expansions: Expansion[];
}

/** A synonym expansion: the typed words and the entries they were also searched as. */
export interface Expansion {
  text: string;
  synonyms: string[];
}

/** Most variants of one phrase that synonyms inside it may make (each is a phrase to check). */
export const MAX_PHRASE_VARIANTS = 16;

/**
 * Analyzes a parsed query.
 * @throws QueryError `bad_query` for a part with only exclusions, `too_many_terms` beyond MAX_QUERY_TERMS
 */
export function analyzeQuery(text: string, syntax: ParsedSyntax, analyzer: Analyzer, synonyms: Synonyms = NO_SYNONYMS): AnalyzedQuery {
  const ignored: string[] = [];
  const expansions: Expansion[] = [];

  /** @param inAnd  whether `n` is an item of an AND (the only place an exclusion can stand) */
  function node(n: SyntaxNode, inAnd = false): Query | null {
    switch (n.kind) {
      case 'word':
        return q.and(words([n]));
      case 'phrase':
        return phrase(n);
      case 'not': {
        const child = node(n.child);
        if (child === null) return null;
        if (!inAnd) throw new QueryError('only_exclusions', ONLY_EXCLUSIONS, n.start);
        return q.not(child, sourceOf(n));
      }
      case 'or':
        return q.or(n.children.map((c) => node(c)).filter(isQuery));
      case 'and': {
        const children = dedupe(andItems(n.children));
        if (children.length > 0 && children.every((c) => c.kind === 'not')) {
          throw new QueryError('only_exclusions', ONLY_EXCLUSIONS, n.start);
        }
        return q.and(children);
      }
    }
  }

  function sourceOf(n: { start: number; end: number }): Source {
    return { text: text.slice(n.start, n.end), start: n.start, end: n.end };
  }

  /** An AND's items: runs of plain words go through synonym matching together (`Verenigde Staten`). */
  function andItems(children: readonly SyntaxNode[]): Query[] {
    const out: Query[] = [];
    let run: SyntaxWord[] = [];
    const flush = () => {
      out.push(...words(run));
      run = [];
    };
    for (const c of children) {
      if (c.kind === 'word' && !c.prefix) run.push(c);
      else {
        flush();
        const item = node(c, true);
        if (item !== null) out.push(item);
      }
    }
    flush();
    return out;
  }

  /**
   * Consecutive typed words, each as its clause, except where a synonym entry matches a run of whole words:
   * that run becomes "the words as typed, or any of the entry's synonyms" (a synonym of several words as a phrase).
   */
  function words(run: readonly SyntaxWord[]): Query[] {
    if (run.length === 0) return [];
    const tokens = run.map((w) => (w.prefix ? [] : analyzer.analyze(w.text)));
    const positions: EntryPosition[] = [];
    const firstPosition: number[] = [];
    const ends = new Set<number>();
    tokens.forEach((ts) => {
      firstPosition.push(positions.length);
      for (const t of ts) for (const p of t.parts ?? [t]) positions.push({ terms: p.terms, stopword: p.stopword ? foldDiacritics(p.normalized) : null });
      ends.add(positions.length);
    });
    const out: Query[] = [];
    let i = 0;
    while (i < run.length) {
      const match = tokens[i]!.length === 0 ? null : synonyms.matchAt(positions, firstPosition[i]!, (end) => ends.has(end));
      if (match === null) {
        const clause = word(run[i]!);
        if (clause !== null) out.push(clause);
        i++;
        continue;
      }
      const end = firstPosition.indexOf(firstPosition[i]! + match.entry.positions.length, i + 1);
      const last = end < 0 ? run.length : end;
      // The typed words lose their own sources: the run is one word for typo tolerance, so a word that
      // occurs nowhere (`NATO`) is not read as a typo of its own synonym (`NAVO`).
      const typed = q.and(run.slice(i, last).map(word).filter(isQuery).map(withoutSources));
      const source = { text: text.slice(run[i]!.start, run[last - 1]!.end), start: run[i]!.start, end: run[last - 1]!.end };
      const clause = q.or([...(typed === null ? [] : [typed]), ...match.alternatives.map(entryQuery)]);
      if (clause !== null) {
        out.push(withSource(clause, source));
        expansions.push({ text: source.text, synonyms: match.alternatives.map((a) => a.text) });
      }
      i = last;
    }
    return out;
  }

  /** A word as typed may hold several analyzer words (`NAVO/OVSE`): each is a clause, all required. */
  function word(w: SyntaxWord): Query | null {
    const tokens = analyzer.analyze(w.text);
    const clauses: Query[] = [];
    tokens.forEach((token, i) => {
      const source = { text: token.surface, start: w.start + token.start, end: w.start + token.end };
      const prefix = w.prefix && i === tokens.length - 1 ? prefixesOf(token) : null;
      const clause = prefix === null ? clauseOf(token, source) : prefixClause(prefix, token, source);
      if (clause === null) {
        if (token.stopword) ignored.push(token.surface);
      } else clauses.push(clause);
    });
    return q.and(dedupe(clauses));
  }

  function phrase(p: Extract<SyntaxNode, { kind: 'phrase' }>): Query | null {
    const slots: PhraseSlot[] = [];
    const stopwords: string[] = [];
    // Each slot's word for synonym matching and where it was typed, and the slots where a typed word (or token) ends.
    const matchable: EntryPosition[] = [];
    const typedAt: Array<{ start: number; end: number }> = [];
    const ends = new Set<number>();
    for (const w of p.words) {
      const tokens = analyzer.analyze(w.text);
      tokens.forEach((token, i) => {
        const positions = token.parts ?? [token];
        positions.forEach((position, j) => {
          const last = w.prefix && i === tokens.length - 1 && j === positions.length - 1;
          const prefixes = last ? prefixesOf(position) : null;
          matchable.push(prefixes !== null ? { terms: [], stopword: null } : { terms: position.terms, stopword: position.stopword ? foldDiacritics(position.normalized) : null });
          typedAt.push({ start: w.start + position.start, end: w.start + position.end });
          if (prefixes !== null) slots.push({ kind: 'word', query: anyOf(prefixes.map(q.prefix))! as LeafQuery | OrQuery });
          else if (position.stopword) {
            slots.push({ kind: 'stopword', word: foldDiacritics(position.normalized) });
            stopwords.push(position.surface);
          } else if (position.terms.length > 0) slots.push({ kind: 'word', query: anyOf(position.terms.map(q.term))! as LeafQuery | OrQuery });
          else slots.push({ kind: 'stopword', word: null });
        });
        ends.add(slots.length);
      });
    }
    const wordSlots = slots.filter((s) => s.kind === 'word');
    if (wordSlots.length === 0) {
      // Only stopwords: nothing indexed to find candidates by. Reported like stopwords outside quotes.
      ignored.push(...stopwords);
      return null;
    }
    const source = sourceOf(p);
    const variants = phraseVariants(slots, matchable, typedAt, ends);
    const queries = variants.map((v) => slotsQuery(v));
    return withSource(queries.length === 1 ? queries[0]! : q.or(queries)!, source);
  }

  /**
   * A phrase's slots with synonyms applied: a one-word entry with one-word synonyms joins the slot's
   * alternatives (`"president Putin"` → `president (putin|poetin)`); a longer one makes variants of the
   * phrase, at most MAX_PHRASE_VARIANTS (later matches are left as typed beyond that).
   */
  function phraseVariants(slots: PhraseSlot[], matchable: EntryPosition[], typedAt: ReadonlyArray<{ start: number; end: number }>, ends: ReadonlySet<number>): PhraseSlot[][] {
    let variants: PhraseSlot[][] = [[]];
    let i = 0;
    while (i < slots.length) {
      const match = matchable[i]!.terms.length === 0 ? null : synonyms.matchAt(matchable, i, (end) => ends.has(end));
      const n = match?.entry.positions.length ?? 1;
      let options: PhraseSlot[][] = [slots.slice(i, i + n)];
      if (match !== null) {
        const typed = slots.slice(i, i + n);
        const alternatives = match.alternatives.map(entrySlots);
        if (n === 1 && alternatives.every((a) => a.length === 1 && a[0]!.kind === 'word')) {
          const children = [typed[0]!, ...alternatives.map((a) => a[0]!)]
            .map((s) => (s as Extract<PhraseSlot, { kind: 'word' }>).query)
            .flatMap((c): Query[] => (c.kind === 'or' ? [...c.children] : [c]));
          options = [[{ kind: 'word', query: q.or(children) as OrQuery }]];
          recordPhraseExpansion(i, n, match);
        } else if (variants.length * (alternatives.length + 1) <= MAX_PHRASE_VARIANTS) {
          options = [typed, ...alternatives];
          recordPhraseExpansion(i, n, match);
        }
      }
      variants = variants.flatMap((v) => options.map((o) => [...v, ...o]));
      i += n;
    }
    return variants;

    function recordPhraseExpansion(at: number, n: number, match: SynonymMatch) {
      expansions.push({ text: text.slice(typedAt[at]!.start, typedAt[at + n - 1]!.end), synonyms: match.alternatives.map((a) => a.text) });
    }
  }

  return finish();

  function finish(): AnalyzedQuery {
    const query = syntax.root === null ? null : node(syntax.root);
    if (query !== null) checkTermCount(query);
    return { text, query, plain: !syntax.operators, terms: positiveTerms(query), ignored, expansions };
  }
}

/** An entry's words as phrase slots. */
function entrySlots(entry: SynonymEntry): PhraseSlot[] {
  return entry.positions.map((p): PhraseSlot =>
    p.terms.length > 0 ? { kind: 'word', query: anyOf(p.terms.map(q.term))! as LeafQuery | OrQuery } : { kind: 'stopword', word: p.stopword },
  );
}

/** A synonym entry as a query: its word's clause, or a phrase of its words. */
function entryQuery(entry: SynonymEntry): Query {
  return slotsQuery(entrySlots(entry));
}

/** Slots as a query: a lone word is its clause, anything longer a phrase. */
function slotsQuery(slots: PhraseSlot[]): Query {
  const words = slots.filter((s) => s.kind === 'word');
  if (slots.length === 1 && words.length === 1) return words[0]!.query;
  return { kind: 'phrase', slots };
}

function isQuery(node: Query | null): node is Query {
  return node !== null;
}

/** One node per distinct clause: `gesprek gesprekken` is one clause, counted once. */
function dedupe(clauses: Query[]): Query[] {
  if (clauses.length < 2) return clauses;
  return clauses.filter((c, i) => !clauses.slice(0, i).some((earlier) => sameQuery(earlier, c)));
}

/** Whether two nodes are the same query (where they came from aside). */
function sameQuery(a: Query, b: Query): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'term':
    case 'prefix':
      return a.term === (b as typeof a).term;
    case 'fuzzy':
      return a.term === (b as typeof a).term && a.distance === (b as typeof a).distance;
    case 'and':
    case 'or': {
      const other = b as typeof a;
      return a.children.length === other.children.length && a.children.every((c, i) => sameQuery(c, other.children[i]!));
    }
    case 'not':
      return sameQuery(a.child, (b as typeof a).child);
    case 'phrase': {
      const other = b as typeof a;
      return (
        a.slots.length === other.slots.length &&
        a.slots.every((s, i) => {
          const t = other.slots[i]!;
          if (s.kind === 'stopword' || t.kind === 'stopword') return s.kind === t.kind && (s as { word: string | null }).word === (t as { word: string | null }).word;
          return sameQuery(s.query, t.query);
        })
      );
    }
  }
}

/** The node and everything under it without `source`. */
function withoutSources(node: Query): Query {
  const strip = <T extends Query>(n: T): T => {
    const { source: _source, ...rest } = n as T & { source?: Source };
    return rest as T;
  };
  return rewriteQuery(node, {
    term: strip,
    prefix: strip,
    fuzzy: strip,
    and: (n, children) => strip(identityFolder.and(n, children)),
    or: (n, children) => strip(identityFolder.or(n, children)),
    not: (n, child) => strip(identityFolder.not(n, child)),
    phrase: (n, slots) => strip(identityFolder.phrase(n, slots)),
  });
}

function withSource(node: Query, source: Source): Query {
  return { ...node, source };
}

/** A word's alternatives as one node: either may match. */
function anyOf(nodes: Query[]): Query | null {
  return q.or(nodes);
}

/** The clause for one word, or null when the word has no index terms (a stopword, say). */
function clauseOf(token: Token, source: Source): Query | null {
  const own = anyOf(token.terms.map(q.term));
  if (!token.parts) return own === null ? null : withSource(own, source);
  const parts = token.parts.map((p) => anyOf(p.terms.map(q.term))).filter(isQuery);
  const allParts = q.and(parts);
  const clause = own === null ? allParts : allParts === null ? own : q.or([own, allParts]);
  return clause === null ? null : withSource(clause, source);
}

/**
 * The prefixes a word typed with `*` stands for: the word as written (folded) and, when it differs, its
 * stem, since the index holds stems (`regeringen*` → `regeringen`, `regeer`). Null when too short.
 * For a compound only the last part is a prefix (`oud-minis*`): the other parts were typed whole.
 */
function prefixesOf(token: Token): string[] | null {
  const last = token.parts ? token.parts[token.parts.length - 1]! : token;
  const folded = foldDiacritics(last.normalized);
  if (folded.length < MIN_PREFIX_LENGTH) return null;
  const stem = foldDiacritics(last.stem);
  return stem !== folded && stem.length >= MIN_PREFIX_LENGTH ? [folded, stem] : [folded];
}

/** A prefix word's clause: any term starting with one of its prefixes, and a compound's other parts. */
function prefixClause(prefixes: string[], token: Token, source: Source): Query {
  const own = anyOf(prefixes.map((term) => ({ kind: 'prefix', term, source }) as const))!;
  if (!token.parts) return withSource(own, source);
  const whole = token.parts
    .slice(0, -1)
    .map((p) => anyOf(p.terms.map(q.term)))
    .filter(isQuery);
  return withSource(whole.length === 0 ? own : { kind: 'and', children: [...whole, own] }, source);
}

/** Every leaf term that is not under a NOT. */
function positiveTerms(query: Query | null): string[] {
  if (query === null) return [];
  return [...new Set(leaves(query, { positive: true }).map((leaf) => leaf.term))];
}

/** @throws QueryError `too_many_terms` when the query holds more than MAX_QUERY_TERMS distinct terms. */
function checkTermCount(query: Query): void {
  const seen = new Set<string>();
  let overflow: Source | undefined;
  forEachLeaf(query, (leaf, { source }) => {
    if (seen.has(leaf.term)) return;
    seen.add(leaf.term);
    if (seen.size > MAX_QUERY_TERMS) overflow ??= source ?? { text: '', start: 0, end: 0 };
  });
  if (overflow !== undefined) {
    throw new QueryError(
      'too_many_terms',
      `a query may hold at most ${MAX_QUERY_TERMS} distinct terms (words, their spelling variants and compound parts)`,
      overflow.start,
    );
  }
}
