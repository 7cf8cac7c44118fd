import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryError } from '../../src/query/query-error.js';
import { MAX_NESTING, parseSyntax, type SyntaxNode, type SyntaxWord } from '../../src/query/syntax.js';

// Builders for the exact trees, offsets included (UTF-16 code units; `end` is exclusive).
const word = (text: string, start: number, end = start + text.length): SyntaxWord => ({ kind: 'word', text, start, end, prefix: false });
/** A `word*`: `end` counts the stars typed after the text. */
const prefixWord = (text: string, start: number, end: number): SyntaxWord => ({ kind: 'word', text, start, end, prefix: true });
const phrase = (start: number, end: number, ...words: SyntaxWord[]): SyntaxNode => ({ kind: 'phrase', words, start, end });
const not = (start: number, end: number, child: SyntaxNode): SyntaxNode => ({ kind: 'not', child, start, end });
const and = (start: number, end: number, ...children: SyntaxNode[]): SyntaxNode => ({ kind: 'and', children, start, end });
const or = (start: number, end: number, ...children: SyntaxNode[]): SyntaxNode => ({ kind: 'or', children, start, end });

const root = (text: string) => parseSyntax(text).root;

/** The QueryError `text` is refused with; any other outcome (a tree, another exception) fails the test. */
function failure(text: string): QueryError {
  try {
    parseSyntax(text);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(text.slice(0, 80))} parsed`);
}

/** The code, the finer reason and the position of the refusal of `text`. */
const refusal = (text: string) => {
  const e = failure(text);
  return { code: e.code, reason: e.reason, position: e.position };
};

const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
const CODES = new Set(['bad_query', 'too_deeply_nested']);
/** The reasons the syntax can give (the others belong to later stages). */
const REASONS = new Set([
  'unclosed_quote',
  'empty_quotes',
  'double_minus',
  'nothing_before_or',
  'nothing_after_or',
  'unclosed_parenthesis',
  'empty_parentheses',
  'unopened_parenthesis',
  'unexpected',
  'too_deeply_nested',
]);

/**
 * What is wrong with the offsets of a parsed tree, or null: every node lies inside the text, a word's
 * span is its text plus the stars stripped from it, a phrase's span starts and ends with a quotation
 * mark and holds its words in order, and a compound node spans its children. Plain code, not `expect`,
 * so that trees of thousands of nodes stay cheap to check.
 */
function spanProblem(text: string, node: SyntaxNode, inPhrase = false): string | null {
  const at = `${node.kind} ${node.start}..${node.end}`;
  if (!Number.isInteger(node.start) || !Number.isInteger(node.end)) return `${at}: offsets are not integers`;
  if (node.start < 0 || node.end > text.length || node.start >= node.end) return `${at}: outside the text or empty`;
  switch (node.kind) {
    case 'word': {
      const raw = text.slice(node.start, node.end);
      if (!raw.startsWith(node.text)) return `${at}: ${JSON.stringify(raw)} does not begin with ${JSON.stringify(node.text)}`;
      const stars = raw.slice(node.text.length);
      if (!/^\**$/.test(stars)) return `${at}: ${JSON.stringify(raw)} is more than the text and stars`;
      if (node.text.endsWith('*')) return `${at}: a trailing star was kept`;
      if (node.prefix !== (stars.length > 0 && node.text.length > 0)) return `${at}: prefix is ${node.prefix} for ${JSON.stringify(raw)}`;
      if (/\s/u.test(raw)) return `${at}: white space inside a word`;
      if (!inPhrase && /[()"\u201c\u201d\u201e]/.test(raw)) return `${at}: a parenthesis or quote inside a word`;
      return null;
    }
    case 'phrase': {
      if (!QUOTES.has(text[node.start]!) || !QUOTES.has(text[node.end - 1]!)) return `${at}: not between quotation marks`;
      if (node.words.length === 0) return `${at}: no words`;
      let from = node.start + 1;
      for (const w of node.words) {
        if (w.start < from || w.end > node.end - 1) return `${at}: word ${w.start}..${w.end} out of order or outside the quotes`;
        if (w.text.length === 0) return `${at}: an empty word`;
        from = w.end;
        const problem = spanProblem(text, w, true);
        if (problem !== null) return problem;
      }
      return null;
    }
    case 'not':
      if (text[node.start] !== '-') return `${at}: does not start with a minus`;
      if (node.child.start <= node.start || node.child.end !== node.end) return `${at}: does not span its child`;
      return spanProblem(text, node.child);
    case 'and':
    case 'or': {
      if (node.children.length < 2) return `${at}: fewer than two children`;
      if (node.children[0]!.start !== node.start || node.children.at(-1)!.end !== node.end) return `${at}: does not span its children`;
      let from = node.start;
      for (const child of node.children) {
        if (child.start < from) return `${at}: children overlap or are out of order`;
        from = child.end;
        const problem = spanProblem(text, child);
        if (problem !== null) return problem;
      }
      return null;
    }
  }
}

type Size = 'small' | 'medium' | 'max';

/** Short, middling and long (up to the maximum) values alike: fast-check's default size keeps them short. */
const sized = (make: (size: Size) => fc.Arbitrary<string>) => fc.oneof(make('small'), make('medium'), make('max'));

/** Up to 10,000 characters in which the special characters are frequent, so that operators are too. */
const operatorHeavy = sized((size) =>
  fc
    .array(fc.constantFrom('"', '“', '”', '„', '(', ')', '-', '*', 'OF', 'OR', ' ', ' ', ' ', '\t', 'a', 'b', 'é', 'N'), { maxLength: 5_000, size })
    .map((parts) => parts.join('')),
);

/** Any UTF-16 code units, lone surrogates included (which `unit: 'binary'` never gives). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Any text of up to 10,000 characters (code points; a lone surrogate counts as one). */
const anyText = fc.oneof(
  sized((size) => fc.string({ unit: 'binary', maxLength: 10_000, size })),
  sized((size) => fc.string({ maxLength: 10_000, size })),
  operatorHeavy,
  sized((size) => fc.string({ unit: codeUnit, maxLength: 10_000, size })),
);

/** A word with no operator in it: a letter first (so no `-` before it), never `OF` or `OR`. */
const plainWord = fc.stringMatching(/^[A-Za-zëéï][A-Za-zëéï0-9'-]{0,11}$/).filter((w) => w !== 'OF' && w !== 'OR');

/** A query tree without offsets, generated to render and parse back. */
type Shape =
  | { kind: 'word'; text: string; prefix: boolean }
  | { kind: 'phrase'; words: Array<{ kind: 'word'; text: string; prefix: boolean }> }
  | { kind: 'not'; child: Shape }
  | { kind: 'and' | 'or'; children: Shape[] };

const shapeWord = fc.record({ kind: fc.constant('word' as const), text: plainWord, prefix: fc.boolean() });
const quotePair = fc.constantFrom(['"', '"'], ['„', '”'], ['“', '”']);

const { query: shapes } = fc.letrec<{ query: Shape; atom: Shape }>((tie) => ({
  atom: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'query' },
    shapeWord,
    fc.record({ kind: fc.constant('phrase' as const), words: fc.array(shapeWord, { minLength: 1, maxLength: 4 }) }),
    tie('query'),
  ),
  query: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'query' },
    tie('atom'),
    fc.record({ kind: fc.constant('not' as const), child: tie('atom') }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('query'), { minLength: 2, maxLength: 4 }) }),
  ),
}));

/** Writes a shape as a query: parentheses only where the binding needs them, so the parse gives it back. */
function render(s: Shape, quotes: readonly [string, string], orWord: string): string {
  const group = (c: Shape, when: boolean) => (when ? `(${render(c, quotes, orWord)})` : render(c, quotes, orWord));
  switch (s.kind) {
    case 'word':
      return s.text + (s.prefix ? '*' : '');
    case 'phrase':
      return quotes[0] + s.words.map((w) => w.text + (w.prefix ? '*' : '')).join(' ') + quotes[1];
    case 'not':
      return '-' + group(s.child, s.child.kind !== 'word' && s.child.kind !== 'phrase');
    case 'and':
      return s.children.map((c) => group(c, c.kind === 'and' || c.kind === 'or')).join(' ');
    case 'or':
      return s.children.map((c) => group(c, c.kind === 'or')).join(` ${orWord} `);
  }
}

/** A parsed tree without offsets. */
function shapeOf(n: SyntaxNode): Shape {
  switch (n.kind) {
    case 'word':
      return { kind: 'word', text: n.text, prefix: n.prefix };
    case 'phrase':
      return { kind: 'phrase', words: n.words.map((w) => ({ kind: 'word', text: w.text, prefix: w.prefix })) };
    case 'not':
      return { kind: 'not', child: shapeOf(n.child) };
    default:
      return { kind: n.kind, children: n.children.map(shapeOf) };
  }
}

describe('syntax', () => {
  describe('parseSyntax', () => {
    // --- Words ---

    it('reads a single word with its offsets', () => {
      expect(parseSyntax('NAVO')).toEqual({ root: word('NAVO', 0), operators: false });
    });

    it('ANDs words separated by white space, skipping any run of it', () => {
      expect(root('Rusland Oekraïne NAVO')).toEqual(and(0, 21, word('Rusland', 0), word('Oekraïne', 8), word('NAVO', 17)));
      expect(root('  Poetin \t\n Zelensky  ')).toEqual(and(2, 20, word('Poetin', 2), word('Zelensky', 12)));
      expect(root('Poetin\u00a0Zelensky')).toEqual(and(0, 15, word('Poetin', 0), word('Zelensky', 7)));
    });

    it('counts offsets in UTF-16 code units', () => {
      expect(root('🇳🇱 NAVO')).toEqual(and(0, 9, word('🇳🇱', 0), word('NAVO', 5)));
    });

    it('gives no root and no operators for an empty query or one of only white space', () => {
      expect(parseSyntax('')).toEqual({ root: null, operators: false });
      expect(parseSyntax('   \t\n\u00a0')).toEqual({ root: null, operators: false });
    });

    it('strips trailing stars from a word and marks it a prefix', () => {
      expect(parseSyntax('regeringen*')).toEqual({ root: prefixWord('regeringen', 0, 11), operators: false });
      expect(root('regeringen***')).toEqual(prefixWord('regeringen', 0, 13));
      expect(root('NAVO oud-minis*')).toEqual(and(0, 15, word('NAVO', 0), prefixWord('oud-minis', 5, 15)));
    });

    it('keeps a star inside a word as part of the word', () => {
      expect(root('rege*ringen')).toEqual(word('rege*ringen', 0));
      expect(root('*regeringen')).toEqual(word('*regeringen', 0));
    });

    it('reads a lone star as an empty word that is no prefix', () => {
      expect(parseSyntax('*')).toEqual({ root: word('', 0, 1), operators: false });
      expect(root('***')).toEqual(word('', 0, 3));
      expect(root('NAVO *')).toEqual(and(0, 6, word('NAVO', 0), word('', 5, 6)));
    });

    it('keeps a hyphenated word whole', () => {
      expect(root('Kremlin-woordvoerder')).toEqual(word('Kremlin-woordvoerder', 0));
      expect(root('Rusland-NAVO-top')).toEqual(word('Rusland-NAVO-top', 0));
      expect(root('NAVO-')).toEqual(word('NAVO-', 0));
      expect(root('a--b')).toEqual(word('a--b', 0));
    });

    it('reads a dash followed by white space, a closing parenthesis or the end as a word', () => {
      expect(parseSyntax('Rusland - NAVO')).toEqual({ root: and(0, 14, word('Rusland', 0), word('-', 8), word('NAVO', 10)), operators: false });
      expect(parseSyntax('Rusland -')).toEqual({ root: and(0, 9, word('Rusland', 0), word('-', 8)), operators: false });
      expect(root('-')).toEqual(word('-', 0));
      expect(root('Rusland -\u00a0NAVO')).toEqual(and(0, 14, word('Rusland', 0), word('-', 8), word('NAVO', 10)));
      expect(root('(Rusland -)')).toEqual(and(1, 10, word('Rusland', 1), word('-', 9)));
      expect(root('(-)')).toEqual(word('-', 1));
    });

    it('reads lowercase and mixed-case of and or as plain words', () => {
      expect(parseSyntax('Poetin of Zelensky')).toEqual({
        root: and(0, 18, word('Poetin', 0), word('of', 7), word('Zelensky', 10)),
        operators: false,
      });
      expect(parseSyntax('Poetin or Zelensky')).toEqual({
        root: and(0, 18, word('Poetin', 0), word('or', 7), word('Zelensky', 10)),
        operators: false,
      });
      expect(root('Poetin Of Zelensky oR Biden')).toEqual(
        and(0, 27, word('Poetin', 0), word('Of', 7), word('Zelensky', 10), word('oR', 19), word('Biden', 22)),
      );
    });

    it('reads words that merely start with OF or OR, and OF with a star, as words', () => {
      expect(parseSyntax('OFFICIEEL ORDE')).toEqual({ root: and(0, 14, word('OFFICIEEL', 0), word('ORDE', 10)), operators: false });
      expect(parseSyntax('OF*')).toEqual({ root: prefixWord('OF', 0, 3), operators: false });
      expect(root('OF-lid')).toEqual(word('OF-lid', 0));
    });

    // --- Phrases ---

    it('reads a phrase as its words split at white space, each with its own offsets', () => {
      expect(parseSyntax('"speciale gezant"')).toEqual({ root: phrase(0, 17, word('speciale', 1), word('gezant', 10)), operators: true });
      expect(root('"  speciale \t  gezant "')).toEqual(phrase(0, 23, word('speciale', 3), word('gezant', 15)));
      expect(root('"NAVO"')).toEqual(phrase(0, 6, word('NAVO', 1)));
    });

    it('marks a prefix inside a phrase', () => {
      expect(root('"speciale gez*"')).toEqual(phrase(0, 15, word('speciale', 1), prefixWord('gez', 10, 14)));
    });

    it('drops a lone star inside a phrase', () => {
      expect(root('"speciale * gezant"')).toEqual(phrase(0, 19, word('speciale', 1), word('gezant', 12)));
    });

    it('accepts the typographic quotation marks, and any of them closes any other', () => {
      expect(parseSyntax('„speciale gezant”')).toEqual({ root: phrase(0, 17, word('speciale', 1), word('gezant', 10)), operators: true });
      expect(root('“speciale gezant”')).toEqual(phrase(0, 17, word('speciale', 1), word('gezant', 10)));
      expect(root('„speciale gezant“')).toEqual(phrase(0, 17, word('speciale', 1), word('gezant', 10)));
      expect(root('„NAVO"')).toEqual(phrase(0, 6, word('NAVO', 1)));
      expect(root('"NAVO”')).toEqual(phrase(0, 6, word('NAVO', 1)));
    });

    it('takes parentheses, minus signs and OF inside a phrase as parts of its words', () => {
      expect(root('"Poetin OF -Zelensky (Kremlin)"')).toEqual(
        phrase(0, 31, word('Poetin', 1), word('OF', 8), word('-Zelensky', 11), word('(Kremlin)', 21)),
      );
    });

    it('ANDs a phrase with the words around it, with or without white space between', () => {
      expect(root('Trump "Witte Huis" Biden')).toEqual(and(0, 24, word('Trump', 0), phrase(6, 18, word('Witte', 7), word('Huis', 13)), word('Biden', 19)));
      expect(root('Trump"Witte Huis"Biden')).toEqual(and(0, 22, word('Trump', 0), phrase(5, 17, word('Witte', 6), word('Huis', 12)), word('Biden', 17)));
      expect(root('"speciale gezant""Witte Huis"')).toEqual(
        and(0, 29, phrase(0, 17, word('speciale', 1), word('gezant', 10)), phrase(17, 29, word('Witte', 18), word('Huis', 24))),
      );
    });

    // --- Exclusion ---

    it('excludes a word with a minus directly before it', () => {
      expect(parseSyntax('Rusland -NAVO')).toEqual({ root: and(0, 13, word('Rusland', 0), not(8, 13, word('NAVO', 9))), operators: true });
      expect(root('-NAVO')).toEqual(not(0, 5, word('NAVO', 1)));
      expect(root('-regeringen*')).toEqual(not(0, 12, prefixWord('regeringen', 1, 12)));
      expect(root('-Kremlin-woordvoerder')).toEqual(not(0, 21, word('Kremlin-woordvoerder', 1)));
    });

    it('excludes a phrase', () => {
      expect(parseSyntax('Rusland -"speciale gezant"')).toEqual({
        root: and(0, 26, word('Rusland', 0), not(8, 26, phrase(9, 26, word('speciale', 10), word('gezant', 19)))),
        operators: true,
      });
      expect(root('-„Witte Huis”')).toEqual(not(0, 13, phrase(1, 13, word('Witte', 2), word('Huis', 8))));
      expect(root('"Witte Huis"-Trump')).toEqual(and(0, 18, phrase(0, 12, word('Witte', 1), word('Huis', 7)), not(12, 18, word('Trump', 13))));
    });

    it('excludes a group, the not spanning from the minus to the end of the group’s content', () => {
      // The closing parenthesis (offset 16) is outside every span: groups leave no node of their own.
      expect(parseSyntax('-(Trump OF Biden)')).toEqual({ root: not(0, 16, or(2, 16, word('Trump', 2), word('Biden', 11))), operators: true });
      expect(root('Rusland -(NAVO VN)')).toEqual(and(0, 17, word('Rusland', 0), not(8, 17, and(10, 17, word('NAVO', 10), word('VN', 15)))));
    });

    it('excludes the empty word of a lone star', () => {
      expect(root('-*')).toEqual(not(0, 2, word('', 1, 2)));
    });

    // --- OF / OR ---

    it('ORs the parts on either side of OF or OR', () => {
      expect(parseSyntax('Poetin OF Zelensky')).toEqual({ root: or(0, 18, word('Poetin', 0), word('Zelensky', 10)), operators: true });
      expect(parseSyntax('Poetin OR Zelensky')).toEqual({ root: or(0, 18, word('Poetin', 0), word('Zelensky', 10)), operators: true });
    });

    it('binds OF looser than the implicit AND', () => {
      expect(root('Poetin Kremlin OF Zelensky Kyiv')).toEqual(
        or(0, 31, and(0, 14, word('Poetin', 0), word('Kremlin', 7)), and(18, 31, word('Zelensky', 18), word('Kyiv', 27))),
      );
      expect(root('a b OF c d')).toEqual(or(0, 10, and(0, 3, word('a', 0), word('b', 2)), and(7, 10, word('c', 7), word('d', 9))));
    });

    it('flattens a chain of OF and OR into one or', () => {
      expect(root('Poetin OF Zelensky OR Biden')).toEqual(or(0, 27, word('Poetin', 0), word('Zelensky', 10), word('Biden', 22)));
    });

    it('ORs exclusions, phrases and groups', () => {
      expect(root('Poetin OF -Zelensky')).toEqual(or(0, 19, word('Poetin', 0), not(10, 19, word('Zelensky', 11))));
      expect(root('Trump OF"Witte Huis"')).toEqual(or(0, 20, word('Trump', 0), phrase(8, 20, word('Witte', 9), word('Huis', 15))));
      expect(root('(Trump)OF(Biden)')).toEqual(or(1, 15, word('Trump', 1), word('Biden', 10)));
    });

    it('ORs a dash word', () => {
      expect(root('- OF NAVO')).toEqual(or(0, 9, word('-', 0), word('NAVO', 5)));
    });

    // --- Parentheses ---

    it('reads a group as its content, without a node for the parentheses', () => {
      expect(parseSyntax('(NAVO)')).toEqual({ root: word('NAVO', 1), operators: true });
      expect(root('((NAVO))')).toEqual(word('NAVO', 2));
      expect(root('( NAVO )')).toEqual(word('NAVO', 2));
    });

    it('lets a group override the binding of OF', () => {
      expect(root('(Trump OF Biden) "Witte Huis"')).toEqual(
        and(1, 29, or(1, 15, word('Trump', 1), word('Biden', 10)), phrase(17, 29, word('Witte', 18), word('Huis', 24))),
      );
      expect(root('Rusland (Poetin OF Lavrov) NAVO')).toEqual(
        and(0, 31, word('Rusland', 0), or(9, 25, word('Poetin', 9), word('Lavrov', 19)), word('NAVO', 27)),
      );
    });

    it('keeps a group of ANDed words as a nested and', () => {
      expect(root('Rusland (Poetin Lavrov)')).toEqual(and(0, 22, word('Rusland', 0), and(9, 22, word('Poetin', 9), word('Lavrov', 16))));
    });

    it('reads nested groups', () => {
      expect(root('((Rusland OF Oekraïne) NAVO) OF VN')).toEqual(
        or(2, 34, and(2, 27, or(2, 21, word('Rusland', 2), word('Oekraïne', 13)), word('NAVO', 23)), word('VN', 32)),
      );
    });

    it('ends a word at a parenthesis', () => {
      expect(root('Rusland(NAVO)VN')).toEqual(and(0, 15, word('Rusland', 0), word('NAVO', 8), word('VN', 13)));
    });

    it(`parses parentheses nested exactly MAX_NESTING (${MAX_NESTING}) deep`, () => {
      const text = '('.repeat(MAX_NESTING) + 'NAVO' + ')'.repeat(MAX_NESTING);
      expect(parseSyntax(text)).toEqual({ root: word('NAVO', MAX_NESTING), operators: true });
      const spread = 'a ('.repeat(MAX_NESTING) + 'b' + ')'.repeat(MAX_NESTING);
      expect(parseSyntax(spread).root).not.toBeNull();
      // Depth counts open groups, not groups in total.
      const side = parseSyntax('(a) '.repeat(MAX_NESTING * 4)).root as { kind: 'and'; children: SyntaxNode[] };
      expect(side.kind).toBe('and');
      expect(side.children).toHaveLength(MAX_NESTING * 4);
    });

    // --- The operators flag ---

    it('reports whether any operator was used', () => {
      const cases: Array<[string, boolean]> = [
        ['NAVO', false],
        ['Rusland Oekraïne', false],
        ['regeringen*', false],
        ['*', false],
        ['Kremlin-woordvoerder', false],
        ['Rusland - NAVO', false],
        ['Poetin of Zelensky', false],
        ['OF*', false],
        ['', false],
        ['   ', false],
        ['"speciale gezant"', true],
        ['„speciale gezant”', true],
        ['Rusland -NAVO', true],
        ['-"speciale gezant"', true],
        ['Poetin OF Zelensky', true],
        ['Poetin OR Zelensky', true],
        ['(NAVO)', true],
        ['(Trump OF Biden) "Witte Huis"', true],
      ];
      for (const [text, operators] of cases) expect({ text, operators: parseSyntax(text).operators }).toEqual({ text, operators });
    });

    // --- Errors ---

    it('refuses an unclosed quotation mark at the quotation mark', () => {
      expect(refusal('"speciale gezant')).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 0 });
      expect(refusal('Rusland "speciale gezant')).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 8 });
      expect(refusal('"Witte Huis" „speciale')).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 13 });
      expect(refusal('NAVO"')).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 4 });
      expect(refusal('-"NAVO')).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 1 });
      expect(failure('"speciale gezant').message).toMatch(/quotation mark/);
    });

    it('refuses empty quotation marks at the opening one', () => {
      expect(refusal('""')).toEqual({ code: 'bad_query', reason: 'empty_quotes', position: 0 });
      expect(refusal('NAVO "  "')).toEqual({ code: 'bad_query', reason: 'empty_quotes', position: 5 });
      expect(refusal('NAVO „”')).toEqual({ code: 'bad_query', reason: 'empty_quotes', position: 5 });
      expect(refusal('"*"')).toEqual({ code: 'bad_query', reason: 'empty_quotes', position: 0 });
    });

    it('refuses an unclosed parenthesis at the parenthesis', () => {
      expect(refusal('(Trump OF Biden')).toEqual({ code: 'bad_query', reason: 'unclosed_parenthesis', position: 0 });
      expect(refusal('(')).toEqual({ code: 'bad_query', reason: 'unclosed_parenthesis', position: 0 });
      expect(refusal('NAVO ((Trump) Biden')).toEqual({ code: 'bad_query', reason: 'unclosed_parenthesis', position: 5 });
      expect(failure('(Trump OF Biden').message).toMatch(/never closed/);
    });

    it('refuses a closing parenthesis that closes nothing, at that parenthesis', () => {
      expect(refusal(')')).toEqual({ code: 'bad_query', reason: 'unopened_parenthesis', position: 0 });
      expect(refusal('Trump OF Biden)')).toEqual({ code: 'bad_query', reason: 'unopened_parenthesis', position: 14 });
      expect(refusal('(Trump) Biden) NAVO')).toEqual({ code: 'bad_query', reason: 'unopened_parenthesis', position: 13 });
      expect(refusal('NAVO -)')).toEqual({ code: 'bad_query', reason: 'unopened_parenthesis', position: 6 });
    });

    it('refuses empty parentheses at the opening one', () => {
      expect(refusal('()')).toEqual({ code: 'bad_query', reason: 'empty_parentheses', position: 0 });
      expect(refusal('NAVO ( )')).toEqual({ code: 'bad_query', reason: 'empty_parentheses', position: 5 });
      expect(refusal('(())')).toEqual({ code: 'bad_query', reason: 'empty_parentheses', position: 1 });
    });

    it('refuses OF or OR with nothing before it, at the operator', () => {
      expect(refusal('OF Zelensky')).toEqual({ code: 'bad_query', reason: 'nothing_before_or', position: 0 });
      expect(refusal('OR')).toEqual({ code: 'bad_query', reason: 'nothing_before_or', position: 0 });
      expect(refusal('  OR Zelensky')).toEqual({ code: 'bad_query', reason: 'nothing_before_or', position: 2 });
      expect(refusal('Rusland (OF Zelensky)')).toEqual({ code: 'bad_query', reason: 'nothing_before_or', position: 9 });
      expect(failure('OF Zelensky').message).toMatch(/^OF needs a part before it/);
      expect(failure('OR Zelensky').detail).toBe('OR');
    });

    it('refuses OF or OR with nothing after it, at the operator', () => {
      expect(refusal('Poetin OF')).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 7 });
      expect(refusal('Poetin OR   ')).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 7 });
      expect(refusal('(Poetin OF) Zelensky')).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 8 });
      expect(failure('Poetin OR').message).toMatch(/^OR needs a part after it/);
      expect(failure('Poetin OF').detail).toBe('OF');
    });

    it('refuses a doubled OF at the first of the two', () => {
      expect(refusal('Poetin OF OF Zelensky')).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 7 });
      expect(refusal('a OF OF b')).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 2 });
      expect(refusal('a OF OR b')).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 2 });
    });

    it('refuses two minus signs at the first', () => {
      expect(refusal('--NAVO')).toEqual({ code: 'bad_query', reason: 'double_minus', position: 0 });
      expect(refusal('Rusland --NAVO')).toEqual({ code: 'bad_query', reason: 'double_minus', position: 8 });
      expect(refusal('--')).toEqual({ code: 'bad_query', reason: 'double_minus', position: 0 });
      expect(failure('--NAVO').message).toMatch(/two minus signs/);
    });

    it('refuses a minus before OF, at the OF', () => {
      expect(refusal('-OF')).toEqual({ code: 'bad_query', reason: 'unexpected', position: 1 });
      expect(refusal('Poetin -OF Zelensky')).toEqual({ code: 'bad_query', reason: 'unexpected', position: 8 });
      expect(refusal('Poetin -OR Zelensky')).toEqual({ code: 'bad_query', reason: 'unexpected', position: 8 });
      expect(failure('Poetin -OF Zelensky').message).toMatch(/OF/);
      expect(failure('Poetin -OR Zelensky').detail).toBe('OR');
    });

    it(`refuses nesting deeper than MAX_NESTING (${MAX_NESTING}) at the parenthesis that goes too deep`, () => {
      const deeper = '('.repeat(MAX_NESTING + 1) + 'NAVO' + ')'.repeat(MAX_NESTING + 1);
      expect(refusal(deeper)).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: MAX_NESTING });
      expect(refusal('a ('.repeat(MAX_NESTING + 1) + 'b' + ')'.repeat(MAX_NESTING + 1))).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: 3 * MAX_NESTING + 2 });
      expect(refusal('(Rusland) ' + '('.repeat(MAX_NESTING + 1) + 'NAVO' + ')'.repeat(MAX_NESTING + 1))).toEqual({
        code: 'too_deeply_nested',
        reason: 'too_deeply_nested',
        position: 10 + MAX_NESTING,
      });
      expect(failure(deeper).message).toContain(String(MAX_NESTING));
    });

    it('refuses nesting too deep before looking for the closing parentheses', () => {
      expect(refusal('('.repeat(MAX_NESTING + 1))).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: MAX_NESTING });
    });

    it('throws QueryError instances named QueryError', () => {
      const e = failure('(');
      expect(e).toBeInstanceOf(QueryError);
      expect(e.name).toBe('QueryError');
    });

    // --- Properties ---

    it('either parses any text of up to 10,000 characters or throws a QueryError with a position inside it', () => {
      fc.assert(
        fc.property(anyText, (text) => {
          let error: unknown = null;
          try {
            parseSyntax(text);
          } catch (e) {
            error = e;
          }
          if (error === null) return;
          expect(error).toBeInstanceOf(QueryError);
          const { code, reason, position } = error as QueryError;
          expect(CODES.has(code)).toBe(true);
          expect(REASONS.has(reason)).toBe(true);
          expect(Number.isInteger(position)).toBe(true);
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThan(text.length);
        }),
        { numRuns: 1000 },
      );
    });

    it('gives every node of a parsed tree offsets inside the text that match what was typed', () => {
      let parsed = 0;
      fc.assert(
        fc.property(fc.oneof(operatorHeavy, anyText, fc.tuple(shapes, quotePair).map(([s, q]) => render(s, q, 'OF'))), (text) => {
          let result;
          try {
            result = parseSyntax(text);
          } catch (e) {
            if (e instanceof QueryError) return;
            throw e;
          }
          parsed++;
          expect(result.root === null).toBe(/^\s*$/u.test(text));
          if (result.root !== null) expect(spanProblem(text, result.root)).toBeNull();
        }),
        { numRuns: 600 },
      );
      // The generated queries alone parse, so the check above ran on many trees.
      expect(parsed).toBeGreaterThan(100);
    });

    it('parses a generated query back to the tree it was written from', () => {
      const hasOperator = (s: Shape): boolean =>
        s.kind === 'phrase' || s.kind === 'not' || s.kind === 'or' || (s.kind === 'and' && s.children.some((c) => c.kind === 'and' || c.kind === 'or' || hasOperator(c)));
      fc.assert(
        fc.property(shapes, quotePair, fc.constantFrom('OF', 'OR'), (shape, quotes, orWord) => {
          const text = render(shape, quotes, orWord);
          const { root: parsed, operators } = parseSyntax(text);
          expect(parsed).not.toBeNull();
          expect(shapeOf(parsed!)).toEqual(shape);
          expect(operators).toBe(hasOperator(shape));
          expect(spanProblem(text, parsed!)).toBeNull();
        }),
        { numRuns: 500 },
      );
    });

    it('parses plain words joined by single spaces to those words in order, with no operators', () => {
      const plain = fc.tuple(plainWord, fc.constantFrom('', '', '*', '**'));
      fc.assert(
        fc.property(fc.array(plain, { minLength: 1, maxLength: 60 }), (parts) => {
          const text = parts.map(([w, stars]) => w + stars).join(' ');
          const words: SyntaxWord[] = [];
          let at = 0;
          for (const [w, stars] of parts) {
            const end = at + w.length + stars.length;
            words.push(stars === '' ? word(w, at) : prefixWord(w, at, end));
            at = end + 1;
          }
          expect(parseSyntax(text)).toEqual({ root: words.length === 1 ? words[0] : and(0, text.length, ...words), operators: false });
        }),
        { numRuns: 500 },
      );
    });

    // --- Linear time: a quadratic pass would not finish these in the test timeout ---

    it('refuses a million opening parentheses at the first one too deep, without overflowing the stack', () => {
      expect(refusal('('.repeat(1e6))).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: MAX_NESTING });
      expect(refusal('('.repeat(1e6) + 'a' + ')'.repeat(1e6))).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: MAX_NESTING });
      expect(refusal('-('.repeat(5e5) + 'a')).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: 2 * MAX_NESTING + 1 });
      expect(refusal('(a OF '.repeat(2e5))).toEqual({ code: 'too_deeply_nested', reason: 'too_deeply_nested', position: 6 * MAX_NESTING });
    });

    it('refuses a million closing parentheses at the first', () => {
      expect(refusal(')'.repeat(1e6))).toEqual({ code: 'bad_query', reason: 'unopened_parenthesis', position: 0 });
      expect(refusal('a'.repeat(1e6) + ')'.repeat(1e6))).toEqual({ code: 'bad_query', reason: 'unopened_parenthesis', position: 1e6 });
    });

    it('refuses a million quotation marks at the first, and an unclosed one after a million characters', () => {
      expect(refusal('"'.repeat(1e6))).toEqual({ code: 'bad_query', reason: 'empty_quotes', position: 0 });
      expect(refusal('"' + 'a '.repeat(5e5))).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 0 });
      expect(refusal('a '.repeat(5e5) + '"')).toEqual({ code: 'bad_query', reason: 'unclosed_quote', position: 1e6 });
    });

    it('reads a million characters of phrases as that many phrases', () => {
      const result = parseSyntax('"a" '.repeat(25e4));
      const children = (result.root as { kind: 'and'; children: SyntaxNode[] }).children;
      expect(result.root?.kind).toBe('and');
      expect(children).toHaveLength(25e4);
      expect(children.every((c, i) => c.kind === 'phrase' && c.start === 4 * i && c.end === 4 * i + 3 && c.words.length === 1)).toBe(true);
    });

    it('refuses a million minus signs at the first', () => {
      expect(refusal('-'.repeat(1e6))).toEqual({ code: 'bad_query', reason: 'double_minus', position: 0 });
    });

    it('reads half a million words as one and of them', () => {
      const result = parseSyntax('a '.repeat(5e5));
      expect(result.operators).toBe(false);
      expect(result.root).toMatchObject({ kind: 'and', start: 0, end: 1e6 - 1 });
      const children = (result.root as { kind: 'and'; children: SyntaxNode[] }).children;
      expect(children).toHaveLength(5e5);
      expect(children.every((c, i) => c.kind === 'word' && c.text === 'a' && c.start === 2 * i && c.end === 2 * i + 1)).toBe(true);
    });

    it('reads a million characters of one word, or of stars, as one word', () => {
      expect(root('a'.repeat(1e6))).toEqual(word('a'.repeat(1e6), 0));
      expect(root('a' + '*'.repeat(1e6))).toEqual(prefixWord('a', 0, 1e6 + 1));
      expect(root('*'.repeat(1e6))).toEqual(word('', 0, 1e6));
    });

    it('reads two hundred thousand OFs as one or', () => {
      const result = parseSyntax('a OF '.repeat(2e5) + 'a');
      expect(result.operators).toBe(true);
      expect(result.root).toMatchObject({ kind: 'or', start: 0, end: 1e6 + 1 });
      const children = (result.root as { kind: 'or'; children: SyntaxNode[] }).children;
      expect(children).toHaveLength(2e5 + 1);
      expect(children.every((c, i) => c.kind === 'word' && c.start === 5 * i && c.end === 5 * i + 1)).toBe(true);
      expect(refusal('a OF '.repeat(2e5))).toEqual({ code: 'bad_query', reason: 'nothing_after_or', position: 1e6 - 3 });
    });

    it('reads three hundred thousand exclusions as one and of them', () => {
      const result = parseSyntax('-a '.repeat(3e5));
      expect(result.operators).toBe(true);
      const children = (result.root as { kind: 'and'; children: SyntaxNode[] }).children;
      expect(result.root?.kind).toBe('and');
      expect(children).toHaveLength(3e5);
      expect(
        children.every((c, i) => c.kind === 'not' && c.start === 3 * i && c.end === 3 * i + 2 && c.child.kind === 'word' && c.child.start === 3 * i + 1),
      ).toBe(true);
    });

    it('reads many groups side by side, each within the nesting cap', () => {
      const result = parseSyntax('(a) '.repeat(25e4));
      const children = (result.root as { kind: 'and'; children: SyntaxNode[] }).children;
      expect(children).toHaveLength(25e4);
      expect(children.every((c, i) => c.kind === 'word' && c.start === 4 * i + 1)).toBe(true);
    });
  });
});
