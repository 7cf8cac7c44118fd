/** The JSON API: search, articles, and the analyzer's view of a text. */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { isValidArticleId, type Article } from '../articles/article.js';
import { paragraphId } from '../paragraphs/paragraphs.js';
import type { AppDeps } from './app.js';
import { HttpError } from './errors.js';
import { parseParams, searchParams, wholeNumber } from './params.js';

/** Longest text `/api/analyze` accepts, in characters. */
export const MAX_ANALYZE_LENGTH = 10_000;

const analyzeParams = z.object({
  text: z
    .string({ message: 'text is required, given once' })
    .min(1, { message: 'text must not be empty' })
    .max(MAX_ANALYZE_LENGTH, { message: `text must be at most ${MAX_ANALYZE_LENGTH} characters` }),
});

const listParams = z.object({
  limit: wholeNumber('limit', 1, 1000, 100),
  offset: wholeNumber('offset', 0, 1_000_000_000, 0),
});

export function apiRouter({ index, searcher, status }: AppDeps & { status: NonNullable<AppDeps['status']> }): Router {
  const router = Router();

  router.get('/search', function search(req: Request, res: Response) {
    const { q, limit, offset } = parseParams(searchParams, req.query);
    if (!status().ready) {
      res.set('Retry-After', '1');
      throw new HttpError(503, 'not_ready', 'the index is still loading; try again shortly');
    }
    res.json(searcher.search(q, { limit, offset }));
  });

  router.get('/articles', function listArticles(req: Request, res: Response) {
    const { limit, offset } = parseParams(listParams, req.query);
    const all = [...index.allArticles()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    res.json({
      total: all.length,
      articles: all.slice(offset, offset + limit).map((a) => ({
        id: a.id,
        title: a.title,
        date: a.date,
        source: a.source,
        url: a.url,
        paragraphs: a.paragraphs.length,
      })),
    });
  });

  router.get('/articles/:id', function getArticle(req: Request, res: Response) {
    res.json(articleJson(findArticle(req.params.id as string)));
  });

  router.get('/analyze', function analyze(req: Request, res: Response) {
    const { text } = parseParams(analyzeParams, req.query);
    res.json({ analyzer: index.analyzer.version, text, tokens: index.analyzer.analyze(text) });
  });

  function findArticle(id: string): Article {
    const article = isValidArticleId(id) ? index.getArticle(id) : undefined;
    if (!article) throw new HttpError(404, 'article_not_found', `no article with id "${id}"`);
    return article;
  }

  return router;
}

export function articleJson(article: Article) {
  return {
    id: article.id,
    title: article.title,
    date: article.date,
    source: article.source,
    url: article.url,
    paragraphs: article.paragraphs.map((text, i) => ({ id: paragraphId(article.id, i + 1), n: i + 1, text })),
  };
}
