import { describe, expect, it } from 'vitest';
import { paragraphId, toParagraphDocs } from '../../src/paragraphs/paragraphs.js';
import { seedArticle, SEED_ID } from '../helpers/corpus.js';

describe('paragraphs', () => {
  describe('toParagraphDocs', () => {
    it('makes one document per paragraph, numbered from 1, carrying title and date', () => {
      const article = seedArticle();
      const docs = toParagraphDocs(article);
      expect(docs).toHaveLength(19);
      expect(docs[0]).toEqual({
        id: `${SEED_ID}#1`,
        articleId: SEED_ID,
        paragraph: 1,
        text: article.paragraphs[0],
        title: article.title,
        date: '2025-05',
      });
      expect(docs.map((d) => d.id)).toEqual(article.paragraphs.map((_, i) => paragraphId(SEED_ID, i + 1)));
    });
  });
});
