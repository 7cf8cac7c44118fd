/**
 * Synonyms at query time, in the Solr / Elasticsearch file format: `a, b, c` (equivalents) and `a => b`
 * (one-way). Parsing reports each bad line by number and keeps the rest; compiling analyzes every entry
 * with the index's analyzer, so entries match query words the way documents match them (by their terms).
 */
import type { Analyzer } from '../analysis/analyzer.js';
import { foldDiacritics } from '../analysis/normalize.js';

/** One line of the file: a search for any of `from` also finds every entry of `to`. */
export interface SynonymRule {
  line: number;
  from: string[];
  to: string[];
}

export interface SynonymLineError {
  line: number;
  message: string;
}

/** Most entries on one line, and the longest entry in words: a runaway line cannot blow up every query. */
export const MAX_ENTRIES_PER_RULE = 32;
export const MAX_ENTRY_WORDS = 12;

const ENTRY = /^[\p{L}\p{N}\p{M}'’.&/ -]+$/u;

/**
 * Reads a synonym file: `#` comments and blank lines are skipped; `a, b, c` makes each entry find the others;
 * `a, b => c, d` makes a and b also find c and d (the left side is kept: at query time only the query is
 * rewritten, so dropping it would make the documents that say `a` unfindable).
 */
export function parseSynonyms(text: string): { rules: SynonymRule[]; errors: SynonymLineError[] } {
  const rules: SynonymRule[] = [];
  const errors: SynonymLineError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const sides = content.split('=>');
    if (sides.length > 2) return void errors.push({ line, message: 'more than one "=>"' });
    const lists = sides.map((side) => side.split(',').map((e) => e.trim().replace(/\s+/g, ' ')));
    for (const list of lists) {
      const bad = list.find((e) => e === '' || !ENTRY.test(e));
      if (bad !== undefined) {
        return void errors.push({ line, message: bad === '' ? 'an empty entry (two commas, or a comma at an end)' : `"${bad}" holds characters an entry cannot (letters, digits, spaces, hyphens, apostrophes)` });
      }
      if (list.length > MAX_ENTRIES_PER_RULE) return void errors.push({ line, message: `more than ${MAX_ENTRIES_PER_RULE} entries` });
      const long = list.find((e) => e.split(' ').length > MAX_ENTRY_WORDS);
      if (long !== undefined) return void errors.push({ line, message: `"${long}" has more than ${MAX_ENTRY_WORDS} words` });
    }
    if (lists.length === 1) {
      if (lists[0]!.length < 2) return void errors.push({ line, message: 'a line of equivalents needs at least two entries, separated by commas' });
      rules.push({ line, from: lists[0]!, to: lists[0]! });
    } else rules.push({ line, from: lists[0]!, to: lists[1]! });
  });
  return { rules, errors };
}

/** One word of an entry as the analyzer sees it: its terms, or the stopword it is (folded). */
export interface EntryPosition {
  terms: readonly string[];
  stopword: string | null;
}

/** An entry, analyzed: its text as written in the file and its positions (a hyphenated word gives several). */
export interface SynonymEntry {
  text: string;
  positions: EntryPosition[];
}

/** What an entry met in a query expands to. */
export interface SynonymMatch {
  entry: SynonymEntry;
  alternatives: SynonymEntry[];
}

/** The compiled synonyms: entries by the terms of their first word, for matching query words. */
export class Synonyms {
  private readonly byFirstTerm = new Map<string, SynonymMatch[]>();
  readonly ruleCount: number;

  constructor(rules: readonly SynonymRule[], analyzer: Pick<Analyzer, 'analyze'>) {
    const entries = new Map<string, SynonymEntry>();
    const entryOf = (text: string): SynonymEntry | null => {
      const key = text.toLowerCase();
      let entry = entries.get(key);
      if (entry === undefined) {
        const positions = analyzer.analyze(text).flatMap((t) => t.parts ?? [t]).map((p) => ({ terms: p.terms, stopword: p.stopword ? foldDiacritics(p.normalized) : null }));
        entry = { text, positions };
        entries.set(key, entry);
      }
      // An entry of only stopwords (or nothing indexable) can neither be met nor searched.
      return entry.positions.some((p) => p.terms.length > 0) ? entry : null;
    };
    const alternativesOf = new Map<SynonymEntry, SynonymEntry[]>();
    for (const rule of rules) {
      const to = rule.to.map(entryOf).filter((e): e is SynonymEntry => e !== null);
      for (const text of rule.from) {
        const entry = entryOf(text);
        if (entry === null) continue;
        const list = alternativesOf.get(entry) ?? [];
        for (const alternative of to) if (alternative !== entry && !list.includes(alternative) && !samePositions(alternative, entry)) list.push(alternative);
        alternativesOf.set(entry, list);
      }
    }
    for (const [entry, alternatives] of alternativesOf) {
      if (alternatives.length === 0) continue;
      const first = entry.positions[0]!;
      const match = { entry, alternatives };
      for (const term of first.terms.length > 0 ? first.terms : [`\u0001${first.stopword}`]) {
        const list = this.byFirstTerm.get(term) ?? [];
        list.push(match);
        // Longest entries first: `Verenigde Staten van Amerika` before `Verenigde Staten`.
        list.sort((a, b) => b.entry.positions.length - a.entry.positions.length);
        this.byFirstTerm.set(term, list);
      }
    }
    this.ruleCount = rules.length;
  }

  get size(): number {
    return this.byFirstTerm.size;
  }

  /**
   * The longest entry that the positions from `at` on begin with, and what it expands to; the match may
   * only end where `canEnd` allows (at the end of a typed word, not inside a hyphenated one).
   */
  matchAt(positions: readonly EntryPosition[], at: number, canEnd: (end: number) => boolean): SynonymMatch | null {
    const first = positions[at]!;
    const candidates = first.terms.length > 0 ? first.terms.flatMap((t) => this.byFirstTerm.get(t) ?? []) : (this.byFirstTerm.get(`\u0001${first.stopword}`) ?? []);
    let best: SynonymMatch | null = null;
    for (const candidate of candidates) {
      const n = candidate.entry.positions.length;
      if (best !== null && n <= best.entry.positions.length) continue;
      if (at + n > positions.length || !canEnd(at + n)) continue;
      if (candidate.entry.positions.every((p, i) => samePosition(p, positions[at + i]!))) best = candidate;
    }
    return best;
  }
}

/** The same word: a stopword the same stopword, a word sharing a term (with or without diacritics). */
function samePosition(a: EntryPosition, b: EntryPosition): boolean {
  if (a.terms.length === 0 || b.terms.length === 0) return a.terms.length === b.terms.length && a.stopword === b.stopword;
  return a.terms.some((t) => b.terms.includes(t));
}

function samePositions(a: SynonymEntry, b: SynonymEntry): boolean {
  return a.positions.length === b.positions.length && a.positions.every((p, i) => samePosition(p, b.positions[i]!));
}

/** No synonyms at all. */
export const NO_SYNONYMS = new Synonyms([], { analyze: () => [] });
