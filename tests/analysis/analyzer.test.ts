import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, indexedTerms, MAX_TERM_LENGTH, mayStartTermWith, tokenTerms, WORD_MEMO_SIZE, type Token } from '../../src/analysis/analyzer.js';
import { foldDiacritics } from '../../src/analysis/normalize.js';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';

const analyzer = createAnalyzer();
const seed = readFileSync(join(REPO_ROOT, 'data', 'articles', '000_463c9f2ccdc7d6fc.txt'), 'utf8');
const seedParagraphs = seed.split(/\n\s*\n/);

/** The terms of a one-word text. */
const termsOf = (word: string) => analyzer.indexTerms(word);
const token = (text: string, surface: string): Token => {
  const found = analyzer.analyze(text).find((t) => t.surface === surface);
  if (!found) throw new Error(`no token "${surface}" in "${text}"`);
  return found;
};

/** Checks the invariants every analysis must keep, for any text. */
function expectWellFormed(text: string, tokens: Token[]): void {
  let previousEnd = 0;
  for (const t of tokens) {
    expect(text.slice(t.start, t.end)).toBe(t.surface);
    expect(t.start).toBeGreaterThanOrEqual(previousEnd);
    expect(t.end).toBeGreaterThan(t.start);
    previousEnd = t.end;
    if (t.stopword) expect(t.terms).toEqual([]);
    let previousPartEnd = t.start;
    for (const p of t.parts ?? []) {
      expect(text.slice(p.start, p.end)).toBe(p.surface);
      expect(p.start).toBeGreaterThanOrEqual(previousPartEnd);
      expect(p.end).toBeLessThanOrEqual(t.end);
      previousPartEnd = p.end;
    }
  }
}

describe('analyzer', () => {
  describe('analyze', () => {
    it('returns surface, offsets, normalized form, stem and stopword flag for every word', () => {
      const text = seedParagraphs[0]!;
      const tokens = analyzer.analyze(text);
      // The paragraph still holds the article's ` date 2025-05` marker: the article parser removes it, not the analyzer.
      expect(tokens.slice(0, 2).map((t) => t.surface)).toEqual(['date', '2025-05']);
      expect(tokens.slice(2, 6).map(({ surface, normalized, stem, stopword, terms }) => ({ surface, normalized, stem, stopword, terms }))).toEqual([
        { surface: 'Kremlin-woordvoerder', normalized: 'kremlin-woordvoerder', stem: 'kremlinwoordvoer', stopword: false, terms: ['kremlinwoordvoer'] },
        { surface: 'Dmitry', normalized: 'dmitry', stem: 'dmitry', stopword: false, terms: ['dmitry'] },
        { surface: 'Peskov', normalized: 'peskov', stem: 'peskov', stopword: false, terms: ['peskov'] },
        { surface: 'heeft', normalized: 'heeft', stem: 'heef', stopword: true, terms: [] },
      ]);
      expect(tokens[0]).toMatchObject({ surface: 'date', start: 1, end: 5 });
      expect(tokens[2]).toMatchObject({ start: text.indexOf('Kremlin'), end: text.indexOf(' Dmitry') });
      expectWellFormed(text, tokens);
    });

    it('makes hyphenated words findable by part, and a query for the whole also meets the closed word', () => {
      const t = token(seedParagraphs[0]!, 'Kremlin-woordvoerder');
      expect(t.parts!.map((p) => [p.surface, p.terms])).toEqual([
        ['Kremlin', ['kremlin']],
        ['woordvoerder', ['woordvoer']],
      ]);
      // As a query word it can match the whole and the parts; the index holds the parts only.
      expect(tokenTerms(t)).toEqual(['kremlinwoordvoer', 'kremlin', 'woordvoer']);
      expect(indexedTerms(t)).toEqual(['kremlin', 'woordvoer']);
      expect(analyzer.indexTerms('Kremlin-woordvoerder')).toEqual(['kremlin', 'woordvoer']);
      // Written as one word, the compound is the whole term a hyphenated query also asks for.
      expect(termsOf('Kremlinwoordvoerder')).toEqual(['kremlinwoordvoer']);
      // Stopword parts are dropped after splitting.
      expect(analyzer.indexTerms('niet-acute')).toEqual(termsOf('acute'));
    });

    it('conflates inflections with Kraaij-Pohlmann stems', () => {
      expect(termsOf('gesprekken')).toEqual(termsOf('gesprek'));
      expect(termsOf('gepland')).toEqual(termsOf('plannen'));
      expect(termsOf('beslissingen')).toEqual(termsOf('beslissen'));
      expect(termsOf('aangekondigd')).toEqual(['aankondig']);
    });

    it("handles Dutch apostrophes: auto's, agenda's, zo'n, 's avonds", () => {
      expect(termsOf("auto's")).toEqual(['auto']);
      expect(termsOf('agenda’s')).toEqual(termsOf('agenda'));
      expect(termsOf("zo'n")).toEqual(["zo'n"]);
      const avonds = analyzer.analyze("'s avonds");
      expect(avonds.map((t) => [t.surface, t.stopword, t.terms])).toEqual([
        ["'s", true, []],
        ['avonds', false, ['avond']],
      ]);
    });

    it('keeps numbers searchable as written', () => {
      const text = seedParagraphs[1]!;
      expect(token(text, '17.00').terms).toEqual(['17.00']);
      expect(token(text, '14.00').terms).toEqual(['14.00']);
      expect(token('op 18 maart', '18').terms).toEqual(['18']);
      expect(token('vóór 2022', '2022').terms).toEqual(['2022']);
    });

    it('drops stopwords from the index but keeps them as tokens with offsets', () => {
      const text = 'De woordvoerder herinnerde er ook aan dat Rusland vóór 2022';
      const tokens = analyzer.analyze(text);
      const stop = tokens.filter((t) => t.stopword).map((t) => [t.surface, t.start, t.end]);
      const at = (word: string) => [word, text.indexOf(` ${word} `) + 1, text.indexOf(` ${word} `) + 1 + word.length];
      expect(stop).toEqual([['De', 0, 2], at('er'), at('ook'), at('aan'), at('dat'), at('vóór')]);
      expect(analyzer.indexTerms(text)).toEqual(['woordvoer', 'herinner', 'rusland', '2022']);
    });

    it('treats words with and without diacritics alike: oekraine/Oekraïne, voor/vóór, een/één', () => {
      expect(termsOf('Oekraïne')).toEqual(termsOf('oekraine'));
      expect(token('vóór', 'vóór').stopword).toBe(token('voor', 'voor').stopword);
      expect(token('één', 'één').stopword).toBe(true);
      expect(token('een', 'een').stopword).toBe(true);
      // Stem first, then fold: Snowball's diacritic rule conflates financiële with financieel ...
      expect(termsOf('financiële')).toContain(termsOf('financieel')[0]);
      // ... and the fold-first stem is indexed too, so a query typed without diacritics meets it.
      expect(termsOf('financiële')).toContain(termsOf('financiele')[0]);
    });

    it('lets a query without diacritics meet any word written with them', () => {
      const dutchLetters = fc.constantFrom(...'abcdeéëèêfghiïíjklmnoóöpqrstuúüvwxyz'.split(''));
      fc.assert(
        fc.property(fc.array(dutchLetters, { minLength: 1, maxLength: 14 }), (letters) => {
          const word = letters.join('');
          const written = termsOf(word);
          const typed = termsOf(foldDiacritics(word));
          if (written.length === 0) expect(typed).toEqual([]);
          else expect(typed.some((t) => written.includes(t))).toBe(true);
        }),
        { numRuns: 3000 },
      );
    });

    it('uses the Porter variant when asked', () => {
      const porter = createAnalyzer({ stemmer: 'dutch_porter' });
      expect(porter.version).not.toBe(analyzer.version);
      expect(porter.indexTerms('gepland')).toEqual(['gepland']);
      expect(analyzer.indexTerms('gepland')).toEqual(['plan']);
    });

    it('keeps overlong words as tokens without indexing them', () => {
      const long = 'a'.repeat(MAX_TERM_LENGTH + 1);
      const [t] = analyzer.analyze(`${long} navo`);
      expect(t).toMatchObject({ surface: long, start: 0, end: long.length, terms: [] });
      expect(analyzer.indexTerms(`${long} navo`)).toEqual(['navo']);
    });

    it('keeps every invariant on arbitrary Unicode', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
          expectWellFormed(text, analyzer.analyze(text));
        }),
        { numRuns: 2000 },
      );
    });

    it('keeps every invariant on Dutch-like text with emoji, marks, RTL and lone surrogates', () => {
      const pieces = fc.constantFrom(
        'Oekraïne', ' ', '-', "'", '’', 's', 't', 'n', '.', ',', ':', '17', '00', 'zo', 'auto', '\u0308', '\u00ad',
        '👍🏽', '\ud800', '\udc00', 'שלום', '\u200f', 'NAVO', '´', '‐', '\n\n', 'é',
      );
      fc.assert(
        fc.property(fc.array(pieces, { maxLength: 60 }), (list) => {
          const text = list.join('');
          expectWellFormed(text, analyzer.analyze(text));
        }),
        { numRuns: 3000 },
      );
    });

    // Linear, not timed: a quadratic scan of 1 MB would need ~10^12 steps and blow the test timeout by hours.
    it('stays linear on 1 MB inputs without spaces', () => {
      const megabyte = 1 << 20;
      const shapes = ['a', 'a-', "a'", '1.', 'é', '\u0308', '👍', '\ud800', 'ge', "'s-"];
      for (const shape of shapes) {
        const text = shape.repeat(Math.ceil(megabyte / shape.length)).slice(0, megabyte);
        const tokens = analyzer.analyze(text);
        expect(tokens.length).toBeLessThanOrEqual(megabyte);
        expect(analyzer.indexTerms(text).length).toBeLessThanOrEqual(megabyte);
      }
    });
  });

  describe('indexTerms', () => {
    it('gives exactly the terms analyze gives, in order', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
          expect(analyzer.indexTerms(text)).toEqual(analyzer.analyze(text).flatMap(indexedTerms));
        }),
        { numRuns: 2000 },
      );
      for (const p of seedParagraphs) expect(analyzer.indexTerms(p)).toEqual(analyzer.analyze(p).flatMap(indexedTerms));
    });
  });

  describe('the word memo', () => {
    it('gives the same analysis whether a word is remembered, met again, or met after the memo is full', () => {
      const memoized = createAnalyzer();
      const words = Array.from({ length: WORD_MEMO_SIZE + 500 }, (_, i) => `woord${i.toString(36)}en`);
      const late = 'Financiële gesprekken in Oekraïne';
      const first = memoized.analyze(late);
      memoized.indexTerms(words.join(' ')); // fills the memo beyond its bound
      expect(memoized.analyze(late)).toEqual(first);
      expect(memoized.indexTerms(`${words.at(-1)} ${late}`)).toEqual(createAnalyzer().indexTerms(`${words.at(-1)} ${late}`));
    });

    it("shares frozen term lists, so no caller can change another text's analysis", () => {
      const analyzer = createAnalyzer();
      const [token] = analyzer.analyze('gesprekken');
      expect(() => (token!.terms as string[]).push('x')).toThrow(TypeError);
      expect(analyzer.analyze('gesprekken')[0]!.terms).toEqual(['sprek']);
    });
  });

  describe('mayStartTermWith', () => {
    /** The highlighter's shortcut must never skip a word that has the term: checked for every term a word yields. */
    const expectAdmits = (word: string) => {
      for (const token of analyzer.analyze(word)) {
        for (const term of [...token.terms, ...token.partTerms]) {
          // The analyzer's walk with initials visits the word with that term: the highlighter never misses it.
          const seen: string[] = [];
          analyzer.forEachTerms(word, (_s, _e, terms) => seen.push(...terms), analyzer.lettersOf([term]));
          expect(seen, `${word} → ${term}`).toContain(term);
        }
      }
    };

    const voc = sharedPath('the first-letter rule on Snowball\'s vocabulary', 'snowball-dutch', 'voc.txt');
    it.skipIf(!voc)('admits every word for the first letter of its own terms, on Snowball\'s whole vocabulary', () => {
      const words = readFileSync(voc!, 'utf8').split('\n').filter((w) => w.length > 0);
      expect(words.length).toBeGreaterThan(30_000);
      for (const word of words) expectAdmits(word);
    });

    it('admits every compound of the evaluation list for every term of its parts', () => {
      const compounds = readFileSync(new URL('../../eval/compounds/compounds.txt', import.meta.url), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
      expect(compounds.length).toBeGreaterThan(500);
      for (const line of compounds) expectAdmits(line.split('\t')[0]!);
      expectAdmits('telefoongesprek');
    });

    it('admits any word for its own terms, after ge- for the third letter, and a compound where a part term begins', () => {
      const letters = (...terms: string[]) => analyzer.lettersOf(terms);
      expectAdmits('gesprekken');
      expect(mayStartTermWith('gesprekken', 0, 10, letters('sprek'))).toBe(true);
      expect(mayStartTermWith('Gesprekken', 0, 10, letters('xyz'))).toBe(false);
      expect(mayStartTermWith('NAVO', 0, 4, letters('navo'))).toBe(true);
      expect(mayStartTermWith('Énige', 0, 5, letters('xyz'))).toBe(true); // not ASCII: analyzed
      // `sp` of `sprek` stands from the fourth letter on: a part may begin there; `xy` stands nowhere.
      expect(mayStartTermWith('telefoongesprek', 0, 15, letters('sprek'))).toBe(true);
      expect(mayStartTermWith('telefoongesprek', 0, 15, letters('xyz'))).toBe(false);
      // The first three letters start no later part: `tel` is the first part's own beginning, not a window.
      expect(mayStartTermWith('telefoongesprek', 0, 15, letters('el'))).toBe(false);
      // An irregular lemma's stem stands by its letters or by one of its forms' (`ging` for `gaan`).
      expect(mayStartTermWith('telefoonboek', 0, 12, letters(analyzer.indexTerms('gaan')[0]!))).toBe(false);
      expect(mayStartTermWith('uitgingen', 0, 9, letters(analyzer.indexTerms('gaan')[0]!))).toBe(true);
      // The word's own start is judged by two letters: its first and second, its first doubled (`uren` →
      // `uur`), or the two around a `ge` dropped after the first (`agentschap` → `antschap`).
      for (const word of ['agentschap', 'uren', 'regeringsagentschap']) expectAdmits(word);
      // A term of two letters may end in one the stemmer changed (`avs` → `af`): judged by its first alone.
      expectAdmits('avs');
      expect(mayStartTermWith('avs', 0, 3, letters('af'))).toBe(true);
      expect(mayStartTermWith('avs', 0, 3, letters('afval'))).toBe(false);
      expect(mayStartTermWith('telefoon', 0, 8, letters('tafel'))).toBe(false);
      expect(mayStartTermWith('tafels', 0, 6, letters('tafel'))).toBe(true);
      // An irregular form by its own letters, which stand for its lemma's term (`at` for `eten`).
      expect(mayStartTermWith('at', 0, 2, letters(analyzer.indexTerms('eten')[0]!))).toBe(true);
      expect(mayStartTermWith('at', 0, 2, letters('eet'))).toBe(true);
      fc.assert(
        fc.property(fc.oneof(fc.stringMatching(/^[A-Za-z][a-z]{0,14}$/), fc.stringMatching(/^ge[a-z]{1,12}$/)), (word) => expectAdmits(word)),
        { numRuns: 3000 },
      );
    });
  });

  describe('tokenize and processTerm', () => {
    it('are the MiniSearch hooks: tokenize then processTerm gives the index terms', () => {
      const viaHooks = (text: string) => analyzer.tokenize(text).flatMap((w) => analyzer.processTerm(w) ?? []);
      for (const p of seedParagraphs) expect(viaHooks(p)).toEqual(analyzer.indexTerms(p));
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
          expect(viaHooks(text)).toEqual(analyzer.indexTerms(text));
        }),
        { numRuns: 2000 },
      );
      expect(analyzer.processTerm('de')).toBeNull();
    });
  });

  describe('on real Dutch text (UD Dutch treebanks)', () => {
    const dir = sharedPath('the analyzer test on real Dutch text', 'ud-dutch', 'articles');
    it.skipIf(!dir)('keeps every invariant and agrees with the hooks on all 191 articles', () => {
      const files = readdirSync(dir!).filter((f) => f.endsWith('.txt'));
      expect(files.length).toBe(191);
      let tokens = 0;
      for (const f of files) {
        const text = readFileSync(join(dir!, f), 'utf8');
        const analysis = analyzer.analyze(text);
        expectWellFormed(text, analysis);
        expect(analyzer.indexTerms(text)).toEqual(analysis.flatMap(indexedTerms));
        tokens += analysis.length;
      }
      expect(tokens).toBeGreaterThan(70_000);
    });

    it.skipIf(!dir)("reads its quotes, numbers and compounds as Dutch writes them", () => {
      const text = ",,Door te vasten laten we een typisch geweldloos geluid horen'' zei de ex-koning; 10.000 man, van 't Hof.";
      const analysis = analyzer.analyze(text);
      expect(analysis.map((t) => t.surface)).toEqual([
        'Door', 'te', 'vasten', 'laten', 'we', 'een', 'typisch', 'geweldloos', 'geluid', 'horen', 'zei', 'de',
        'ex-koning', '10.000', 'man', 'van', "'t", 'Hof',
      ]);
      expect(analysis.find((t) => t.surface === "'t")!.stopword).toBe(true);
    });
  });
});
