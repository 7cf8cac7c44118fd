import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Token } from '../../src/analysis/analyzer.js';
import { analyzeQuery } from '../../src/query/analyze.js';
import { QueryError } from '../../src/query/query-error.js';
import { parseSyntax } from '../../src/query/syntax.js';
import { escapeHtml, highlight, markSpans, matchSpans, mergeSpans, phraseSpans } from '../../src/search/highlight.js';

const analyzer = createAnalyzer();

/** The index terms of a query's words (none when the query cannot be read). */
function queryTerms(query: string): Set<string> {
  try {
    return new Set(analyzeQuery(query, parseSyntax(query), analyzer).terms);
  } catch (error) {
    if (error instanceof QueryError) return new Set();
    throw error;
  }
}

/** Highlights `text` for the words of `query`, as search does. */
const mark = (text: string, query: string) => highlight(text, analyzer, { terms: queryTerms(query) });

/** The marking rule spelled out over full tokens: the oracle for the allocation-free `matchSpans`. */
function spansFromTokens(tokens: readonly Token[], terms: ReadonlySet<string>) {
  const spans: Array<{ start: number; end: number }> = [];
  for (const token of tokens) {
    if (token.terms.some((t) => terms.has(t))) spans.push({ start: token.start, end: token.end });
    else for (const part of token.parts ?? []) if (part.terms.some((t) => terms.has(t))) spans.push({ start: part.start, end: part.end });
  }
  return spans;
}

const unescape = (html: string) =>
  html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('highlight', () => {
  describe('highlight', () => {
    it('marks every inflection the query stem matches', () => {
      const text = 'Volgens hem is het doel van het gesprek om de resultaten van de recente gesprekken te bespreken.';
      expect(mark(text, 'gesprekken').html).toBe(
        'Volgens hem is het doel van het <mark>gesprek</mark> om de resultaten van de recente <mark>gesprekken</mark> te bespreken.',
      );
    });

    it('marks words written with diacritics for a query without them, and capitals for lowercase', () => {
      expect(mark('tussen Rusland en Oekraïne, die', 'oekraine').html).toBe('tussen Rusland en <mark>Oekraïne</mark>, die');
      expect(mark('Echter, de NAVO, de OVSE', 'navo').html).toBe('Echter, de <mark>NAVO</mark>, de OVSE');
    });

    it('returns the offsets of the marked words', () => {
      const text = 'Peskov en Poetin; daarna Peskov.';
      expect(mark(text, 'Peskov').matches).toEqual([
        { start: 0, end: 6 },
        { start: 25, end: 31 },
      ]);
    });

    it('marks a compound part by itself, and the whole compound for the whole', () => {
      const text = 'De Kremlin-woordvoerder sprak.';
      expect(mark(text, 'woordvoerder').html).toBe('De Kremlin-<mark>woordvoerder</mark> sprak.');
      expect(mark(text, 'Kremlinwoordvoerder').html).toBe('De <mark>Kremlin-woordvoerder</mark> sprak.');
    });

    it('never marks stopwords, and escapes every special character', () => {
      const text = 'Een <script>alert("NAVO")</script> & de \'NAVO\'';
      expect(mark(text, 'de NAVO').html).toBe(
        'Een &lt;script&gt;alert(&quot;<mark>NAVO</mark>&quot;)&lt;/script&gt; &amp; de &#39;<mark>NAVO</mark>&#39;',
      );
    });

    it('gives back the text exactly when the marks are removed and the HTML unescaped, for any text and query', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 40 }), (text, query) => {
          const { html, matches } = mark(text, query);
          expect(unescape(html.replace(/<\/?mark>/g, ''))).toBe(text);
          expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
          for (const m of matches) expect(m.end).toBeGreaterThan(m.start);
        }),
        { numRuns: 2000 },
      );
    });

    it('marks each word a query term matched, and only those, on Dutch-like text', () => {
      const words = fc.constantFrom('NAVO', 'navo', 'gesprek', 'gesprekken', 'Oekraïne', 'de', 'het', 'Kremlin-woordvoerder', '<b>', '&', 'auto’s');
      fc.assert(
        fc.property(fc.array(words, { maxLength: 20 }), fc.array(words, { minLength: 1, maxLength: 3 }), (textWords, queryWords) => {
          const text = textWords.join(' ');
          const terms = queryTerms(queryWords.join(' '));
          const { matches } = highlight(text, analyzer, { terms });
          for (const m of matches) {
            const marked = analyzer.indexTerms(text.slice(m.start, m.end));
            expect(marked.some((t) => terms.has(t))).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('matchSpans', () => {
    it('finds nothing for no terms', () => {
      expect(matchSpans('de NAVO', analyzer, new Set())).toEqual([]);
    });

    it('marks a compound whole when its joined term matched, else the parts that matched', () => {
      const text = 'De Kremlin-woordvoerder en het Kremlin';
      expect(matchSpans(text, analyzer, new Set(analyzer.indexTerms('Kremlinwoordvoerder')))).toEqual([{ start: 3, end: 23 }]);
      expect(matchSpans(text, analyzer, new Set(analyzer.indexTerms('woordvoerder')))).toEqual([{ start: 11, end: 23 }]);
    });

    it('agrees with the rule applied to full tokens, on any text and terms', () => {
      const words = fc.constantFrom('NAVO', 'gesprekken', 'Oekraïne', 'de', 'Kremlin-woordvoerder', 'oud-minister', 'niet-acute', 'auto’s', "'s-Hertogenbosch", '17.00', 'x');
      const text = fc.array(fc.oneof(words, fc.string()), { maxLength: 12 }).map((w) => w.join(' '));
      fc.assert(
        fc.property(text, fc.array(words, { maxLength: 3 }), (t, q) => {
          const terms = new Set(q.flatMap((w) => analyzer.indexTerms(w)));
          expect(matchSpans(t, analyzer, terms)).toEqual(spansFromTokens(analyzer.analyze(t), terms));
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('phraseSpans', () => {
    it('spans a phrase window from its first position to its last, stopwords and compound parts counted as positions', () => {
      const text = 'De NAVO en de VS in gesprek; de Kremlin-woordvoerder Dmitry sprak.';
      // Positions: De0 NAVO1 en2 de3 VS4 in5 gesprek6 de7 Kremlin8 woordvoerder9 Dmitry10 sprak11
      expect(phraseSpans(text, analyzer, [{ from: 5, to: 7 }])).toEqual([{ start: 17, end: 27 }]);
      expect(text.slice(17, 27)).toBe('in gesprek');
      expect(phraseSpans(text, analyzer, [{ from: 9, to: 11 }]).map((s) => text.slice(s.start, s.end))).toEqual(['woordvoerder Dmitry']);
      expect(phraseSpans(text, analyzer, [{ from: 11, to: 13 }])).toEqual([]); // past the end: ignored
    });
  });

  describe('mergeSpans', () => {
    it('joins overlapping spans and keeps the rest in order', () => {
      expect(mergeSpans([{ start: 10, end: 14 }, { start: 0, end: 5 }, { start: 3, end: 8 }, { start: 12, end: 20 }])).toEqual([
        { start: 0, end: 8 },
        { start: 10, end: 20 },
      ]);
    });
  });

  describe('highlight with phrases', () => {
    it('marks a matched phrase as one span, stopwords included, and a word matched on its own inside it once', () => {
      const text = 'De VS in gesprek, en in de gesprekken.';
      const { html, matches } = highlight(text, analyzer, { terms: new Set(['sprek']), phrases: [{ from: 2, to: 4 }] });
      expect(html).toBe('De VS <mark>in gesprek</mark>, en in de <mark>gesprekken</mark>.');
      expect(matches.map((m) => text.slice(m.start, m.end))).toEqual(['in gesprek', 'gesprekken']);
    });
  });

  describe('markSpans', () => {
    it('wraps spans and escapes the text around them', () => {
      expect(markSpans('a<b>c', [{ start: 1, end: 2 }])).toBe('a<mark>&lt;</mark>b&gt;c');
    });
  });

  describe('escapeHtml', () => {
    it('escapes the five HTML-special characters', () => {
      expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    });
  });
});
