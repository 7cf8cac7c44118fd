/**
 * The query tree over index terms: what the query engine evaluates, what rewrite passes transform, and what
 * MiniSearch's own search can be given as a reference. Nodes are plain immutable objects; every walk over a
 * tree goes through `foldQuery` (one visitor), so a new kind of node is handled in one place per walk.
 */

/**
 * Where in the typed query a node came from: the word (or phrase) as typed and its offsets (UTF-16 code
 * units). The analysis step marks the node of each word, so rewrites and reports can speak of the word.
 */
export interface Source {
  text: string;
  start: number;
  end: number;
}

/** One index term, exactly. */
export interface TermQuery {
  readonly kind: 'term';
  readonly term: string;
  readonly source?: Source;
}

/** A term and every longer term that starts with it (MiniSearch's prefix search). */
export interface PrefixQuery {
  readonly kind: 'prefix';
  readonly term: string;
  readonly source?: Source;
}

/** A term and every term within `distance` edits of it (MiniSearch's fuzzy search). */
export interface FuzzyQuery {
  readonly kind: 'fuzzy';
  readonly term: string;
  readonly distance: number;
  readonly source?: Source;
}

export type LeafQuery = TermQuery | PrefixQuery | FuzzyQuery;

/** Every child must match; `not` children exclude (an AND has at least one child that is not a `not`). */
export interface AndQuery {
  readonly kind: 'and';
  readonly children: readonly Query[];
  readonly source?: Source;
}

/** Any child may match; scores add up over the children that do. */
export interface OrQuery {
  readonly kind: 'or';
  readonly children: readonly Query[];
  readonly source?: Source;
}

/** Excludes what `child` matches; only ever a child of an AND. Contributes nothing to the score. */
export interface NotQuery {
  readonly kind: 'not';
  readonly child: Query;
  readonly source?: Source;
}

/**
 * Words adjacent and in order. Each slot is a word (a leaf, or an OR of leaves: the word's alternatives)
 * or a stopword, which is not indexed but keeps its place. Scored as the AND of its word slots.
 */
export interface PhraseQuery {
  readonly kind: 'phrase';
  readonly slots: readonly PhraseSlot[];
  readonly source?: Source;
}

export type PhraseSlot =
  | { readonly kind: 'word'; readonly query: LeafQuery | OrQuery }
  /** A stopword, folded and lowercase (`in`), or `null` for a word that can match nothing (too long, say). */
  | { readonly kind: 'stopword'; readonly word: string | null };

export type Query = LeafQuery | AndQuery | OrQuery | NotQuery | PhraseQuery;

/** One function per kind of node; children are folded first (bottom-up). */
export interface QueryFolder<R> {
  term(node: TermQuery): R;
  prefix(node: PrefixQuery): R;
  fuzzy(node: FuzzyQuery): R;
  and(node: AndQuery, children: R[]): R;
  or(node: OrQuery, children: R[]): R;
  not(node: NotQuery, child: R): R;
  phrase(node: PhraseQuery, slots: Array<R | null>): R;
}

/**
 * Folds a tree bottom-up: each node's function receives the folded results of its children (a phrase's
 * stopword slots fold to null).
 */
export function foldQuery<R>(node: Query, folder: QueryFolder<R>): R {
  switch (node.kind) {
    case 'term':
      return folder.term(node);
    case 'prefix':
      return folder.prefix(node);
    case 'fuzzy':
      return folder.fuzzy(node);
    case 'and':
      return folder.and(node, node.children.map((c) => foldQuery(c, folder)));
    case 'or':
      return folder.or(node, node.children.map((c) => foldQuery(c, folder)));
    case 'not':
      return folder.not(node, foldQuery(node.child, folder));
    case 'phrase':
      return folder.phrase(
        node,
        node.slots.map((slot) => (slot.kind === 'word' ? foldQuery(slot.query, folder) : null)),
      );
  }
}

/** A folder that rebuilds the tree unchanged: a base for rewrites that change only some kinds of node. */
export const identityFolder: QueryFolder<Query> = {
  term: (node) => node,
  prefix: (node) => node,
  fuzzy: (node) => node,
  and: (node, children) => ({ ...node, children }),
  or: (node, children) => ({ ...node, children }),
  not: (node, child) => ({ ...node, child }),
  phrase: (node, slots) => ({
    ...node,
    slots: node.slots.map((slot, i) => (slot.kind === 'word' ? { kind: 'word', query: slots[i] as LeafQuery | OrQuery } : slot)),
  }),
};

/** Rewrites a tree with `overrides` for some kinds of node and the identity for the rest. */
export function rewriteQuery(node: Query, overrides: Partial<QueryFolder<Query>>): Query {
  return foldQuery(node, { ...identityFolder, ...overrides });
}

/** Where a leaf stands: under an odd number of NOTs (it excludes), and the nearest word it came from. */
export interface LeafContext {
  negated: boolean;
  source: Source | undefined;
}

/**
 * Calls `visit` for every leaf, in order, with its context: the tree's one top-down walk (the fold is
 * bottom-up). Written as a plain recursion because analysis and rewrites call it for every word of every
 * query: a fold building a closure per node allocated more than the rest of the query's analysis.
 */
export function forEachLeaf(node: Query, visit: (leaf: LeafQuery, context: LeafContext) => void): void {
  const walk = (n: Query, negated: boolean, source: Source | undefined): void => {
    const here = n.source ?? source;
    switch (n.kind) {
      case 'term':
      case 'prefix':
      case 'fuzzy':
        visit(n, { negated, source: here });
        return;
      case 'and':
      case 'or':
        for (const c of n.children) walk(c, negated, here);
        return;
      case 'not':
        walk(n.child, !negated, here);
        return;
      case 'phrase':
        for (const slot of n.slots) if (slot.kind === 'word') walk(slot.query, negated, here);
    }
  };
  walk(node, false, undefined);
}

/** Every leaf of a tree, in order; with `positive`, not those under a NOT (they never match a hit). */
export function leaves(node: Query, { positive = false }: { positive?: boolean } = {}): LeafQuery[] {
  const out: LeafQuery[] = [];
  forEachLeaf(node, (leaf, { negated }) => {
    if (!positive || !negated) out.push(leaf);
  });
  return out;
}

/** Whether the tree holds a phrase or an exclusion (the MiniSearch reference cannot evaluate phrases). */
export function hasPhrase(node: Query): boolean {
  return foldQuery<boolean>(node, {
    term: () => false,
    prefix: () => false,
    fuzzy: () => false,
    and: (_n, c) => c.some(Boolean),
    or: (_n, c) => c.some(Boolean),
    not: (_n, c) => c,
    phrase: () => true,
  });
}

/** Nodes, built the way the rest of the code expects (one child passes through, no empty AND/OR). */
export const q = {
  term: (term: string): TermQuery => ({ kind: 'term', term }),
  prefix: (term: string): PrefixQuery => ({ kind: 'prefix', term }),
  fuzzy: (term: string, distance: number): FuzzyQuery => ({ kind: 'fuzzy', term, distance }),
  and(children: readonly Query[], source?: Source): Query | null {
    if (children.length === 0) return null;
    if (children.length === 1 && source === undefined) return children[0]!;
    return source === undefined ? { kind: 'and', children } : { kind: 'and', children, source };
  },
  or(children: readonly Query[], source?: Source): Query | null {
    if (children.length === 0) return null;
    if (children.length === 1 && source === undefined) return children[0]!;
    return source === undefined ? { kind: 'or', children } : { kind: 'or', children, source };
  },
  not: (child: Query, source?: Source): NotQuery => (source === undefined ? { kind: 'not', child } : { kind: 'not', child, source }),
};

/**
 * MiniSearch's own form of a tree, to run its `search` as the reference our engine equals. MiniSearch has no
 * phrases: a caller that knows where they match says what each becomes (by default, a tree with one throws).
 */
export function toMiniSearchQuery(
  node: Query,
  phrase: (node: PhraseQuery, slots: Array<string | Record<string, unknown> | null>) => string | Record<string, unknown> = () => {
    throw new Error('query: MiniSearch cannot evaluate a phrase');
  },
): string | Record<string, unknown> {
  return foldQuery<string | Record<string, unknown>>(node, {
    term: (n) => n.term,
    prefix: (n) => ({ combineWith: 'OR', queries: [n.term], prefix: true }),
    fuzzy: (n) => ({ combineWith: 'OR', queries: [n.term], fuzzy: n.distance }),
    and(n, children) {
      // MiniSearch's AND_NOT takes the first query minus the others: the positives AND'ed, then the exclusions.
      const positive = children.filter((_c, i) => n.children[i]!.kind !== 'not');
      const negative = children.filter((_c, i) => n.children[i]!.kind === 'not');
      const all: string | Record<string, unknown> = positive.length === 1 ? positive[0]! : { combineWith: 'AND', queries: positive };
      return negative.length === 0 ? all : { combineWith: 'AND_NOT', queries: [all, ...negative] };
    },
    or: (_n, children) => ({ combineWith: 'OR', queries: children }),
    not: (_n, child) => child,
    phrase,
  });
}
