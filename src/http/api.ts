/** The JSON API: search, articles, and the analyzer's view of a text. */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Token } from '../analysis/analyzer.js';
import { isValidArticleId, type Article } from '../articles/article.js';
import { paragraphId } from '../paragraphs/paragraphs.js';
import type { AppDeps } from './app.js';
import { HttpError } from './errors.js';
import { parseParams, searchOptions, searchParams, suggestParams, wholeNumber, type HitField } from './params.js';
import type { SearchHit, SearchResponse } from '../search/search.js';

/** Longest `/api/search?after=SEQ` waits for this process to apply change SEQ before answering 503. */
export const AFTER_WAIT_MS = 1_000;

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

export function apiRouter({ index, searcher, status, changes }: AppDeps & { status: NonNullable<AppDeps['status']> }): Router {
  const router = Router();

  router.get('/search', async function search(req: Request, res: Response) {
    const params = parseParams(searchParams, req.query);
    requireReady(res);
    if (params.after !== null) await requireApplied(res, params.after);
    res.json(withFields(searcher.search(params.q, searchOptions(params)), params.fields));
  });

  router.get('/suggest', function suggestions(req: Request, res: Response) {
    const { q, limit, format } = parseParams(suggestParams, req.query);
    requireReady(res);
    const found = searcher.suggest(q).slice(0, limit);
    // OpenSearch's suggestions format, which browsers read: [query, [completions]].
    if (format === 'opensearch') {
      res.type('application/x-suggestions+json').send(JSON.stringify([q, found.map((s) => s.text)]));
      return;
    }
    res.json({ query: q, suggestions: found });
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
    res.json({ analyzer: index.analyzer.version, text, tokens: index.analyzer.analyze(text).map(tokenJson) });
  });

  function requireReady(res: Response): void {
    if (status().ready) return;
    res.set('Retry-After', '1');
    throw new HttpError(503, 'not_ready', 'the index is still loading; try again shortly');
  }

  /** Read your writes: waits (at most AFTER_WAIT_MS) until this process has applied change `seq`. */
  async function requireApplied(res: Response, seq: number): Promise<void> {
    if (!changes || (await changes.waitForSeq(seq, AFTER_WAIT_MS))) return;
    res.set('Retry-After', '1');
    throw new HttpError(503, 'not_caught_up', `this replica has not applied change ${seq} yet (waited ${AFTER_WAIT_MS} ms); try again shortly`);
  }

  function findArticle(id: string): Article {
    const article = isValidArticleId(id) ? index.getArticle(id) : undefined;
    if (!article) throw new HttpError(404, 'article_not_found', `no article with id "${id}"`);
    return article;
  }

  return router;
}

/**
 * Each hit with only the `fields` asked for (all when null): a client that shows `highlight` has no use for
 * `text` beside it, which about halves a response.
 */
function withFields(result: SearchResponse, fields: ReadonlySet<HitField> | null): SearchResponse {
  if (fields === null) return result;
  const pick = (hit: SearchHit) => Object.fromEntries(Object.entries(hit).filter(([key]) => fields.has(key as HitField))) as unknown as SearchHit;
  if (result.group === 'paragraph') return { ...result, hits: result.hits.map(pick) };
  return { ...result, articles: result.articles.map((article) => ({ ...article, paragraphs: article.paragraphs.map(pick) })) };
}

/** A token as `/api/analyze` shows it: without its position key, an internal encoding of its terms. */
/**
 * A token as `/api/analyze` shows it: what the analyzer made of the word, a hyphenated compound's parts as
 * tokens, a closed compound's parts with their lemmas and offsets in the text (when normalizing kept the
 * word's length, as it nearly always does), and an irregular form's lemma.
 */
function tokenJson({ key: _key, parts, compound, ...token }: Token): object {
  const out: Record<string, unknown> = { ...token };
  if (compound) {
    const offsets = token.normalized.length === token.surface.length;
    out.compound = compound.map((p) => ({ text: p.text, lemma: p.lemma, link: p.link, ...(offsets ? { start: token.start + p.start, end: token.start + p.end } : {}) }));
  }
  if (parts) out.parts = parts.map(tokenJson);
  return out;
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
