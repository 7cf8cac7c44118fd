/**
 * The Dutch analyzer: text → words with offsets → normalized form → stopword check → stem → folded
 * index terms, with the stems of irregular forms' lemmas and of closed compounds' parts. One code path
 * serves documents, queries and highlighting, so the three always agree.
 */
import { splitCompound, type CompoundPart } from './decompound.js';
import { irregularLemmas } from './irregular.js';
import { compoundLexicon, MIN_PART_LENGTH } from './lexicon.js';
import { foldDiacritics, normalizeWord } from './normalize.js';
import { DEFAULT_STEMMER, stemmerByName, type StemmerName } from './stemmers.js';
import { DUTCH_STOPWORDS } from './stopwords.js';
import { forEachWord, hasDigit } from './tokenize.js';

/**
 * Bump when a change to the analyzer changes any index term: a persisted index built with another
 * version must be rebuilt.
 */
export const ANALYZER_REVISION = 3;

/** Words (or compound wholes) longer than this, normalized, are kept as tokens but not indexed. */
export const MAX_TERM_LENGTH = 64;

/**
 * Distinct written words whose analysis each analyzer remembers. Word frequencies follow Zipf's law, so
 * the words met first are mostly the frequent ones and a bounded memo serves nearly every token: indexing
 * and highlighting then analyze each distinct word once instead of at every occurrence. Beyond the bound new
 * words are analyzed without being remembered (no eviction churn; memory stays bounded). Splitting compounds
 * made a word's analysis about twice as costly, so the bound is generous: at 100,000 paragraphs of the
 * benchmark corpus (245,000 distinct words) 200,000 entries took indexing from 13.4 s to 9.0 s for about
 * 75 MB, which the compact postings had saved several times over (DESIGN.md, "Compounds").
 */
export const WORD_MEMO_SIZE = 200_000;
/** Letters of the last queries' term sets (`lettersOf`); cleared when full. */
const LETTERS_MEMO_SIZE = 256;
/** Analyses of the words met lately, in front of the memo (a small table stays in cache); cleared when full. */
const HOT_WORDS = 4096;

/** Compound parts (as words) whose terms each analyzer remembers: parts recur, see `termsOfPart`. */
export const PART_MEMO_SIZE = 20_000;

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
  /**
   * The index terms this word contributes itself (a hyphenated compound's parts add their own): its stem,
   * the stem without diacritics where that differs, and an irregular form's lemma's stem (`zei` → `zegg`).
   */
  terms: readonly string[];
  /** A closed compound's parts' terms (`telefoongesprek` → `telefoon`, `sprek`): the index's parts field. */
  partTerms: readonly string[];
  /** A closed compound's parts, offsets within `normalized` (`veiligheids`·`garanties`). */
  compound?: readonly CompoundPart[];
  /** The lemma of an irregular form (`zei` → `zeggen`), whose stem is among `terms`. */
  lemma?: string;
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
  /** A closed compound's parts' terms (none of them in `terms`), or the shared empty array. */
  partTerms: readonly string[];
  /** `terms` then `partTerms`: every term the word is marked for (the same array as `terms` without parts). */
  matchTerms: readonly string[];
  compound: readonly CompoundPart[] | null;
  lemma: string | null;
  key: string;
  /** The word normalized and without diacritics (`oekraine`): how suggestions look words up. */
  folded: string;
  /** The word normalized (`normalizeWord`). */
  normalized: string;
  /** The analyzer's small id for a remembered written word (see `analyzeWritten`), else −1. */
  word: number;
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

/**
 * Receives a word's `[start, end)` offsets and every term it is matched on, in either field: its own and a
 * closed compound's parts' (shared and frozen: read, never keep or change).
 */
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
  /** A closed compound's parts' terms (frozen; usually the shared empty array). */
  partTerms: readonly string[],
) => void;

export interface AnalyzerOptions {
  /** Snowball algorithm: `dutch` (Kraaij-Pohlmann, default) or `dutch_porter`. */
  stemmer?: StemmerName;
  /** Split closed compounds into parts (default true); off, the analyzer is the stemmer alone. */
  decompound?: boolean;
  /** Index irregular forms with their lemma's stem too (default true). */
  irregularForms?: boolean;
}

export interface Analyzer {
  /** Identifies the analysis: a persisted index is only valid for the same version. */
  readonly version: string;
  readonly stemmer: StemmerName;
  /** Every word of `text` with offsets, normalized form, stem, stopword flag and index terms. */
  analyze(text: string): Token[];
  /** The index terms of `text`, in order: what the index stores for it. Same result as `analyze`, faster. */
  indexTerms(text: string): string[];
  /** The terms of the closed compounds' parts in `text`, in order: the index's parts field. */
  partTerms(text: string): string[];
  /**
   * Every word's offsets and index terms, without building tokens (the highlighter's path: it allocates
   * next to nothing). A hyphenated compound is visited whole, then each part with `part` true. Every term
   * the analyzer emits for a word (`analyze`'s `terms` and `partTerms`) is among the terms visited for it.
   * With `letters` (of the terms of interest, from `lettersOf`), words none of whose terms can be among
   * them are skipped unanalyzed (see `mayStartTermWith`).
   */
  forEachTerms(text: string, visit: TermsVisitor, letters?: TermLetters): void;
  /** What `forEachTerms` needs to know of the terms of interest to skip the words that cannot hold one. */
  lettersOf(terms: Iterable<string>): TermLetters;
  /**
   * Every position of `text` in order: each word, or for a hyphenated compound each of its parts, stopwords
   * included (they keep their place in phrases). The index terms of all positions, in order, are exactly
   * `indexTerms(text)`; the index stores the keys for phrase matching, and the highlighter counts positions
   * the same way to find a matched phrase's offsets.
   */
  forEachPosition(text: string, visit: PositionVisitor): void;
  /** The lexicon's release, when compounds are split. */
  readonly lexicon: string | null;
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
  const lexicon = options.decompound === false ? null : compoundLexicon();
  const irregular = options.irregularForms === false ? new Map<string, string>() : irregularLemmas();

  /**
   * Index terms of one normalized word. Stem first, then fold: Snowball's rules read the diacritics
   * (`financiële` → `financieel`, like `financieel`). Where folding first gives another stem, that one is
   * a term too, so a query typed without diacritics (`financiele`) still meets the word. DESIGN.md has the
   * measurements behind this order.
   */
  function analyzeWord(normalized: string): WordAnalysis {
    if (normalized.length === 0 || normalized.length > MAX_TERM_LENGTH) return unindexed(normalized, normalized, '', false, '');
    const folded = foldDiacritics(normalized);
    if (folded.length === 0) return unindexed(normalized, normalized, folded, false, '');
    if (DUTCH_STOPWORDS.has(folded)) return unindexed(normalized, stemUnlessNumber(normalized), folded, true, positionKey([], folded));
    if (hasDigit(normalized)) return indexed(normalized, normalized, [folded], folded, null, null);
    const { stemmed, terms, lemma } = wordTerms(normalized, folded);
    const compound = lexicon === null ? null : splitCompound(normalized, lexicon);
    return indexed(normalized, stemmed, terms, folded, compound, lemma);
  }

  /** A word's own terms: its stem, the stem of its folded form where different, its lemma's stem. */
  function wordTerms(normalized: string, folded: string): { stemmed: string; terms: string[]; lemma: string | null } {
    const stemmed = stem(normalized);
    let terms: string[];
    if (folded === normalized) terms = [stemmed];
    else {
      const primary = foldDiacritics(stemmed);
      const alternative = stem(folded);
      terms = primary === alternative ? [primary] : [primary, alternative];
    }
    const lemma = irregular.get(normalized) ?? irregular.get(folded) ?? null;
    if (lemma !== null) {
      const lemmaTerm = foldDiacritics(stem(lemma));
      if (!terms.includes(lemmaTerm)) terms.push(lemmaTerm);
    }
    return { stemmed, terms, lemma };
  }

  /**
   * The terms of a compound's parts: a first or middle part is indexed as its lemma (`veiligheids` as
   * `veiligheid`), the last as written (`garanties`), each as a word of its own would be. Terms the word
   * has itself, and stopwords, are left out.
   */
  function partTermsOf(compound: readonly CompoundPart[], own: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < compound.length; i++) {
      const part = compound[i]!;
      for (const term of termsOfPart(i === compound.length - 1 ? part.text : part.lemma)) if (!own.includes(term) && !out.includes(term)) out.push(term);
    }
    return out;
  }

  /**
   * A part's terms as a word of its own, remembered (a bounded number): parts recur across compounds far
   * more than the compounds do, so most are stemmed once.
   */
  const partMemo = new Map<string, readonly string[]>();
  function termsOfPart(word: string): readonly string[] {
    const known = partMemo.get(word);
    if (known !== undefined) return known;
    const folded = foldDiacritics(word);
    const terms = DUTCH_STOPWORDS.has(folded) ? NO_TERMS : Object.freeze(wordTerms(word, folded).terms);
    if (partMemo.size < PART_MEMO_SIZE) partMemo.set(word, terms);
    return terms;
  }

  function unindexed(normalized: string, stemmed: string, folded: string, stopword: boolean, key: string): WordAnalysis {
    return { stem: stemmed, stopword, terms: NO_TERMS, partTerms: NO_TERMS, matchTerms: NO_TERMS, compound: null, lemma: null, key, folded, normalized, word: -1 };
  }

  function indexed(normalized: string, stemmed: string, terms: string[], folded: string, compound: readonly CompoundPart[] | null, lemma: string | null): WordAnalysis {
    Object.freeze(terms);
    const partTerms = compound === null ? NO_TERMS : Object.freeze(partTermsOf(compound, terms));
    const matchTerms = partTerms.length === 0 ? terms : Object.freeze([...terms, ...partTerms]);
    return { stem: stemmed, stopword: false, terms, partTerms, matchTerms, compound: partTerms.length === 0 ? null : compound, lemma, key: positionKey(terms, null), folded, normalized, word: -1 };
  }

  /**
   * A written word's normalized form and analysis; remembered (see WORD_MEMO_SIZE). Results are frozen:
   * shared. A remembered word has a small id (`word`, 0 … WORD_MEMO_SIZE − 1; −1 for one not remembered),
   * which lets the index keep per-word facts in typed arrays instead of looking strings up.
   */
  const memo = new Map<string, WordAnalysis>();
  /**
   * The words met lately, in front of `memo`: Dutch text is mostly its few thousand commonest words, and a
   * small table answers them from the processor's cache where the large one misses it (DESIGN.md, "Highlighting").
   */
  const recent = new Map<string, WordAnalysis>();
  function analyzeWritten(surface: string): WordAnalysis {
    return recent.get(surface) ?? analyzeNotRecent(surface);
  }

  /** `analyzeWritten` for a word not in `recent`. */
  function analyzeNotRecent(surface: string): WordAnalysis {
    const known = memo.get(surface);
    if (known !== undefined) {
      if (recent.size >= HOT_WORDS) recent.clear();
      recent.set(surface, known);
      return known;
    }
    const analysis = analyzeWord(normalizeWord(surface));
    // One object per remembered word: its analysis carries its id.
    if (memo.size < WORD_MEMO_SIZE) {
      analysis.word = memo.size;
      memo.set(surface, Object.freeze(analysis));
    }
    return analysis;
  }

  function stemUnlessNumber(normalized: string): string {
    return hasDigit(normalized) ? normalized : stem(normalized);
  }

  function wordToken(text: string, start: number, end: number): Token {
    const surface = text.slice(start, end);
    const analysis = analyzeWritten(surface);
    const token: Token = { surface, start, end, normalized: analysis.normalized, stem: analysis.stem, stopword: analysis.stopword, terms: analysis.terms, partTerms: analysis.partTerms, key: analysis.key };
    if (analysis.compound !== null) token.compound = analysis.compound;
    if (analysis.lemma !== null) token.lemma = analysis.lemma;
    return token;
  }

  /** Compound wholes by their joined normalized form, remembered like written words. */
  const wholeMemo = new Map<string, WordAnalysis>();

  /** The joined form of a compound's parts, analyzed as one word (`kremlinwoordvoerder`). */
  function compoundWhole(normalizedParts: string[]): WordAnalysis {
    const joined = normalizedParts.join('');
    const known = wholeMemo.get(joined);
    if (known !== undefined) return known;
    const analysis = analyzeWord(joined);
    Object.freeze(analysis);
    if (wholeMemo.size < WORD_MEMO_SIZE) wholeMemo.set(joined, analysis);
    return analysis;
  }

  /**
   * The stems of the lemmas in the irregular-forms table, with their forms: a part holds a lemma's stem
   * either by its letters or as one of those forms (`gaf` for `geven`), whose own letters then stand in the word.
   */
  const formsOfLemmaTerm = new Map<string, string[]>();
  for (const [form, lemma] of irregular) {
    const term = foldDiacritics(stem(lemma));
    const forms = formsOfLemmaTerm.get(term);
    if (forms === undefined) formsOfLemmaTerm.set(term, [form]);
    else forms.push(form);
  }

  /** By the terms joined: one query's hits ask for the same letters each time. */
  const lettersMemo = new Map<string, TermLetters>();
  function lettersOf(terms: Iterable<string>): TermLetters {
    const list = [...terms];
    const key = list.join('\u0000');
    let letters = lettersMemo.get(key);
    if (letters === undefined) {
      letters = termLetters(list);
      if (lettersMemo.size >= LETTERS_MEMO_SIZE) lettersMemo.clear();
      lettersMemo.set(key, letters);
    }
    return letters;
  }

  function termLetters(terms: readonly string[]): TermLetters {
    const initials = new Set<number>();
    const starts = new Set<number>();
    const doubled = new Set<number>();
    const short = new Set<number>();
    let anyPart = false;
    const addStart = (t: string) => {
      const c0 = t.charCodeAt(0);
      if (t.length < 2) anyPart = true;
      else if (t.charCodeAt(1) === c0) doubled.add(c0);
      else starts.add((c0 << 16) | t.charCodeAt(1));
    };
    for (const t of terms) {
      initials.add(t.charCodeAt(0));
      if (t.length === 2) short.add(t.charCodeAt(0));
      addStart(t);
      // An irregular form stands for its lemma's term (`is` for `zijn`): its letters are the term's too.
      for (const form of formsOfLemmaTerm.get(t) ?? []) {
        const folded = foldDiacritics(form);
        if (folded.length >= 2 && folded.charCodeAt(0) < 0x80 && folded.charCodeAt(1) < 0x80) {
          initials.add(folded.charCodeAt(0));
          addStart(folded);
        } else anyPart = true;
      }
    }
    return { initials, starts, doubled, short, anyPart };
  }

  function forEachTerms(text: string, visit: TermsVisitor, letters?: TermLetters): void {
    const normalizedParts: string[] = [];
    const partTerms: Array<readonly string[]> = [];
    forEachWord(text, (start, end, bounds) => {
      if (bounds.length === 2) {
        // A word that cannot hold any of the terms asked for is skipped before it is even cut out of the
        // text: most words of a hit, and looking each up cost half of a search's time (DESIGN.md, "Highlighting").
        if (letters !== undefined && !mayStartTermWith(text, start, end, letters)) return;
        const surface = text.slice(start, end);
        visit(start, end, analyzeWritten(surface).matchTerms, false);
        return;
      }
      normalizedParts.length = 0;
      partTerms.length = 0;
      for (let b = 0; b < bounds.length; b += 2) {
        const part = analyzeWritten(text.slice(bounds[b], bounds[b + 1]));
        normalizedParts.push(part.normalized);
        partTerms.push(part.matchTerms);
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
        const analysis = analyzeWritten(surface);
        visit(bounds[b]!, bounds[b + 1]!, analysis.key, analysis.terms, surface, analysis.folded, analysis.word, analysis.partTerms);
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
        partTerms: NO_TERMS,
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
        pushAll(out, analyzeWritten(text.slice(start, end)).terms);
        return;
      }
      // A hyphenated compound is indexed by its parts only (see `indexedTerms`).
      for (let b = 0; b < bounds.length; b += 2) pushAll(out, analyzeWritten(text.slice(bounds[b], bounds[b + 1])).terms);
    });
    return out;
  }

  function partTerms(text: string): string[] {
    const out: string[] = [];
    forEachWord(text, (_start, _end, bounds) => {
      for (let b = 0; b < bounds.length; b += 2) pushAll(out, analyzeWritten(text.slice(bounds[b], bounds[b + 1])).partTerms);
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

  const features = `${lexicon === null ? '' : `-compounds-opentaal-${lexicon.release}`}${options.irregularForms === false ? '' : '-irregular'}`;
  return {
    version: `nl-${ANALYZER_REVISION}-${stemmerName}${features}`,
    stemmer: stemmerName,
    lexicon: lexicon?.release ?? null,
    analyze,
    indexTerms,
    partTerms,
    forEachTerms,
    lettersOf,
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

/** What the highlighter's skip rule needs to know of the terms it marks (Analyzer.lettersOf builds it). */
export interface TermLetters {
  /** The first UTF-16 code unit of each term. */
  readonly initials: ReadonlySet<number>;
  /** The first two code units of each term, as `c0 << 16 | c1`. */
  readonly starts: ReadonlySet<number>;
  /** The first code unit of each term that begins with it twice (`uur`, which Kraaij-Pohlmann makes of `uren`). */
  readonly doubled: ReadonlySet<number>;
  /**
   * The first code unit of each term of two letters: its second may be one the stemmer changed at the end of
   * the stem (`avs` → `af`, `v` made `f`), so a word with that first letter is never judged by its second.
   */
  readonly short: ReadonlySet<number>;
  /** A term a compound's part may yield with no known two letters standing in the word: every such word may match. */
  readonly anyPart: boolean;
}

/**
 * Whether the word at `[start, end)` may have a term among those `letters` describe: the contract every term
 * the analyzer emits keeps (tests/analysis/analyzer.test.ts checks it on Snowball's whole vocabulary and on
 * the compound list). A word's own term starts with its first two letters (a term of two letters with its
 * first: the stemmer may have changed the last, `avs` → `af`), or (as a part's below) its first doubled or
 * the two around a `ge` dropped after the first; or after a leading `ge`, which Kraaij-Pohlmann
 * drops (`gesprek` → `sprek`), with its third. A closed compound's later part starts at least
 * MIN_PART_LENGTH letters in, and its term with the part's first two letters — after a leading `ge`, or
 * with a `ge` after the first letter dropped (`agentschap` → `antschap`), or with the first vowel doubled
 * (`uren` → `uur`) — so a word long enough to be a compound may match only where a term's first two letters
 * stand so from there on (`sp` of `sprek` in `telefoongesprek`); an irregular lemma's stem stands there by
 * its letters or by one of its forms' (`gaf` in a compound holding `geven`), and a word that is such a form
 * (`is` for `zijn`) by the form's letters, which `lettersOf` counts as the term's. Only plain ASCII is
 * judged; any other word is analyzed.
 */
export function mayStartTermWith(text: string, start: number, end: number, letters: TermLetters): boolean {
  const initials = letters.initials;
  const c0 = asciiLower(text.charCodeAt(start));
  if (c0 < 0) return true;
  // The word's own term: its first letter, and from there two letters as a part's start is judged.
  if (initials.has(c0) && (end - start < 2 || letters.anyPart || letters.short.has(c0) || mayStartHere(text, start, end, letters))) return true;
  if (end - start >= 2 * MIN_PART_LENGTH) {
    if (letters.anyPart) return true;
    for (let i = start + MIN_PART_LENGTH; i < end - 1; i++) if (mayStartHere(text, i, end, letters)) return true;
    const last = asciiLower(text.charCodeAt(end - 1));
    if (last < 0 || letters.doubled.has(last)) return true;
  }
  if (c0 !== 0x67 || end - start < 3) return false;
  const c1 = asciiLower(text.charCodeAt(start + 1));
  if (c1 < 0) return true;
  if (c1 !== 0x65) return false;
  const c2 = asciiLower(text.charCodeAt(start + 2));
  return c2 < 0 || initials.has(c2);
}

/**
 * Whether a term may start at `i` (with another letter after it): its first two letters stand there, or its
 * first letter doubled (`uren` → `uur`), or they stand around a `ge` Kraaij-Pohlmann drops after a first letter.
 */
function mayStartHere(text: string, i: number, end: number, letters: TermLetters): boolean {
  const c = asciiLower(text.charCodeAt(i));
  if (c < 0 || letters.doubled.has(c)) return true;
  const d = asciiLower(text.charCodeAt(i + 1));
  if (d < 0 || letters.starts.has((c << 16) | d)) return true;
  if (d === 0x67 && i + 3 < end && asciiLower(text.charCodeAt(i + 2)) === 0x65) {
    const e = asciiLower(text.charCodeAt(i + 3));
    if (e < 0 || letters.starts.has((c << 16) | e)) return true;
  }
  return false;
}

const NO_TERMS: readonly string[] = Object.freeze([]);

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
