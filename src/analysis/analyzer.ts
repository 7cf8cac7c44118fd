/**
 * The Dutch analyzer: text → words with offsets → normalized form → stopword check → stem → folded
 * index terms. One code path serves documents, queries and highlighting, so the three always agree.
 */
import { foldDiacritics, normalizeWord } from './normalize.js';
import { DEFAULT_STEMMER, stemmerByName, type StemmerName } from './stemmers.js';
import { DUTCH_STOPWORDS } from './stopwords.js';
import { forEachWord, hasDigit } from './tokenize.js';

/**
 * Bump when a change to the analyzer changes any index term: a persisted index built with another
 * version must be rebuilt.
 */
export const ANALYZER_REVISION = 2;

/** Words (or compound wholes) longer than this, normalized, are kept as tokens but not indexed. */
export const MAX_TERM_LENGTH = 64;

/**
 * Distinct written words whose analysis each analyzer remembers. Word frequencies follow Zipf's law, so
 * the words met first are mostly the frequent ones and a bounded memo serves nearly every token: indexing
 * and highlighting then stem each distinct word once instead of at every occurrence. Beyond the bound new
 * words are analyzed without being remembered (no eviction churn; memory stays bounded, a few MB).
 */
export const WORD_MEMO_SIZE = 50_000;

/** One word of the text, as the analyzer sees it. */
export interface Token {
  /** The word exactly as written: `text.slice(start, end)`. */
  surface: string;
  /** Offset of the first UTF-16 code unit of the word. */
  start: number;
  /** Offset just past the word. */
  end: number;
  /** NFKC, lowercase, one kind of apostrophe; diacritics kept (`oekraïne`). */
  normalized: string;
  /** Snowball's stem of `normalized` (numbers are not stemmed); for a compound, the stem of its parts joined. */
  stem: string;
  /** On the stop list (compared without diacritics): never indexed, but still a token with offsets. */
  stopword: boolean;
  /** The index terms this word contributes itself (a compound's parts add their own). */
  terms: readonly string[];
  /** A hyphenated compound's parts, each a token of its own (`Kremlin`, `woordvoerder`). */
  parts?: Token[];
  /**
   * What identifies this word at a position, for phrases (`positionKey`): its index terms, or the stopword it
   * is. A compound has no position of its own: each of its parts has one.
   */
  key: string;
}

/** What a word contributes: its stem, whether it is a stopword, its index terms and its position key. */
interface WordAnalysis {
  stem: string;
  stopword: boolean;
  terms: readonly string[];
  key: string;
  /** The word normalized and without diacritics (`oekraine`): how suggestions look words up. */
  folded: string;
}

/** Separates the terms of a word with two (`financieel`, `financiel`) in its position key. */
export const KEY_TERM_SEPARATOR = '\u0000';
/** Starts the position key of a stopword (`\u0001in`): a stopword has no index term, but it has a place. */
export const KEY_STOPWORD_MARK = '\u0001';

/**
 * The position key of a word: its index terms joined (usually the one term itself, so no new string), the
 * folded stopword behind a mark, or '' for a word that has neither (too long, say), which no phrase matches.
 * Index terms never hold the control characters used here (they are letters, digits and apostrophes).
 */
export function positionKey(terms: readonly string[], stopword: string | null): string {
  if (stopword !== null) return KEY_STOPWORD_MARK + stopword;
  if (terms.length === 1) return terms[0]!;
  return terms.join(KEY_TERM_SEPARATOR);
}

/** The terms a position key stands for (none for a stopword or the empty key). */
export function termsOfKey(key: string): string[] {
  if (key === '' || key.startsWith(KEY_STOPWORD_MARK)) return [];
  return key.split(KEY_TERM_SEPARATOR);
}

/** Receives a word's `[start, end)` offsets and index terms (shared and frozen: read, never keep or change). */
export type TermsVisitor = (start: number, end: number, terms: readonly string[], part: boolean) => void;

/**
 * Receives one position: a word, or a part of a hyphenated compound, with its key and index terms (frozen),
 * the word as written, its folded form (normalized, no diacritics), and the analyzer's small id for the
 * written word (0 … WORD_MEMO_SIZE − 1, the same for every occurrence; −1 when it is not remembered).
 */
export type PositionVisitor = (
  start: number,
  end: number,
  key: string,
  terms: readonly string[],
  surface: string,
  folded: string,
  word: number,
) => void;

export interface AnalyzerOptions {
  /** Snowball algorithm: `dutch` (Kraaij-Pohlmann, default) or `dutch_porter`. */
  stemmer?: StemmerName;
}

export interface Analyzer {
  /** Identifies the analysis: a persisted index is only valid for the same version. */
  readonly version: string;
  readonly stemmer: StemmerName;
  /** Every word of `text` with offsets, normalized form, stem, stopword flag and index terms. */
  analyze(text: string): Token[];
  /** The index terms of `text`, in order: what the index stores for it. Same result as `analyze`, faster. */
  indexTerms(text: string): string[];
  /**
   * Every word's offsets and index terms, without building tokens (the highlighter's path: it allocates
   * next to nothing). A compound is visited whole, then each part with `part` true. With `initials` (the
   * first UTF-16 code units of the terms of interest), words whose terms cannot start with one of them are
   * skipped unanalyzed (see `mayStartTermWith`).
   */
  forEachTerms(text: string, visit: TermsVisitor, initials?: ReadonlySet<number>): void;
  /**
   * Every position of `text` in order: each word, or for a hyphenated compound each of its parts, stopwords
   * included (they keep their place in phrases). The index terms of all positions, in order, are exactly
   * `indexTerms(text)`; the index stores the keys for phrase matching, and the highlighter counts positions
   * the same way to find a matched phrase's offsets.
   */
  forEachPosition(text: string, visit: PositionVisitor): void;
  /** MiniSearch's `tokenize` hook: the words of `text` as written. */
  tokenize(text: string): string[];
  /** MiniSearch's `processTerm` hook: the index terms of one word, or null for a stopword. */
  processTerm(word: string): string[] | null;
}

/**
 * Builds an analyzer for one stemmer.
 * @example createAnalyzer().analyze('Oekraïense gesprekken')[1].terms // ['sprek'] (KP drops the ge- prefix)
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const stemmerName = options.stemmer ?? DEFAULT_STEMMER;
  const stem = stemmerByName(stemmerName);

  /**
   * Index terms of one normalized word. Stem first, then fold: Snowball's rules read the diacritics
   * (`financiële` → `financieel`, like `financieel`). Where folding first gives another stem, that one is
   * a term too, so a query typed without diacritics (`financiele`) still meets the word. DESIGN.md has the
   * measurements behind this order.
   */
  function analyzeWord(normalized: string): WordAnalysis {
    if (normalized.length === 0 || normalized.length > MAX_TERM_LENGTH) {
      return { stem: normalized, stopword: false, terms: [], key: '', folded: '' };
    }
    const folded = foldDiacritics(normalized);
    if (folded.length === 0) return { stem: normalized, stopword: false, terms: [], key: '', folded };
    if (DUTCH_STOPWORDS.has(folded)) return { stem: stemUnlessNumber(normalized), stopword: true, terms: [], key: positionKey([], folded), folded };
    if (hasDigit(normalized)) return indexed(normalized, [folded], folded);
    const stemmed = stem(normalized);
    if (folded === normalized) return indexed(stemmed, [stemmed], folded);
    const primary = foldDiacritics(stemmed);
    const alternative = stem(folded);
    return indexed(stemmed, primary === alternative ? [primary] : [primary, alternative], folded);
  }

  function indexed(stemmed: string, terms: string[], folded: string): WordAnalysis {
    return { stem: stemmed, stopword: false, terms, key: positionKey(terms, null), folded };
  }

  /**
   * A written word's normalized form and analysis; remembered (see WORD_MEMO_SIZE). Results are frozen:
   * shared. A remembered word has a small id (`word`, 0 … WORD_MEMO_SIZE − 1; −1 for one not remembered),
   * which lets the index keep per-word facts in typed arrays instead of looking strings up.
   */
  const memo = new Map<string, { normalized: string; analysis: WordAnalysis; word: number }>();
  function analyzeWritten(surface: string): { normalized: string; analysis: WordAnalysis; word: number } {
    const known = memo.get(surface);
    if (known !== undefined) return known;
    const normalized = normalizeWord(surface);
    const analysis = analyzeWord(normalized);
    Object.freeze(analysis.terms);
    const remembered = memo.size < WORD_MEMO_SIZE;
    const entry = Object.freeze({ normalized, analysis: Object.freeze(analysis), word: remembered ? memo.size : -1 });
    if (remembered) memo.set(surface, entry);
    return entry;
  }

  function stemUnlessNumber(normalized: string): string {
    return hasDigit(normalized) ? normalized : stem(normalized);
  }

  function wordToken(text: string, start: number, end: number): Token {
    const surface = text.slice(start, end);
    const { normalized, analysis } = analyzeWritten(surface);
    return { surface, start, end, normalized, stem: analysis.stem, stopword: analysis.stopword, terms: analysis.terms, key: analysis.key };
  }

  /** Compound wholes by their joined normalized form, remembered like written words. */
  const wholeMemo = new Map<string, WordAnalysis>();

  /** The joined form of a compound's parts, analyzed as one word (`kremlinwoordvoerder`). */
  function compoundWhole(normalizedParts: string[]): WordAnalysis {
    const joined = normalizedParts.join('');
    const known = wholeMemo.get(joined);
    if (known !== undefined) return known;
    const analysis = analyzeWord(joined);
    Object.freeze(analysis.terms);
    Object.freeze(analysis);
    if (wholeMemo.size < WORD_MEMO_SIZE) wholeMemo.set(joined, analysis);
    return analysis;
  }

  function forEachTerms(text: string, visit: TermsVisitor, initials?: ReadonlySet<number>): void {
    const normalizedParts: string[] = [];
    const partTerms: Array<readonly string[]> = [];
    forEachWord(text, (start, end, bounds) => {
      if (bounds.length === 2) {
        if (initials !== undefined && !mayStartTermWith(text, start, end, initials)) return;
        visit(start, end, analyzeWritten(text.slice(start, end)).analysis.terms, false);
        return;
      }
      normalizedParts.length = 0;
      partTerms.length = 0;
      for (let b = 0; b < bounds.length; b += 2) {
        const part = analyzeWritten(text.slice(bounds[b], bounds[b + 1]));
        normalizedParts.push(part.normalized);
        partTerms.push(part.analysis.terms);
      }
      visit(start, end, compoundWhole(normalizedParts).terms, false);
      for (let b = 0; b < bounds.length; b += 2) visit(bounds[b]!, bounds[b + 1]!, partTerms[b >> 1]!, true);
    });
  }

  function forEachPosition(text: string, visit: PositionVisitor): void {
    forEachWord(text, (_start, _end, bounds) => {
      // A plain word is one part spanning the word; a compound's parts are its positions.
      for (let b = 0; b < bounds.length; b += 2) {
        const surface = text.slice(bounds[b], bounds[b + 1]);
        const { analysis, word } = analyzeWritten(surface);
        visit(bounds[b]!, bounds[b + 1]!, analysis.key, analysis.terms, surface, analysis.folded, word);
      }
    });
  }

  function analyze(text: string): Token[] {
    const tokens: Token[] = [];
    forEachWord(text, (start, end, bounds) => {
      if (bounds.length === 2) {
        tokens.push(wordToken(text, start, end));
        return;
      }
      const parts: Token[] = [];
      for (let b = 0; b < bounds.length; b += 2) parts.push(wordToken(text, bounds[b]!, bounds[b + 1]!));
      const whole = compoundWhole(parts.map((p) => p.normalized));
      const surface = text.slice(start, end);
      tokens.push({
        surface,
        start,
        end,
        normalized: normalizeWord(surface),
        stem: whole.stem,
        stopword: whole.stopword,
        terms: whole.terms,
        parts,
        key: '',
      });
    });
    return tokens;
  }

  function indexTerms(text: string): string[] {
    const out: string[] = [];
    forEachWord(text, (start, end, bounds) => {
      if (bounds.length === 2) {
        pushAll(out, analyzeWritten(text.slice(start, end)).analysis.terms);
        return;
      }
      // A hyphenated compound is indexed by its parts only (see `indexedTerms`).
      for (let b = 0; b < bounds.length; b += 2) pushAll(out, analyzeWritten(text.slice(bounds[b], bounds[b + 1])).analysis.terms);
    });
    return out;
  }

  function tokenize(text: string): string[] {
    const words: string[] = [];
    forEachWord(text, (start, end) => words.push(text.slice(start, end)));
    return words;
  }

  function processTerm(word: string): string[] | null {
    const terms = indexTerms(word);
    return terms.length > 0 ? terms : null;
  }

  return {
    version: `nl-${ANALYZER_REVISION}-${stemmerName}`,
    stemmer: stemmerName,
    analyze,
    indexTerms,
    forEachTerms,
    forEachPosition,
    tokenize,
    processTerm,
  };
}

/** An ASCII code unit lowercased, or -1 for anything beyond ASCII. */
function asciiLower(c: number): number {
  if (c >= 0x80 || c !== c) return -1;
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/**
 * Whether the word at `[start, end)` may have an index term starting with one of `initials`. A Dutch stem
 * keeps its word's first letter, except that Kraaij-Pohlmann drops a leading `ge` (`gesprek` → `sprek`),
 * so a term starts with the word's first letter or, after `ge`, its third (tests/analysis/analyzer.test.ts
 * checks this on Snowball's whole vocabulary). Only plain ASCII beginnings are judged; any other word
 * may match (it is analyzed). This lets highlighting skip analysing nearly every word of a paragraph.
 */
export function mayStartTermWith(text: string, start: number, end: number, initials: ReadonlySet<number>): boolean {
  const c0 = asciiLower(text.charCodeAt(start));
  if (c0 < 0 || initials.has(c0)) return true;
  if (c0 !== 0x67 || end - start < 3) return false;
  const c1 = asciiLower(text.charCodeAt(start + 1));
  if (c1 < 0) return true;
  if (c1 !== 0x65) return false;
  const c2 = asciiLower(text.charCodeAt(start + 2));
  return c2 < 0 || initials.has(c2);
}

function pushAll(out: string[], items: readonly string[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}

/**
 * The terms a token puts in the index: a word's own terms, or a hyphenated compound's parts' terms. The
 * compound's whole (`kremlinwoordvoer`) is not indexed: one term per distinct compound was 28% of the
 * vocabulary of a realistic corpus and most of its memory (DESIGN.md, "Compounds"). A query still tries the
 * whole, so `Kremlin-woordvoerder` finds `kremlinwoordvoerder` written closed, and both find the parts.
 */
export function indexedTerms(token: Token): readonly string[] {
  if (!token.parts) return token.terms;
  return token.parts.flatMap((p) => p.terms);
}

/** Every term a token can match on as a query word: its own (a compound's whole) and its parts'. */
export function tokenTerms(token: Token): readonly string[] {
  if (!token.parts) return token.terms;
  return [...token.terms, ...token.parts.flatMap((p) => p.terms)];
}
