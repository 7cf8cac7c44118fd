import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArticleError,
  DERIVED_TITLE_LENGTH,
  MAX_ARTICLE_BYTES,
  decodeArticleBytes,
  deriveTitle,
  encodeArticle,
  isValidArticleId,
  isValidDate,
  parseArticle,
} from '../../src/articles/article.js';
import { REPO_ROOT } from '../helpers/shared.js';

const SEED_ID = '000_463c9f2ccdc7d6fc';
const seedText = readFileSync(join(REPO_ROOT, 'data', 'articles', `${SEED_ID}.txt`), 'utf8');

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArticleError) return error.code;
    throw error;
  }
  return undefined;
}

describe('article', () => {
  describe('parseArticle', () => {
    it("reads the bundled article's leading date marker and blank-line paragraphs", () => {
      const article = parseArticle(SEED_ID, seedText);
      expect(article.date).toBe('2025-05');
      expect(article.paragraphs).toHaveLength(19);
      expect(article.paragraphs[0]).toMatch(/^Kremlin-woordvoerder Dmitry Peskov heeft aangekondigd/);
      expect(article.paragraphs[18]).toBe('Echter, het Westen weigerde dergelijke garanties te bieden.');
      expect(article.source).toBeNull();
    });

    it('derives a title from the first sentence, cut at a word boundary near 80 characters', () => {
      const { title } = parseArticle(SEED_ID, seedText);
      expect(title).toBe('Kremlin-woordvoerder Dmitry Peskov heeft aangekondigd dat de Russische president…');
      expect(title.length).toBeLessThanOrEqual(DERIVED_TITLE_LENGTH + 1);
    });

    it('reads a header block of key: value lines ended by a blank line', () => {
      const text = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'articles', 'navo-top-2025.txt'), 'utf8');
      const article = parseArticle('navo-top-2025', text);
      expect(article).toMatchObject({
        id: 'navo-top-2025',
        title: 'NAVO-top in Den Haag: bondgenoten beloven hogere defensie-uitgaven',
        date: '2025-06-25',
        source: 'Voorbeeldkrant',
        url: 'https://example.org/navo-top',
      });
      expect(article.paragraphs).toHaveLength(3);
    });

    it('tolerates a BOM, CRLF line ends, tabs and runs of blank lines', () => {
      const text = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'articles', 'cafe-crlf-bom.txt'), 'utf8');
      const article = parseArticle('cafe-crlf-bom', text);
      expect(article.title).toBe('Crème brûlée en café’s');
      expect(article.date).toBe('2024-02');
      expect(article.paragraphs).toEqual([
        'In de cafés van Brussel wordt de crème brûlée nog altijd geserveerd.',
        "De auto's van de gasten staan geparkeerd voor de deur.",
      ]);
    });

    it('treats key: value lines as text when no blank line ends them or the key is unknown', () => {
      expect(parseArticle('a', 'title: Kop\nEn meteen tekst.').paragraphs).toEqual(['title: Kop En meteen tekst.']);
      const update = parseArticle('b', 'Update: de politie meldt een aanhouding.\n\nTweede alinea.');
      expect(update.paragraphs[0]).toBe('Update: de politie meldt een aanhouding.');
      expect(update.title).toBe('Update: de politie meldt een aanhouding');
    });

    it('keeps a date only when it names a real year, month and day', () => {
      expect(parseArticle('a', 'date: 2025-13-01\n\nTekst.').date).toBeNull();
      expect(parseArticle('b', ' date 2025-02-30 Tekst.').paragraphs[0]).toBe('date 2025-02-30 Tekst.');
      expect(parseArticle('c', 'date 2024-02-29 Schrikkeldag.').date).toBe('2024-02-29');
    });

    it('refuses an unsafe id and a file with no paragraph text', () => {
      expect(errorCode(() => parseArticle('../etc/passwd', 'Tekst.'))).toBe('invalid_id');
      expect(errorCode(() => parseArticle('a', 'title: Alleen een kop\n\n'))).toBe('no_text');
      expect(errorCode(() => parseArticle('a', ' date 2025-05 '))).toBe('no_text');
    });
  });

  describe('decodeArticleBytes', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);

    it('decodes UTF-8 and drops a BOM', () => {
      expect(decodeArticleBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('Oekraïne')]))).toBe('Oekraïne');
    });

    it('refuses empty, blank, binary, invalid UTF-8 and oversized content', () => {
      expect(errorCode(() => decodeArticleBytes(new Uint8Array()))).toBe('empty');
      expect(errorCode(() => decodeArticleBytes(bytes(' \n\t\n')))).toBe('empty');
      expect(errorCode(() => decodeArticleBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01])))).toBe('binary');
      expect(errorCode(() => decodeArticleBytes(new Uint8Array([0x4f, 0x65, 0x6b, 0xff, 0xfe])))).toBe('invalid_utf8');
      expect(errorCode(() => decodeArticleBytes(new Uint8Array(MAX_ARTICLE_BYTES + 1).fill(0x61)))).toBe('too_large');
    });
  });

  describe('deriveTitle', () => {
    it('keeps a short first sentence whole, without its full stop', () => {
      expect(deriveTitle('Het vorige telefoongesprek vond plaats op 18 maart. Daarna niets.')).toBe(
        'Het vorige telefoongesprek vond plaats op 18 maart',
      );
    });

    it('does not cut at a decimal point', () => {
      expect(deriveTitle('Het gesprek staat om 17.00 uur gepland. Meer volgt.')).toBe('Het gesprek staat om 17.00 uur gepland');
    });

    it('cuts a word without spaces hard at the limit', () => {
      expect(deriveTitle('x'.repeat(200))).toBe(`${'x'.repeat(DERIVED_TITLE_LENGTH)}…`);
    });
  });

  describe('encodeArticle', () => {
    it('gives the exact file bytes and the article they read back as', () => {
      const { bytes, article } = encodeArticle('rutte', { title: 'Rutte in Kyiv', date: '2025-06', text: 'Eerste.\n\nTweede.' });
      expect(bytes.toString('utf8')).toBe('title: Rutte in Kyiv\ndate: 2025-06\n\nEerste.\n\nTweede.\n');
      expect(article).toEqual(parseArticle('rutte', bytes.toString('utf8')));
    });

    it('refuses a NUL character or a lone surrogate in any field, naming the field', () => {
      const cases: Array<[object, string, string]> = [
        [{ text: 'x\u0000y' }, 'text', 'binary'],
        [{ title: 'a\u0000', text: 'x' }, 'title', 'binary'],
        [{ source: '\u0000', text: 'x' }, 'source', 'binary'],
        [{ text: 'half \ud83d paar' }, 'text', 'invalid_unicode'],
        [{ title: '\udc00', text: 'x' }, 'title', 'invalid_unicode'],
      ];
      for (const [input, field, code] of cases) {
        let caught: unknown;
        try {
          encodeArticle('x', input as { text: string });
        } catch (error) {
          caught = error;
        }
        expect(caught, JSON.stringify(input)).toBeInstanceOf(ArticleError);
        expect(caught).toMatchObject({ code, field });
      }
      // A proper pair is text (an emoji), not a lone surrogate.
      expect(encodeArticle('x', { text: 'Feest \ud83c\udf89' }).article.paragraphs).toEqual(['Feest 🎉']);
    });

    it('refuses what a file read would refuse: too large, or no paragraph text', () => {
      expect(errorCode(() => encodeArticle('x', { text: 'a'.repeat(MAX_ARTICLE_BYTES) }))).toBe('too_large');
      expect(errorCode(() => encodeArticle('x', { title: 'Leeg', text: ' \n\n ' }))).toBe('no_text');
    });
  });

  describe('isValidArticleId', () => {
    it('accepts file-name ids and refuses paths, hidden names and separators', () => {
      for (const id of [SEED_ID, 'navo-top-2025', 'artikel.v2', 'café_1']) expect(isValidArticleId(id)).toBe(true);
      for (const id of ['', '.hidden', '../x', 'a/b', 'a\\b', 'a#1', 'a b', 'x'.repeat(129)]) expect(isValidArticleId(id)).toBe(false);
    });
  });

  describe('isValidDate', () => {
    it('accepts YYYY, YYYY-MM and real YYYY-MM-DD dates', () => {
      expect(['2025', '2025-05', '2025-05-31', '2024-02-29'].map(isValidDate)).toEqual([true, true, true, true]);
      expect(['25-05', '2025-00', '2025-05-32', '2023-02-29', '2025/05'].map(isValidDate)).toEqual([false, false, false, false, false]);
    });
  });
});
