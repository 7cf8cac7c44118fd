/** The HTML pages: the search page and the article page (EJS, Dutch, no JavaScript needed). */
import { Router, type Request, type Response } from 'express';
import { isValidArticleId } from '../articles/article.js';
import { MAX_QUERY_LENGTH } from '../search/query.js';
import { MAX_OFFSET, type SearchResponse } from '../search/search.js';
import type { AppDeps } from './app.js';
import { HttpError } from './errors.js';

/** Hits per page on the search page. */
export const PAGE_SIZE = 10;
const EXAMPLES = ['NAVO', 'Witkoff'];

export function pagesRouter({ index, searcher, status }: AppDeps & { status: NonNullable<AppDeps['status']> }): Router {
  const router = Router();

  router.get('/', function searchPage(req: Request, res: Response) {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const pageParam = req.query.pagina;
    const page = pageParam === undefined || pageParam === '' ? 1 : Number(pageParam);
    const stats = status();
    const base = { q, examples: EXAMPLES, stats, pageSize: PAGE_SIZE, result: null as SearchResponse | null, page: 1, pages: 0, error: null as string | null };

    if (Array.isArray(req.query.q)) return renderError(res, base, 'Geef één zoekopdracht op.');
    if (q.length > MAX_QUERY_LENGTH) {
      return renderError(res, base, `Uw zoekopdracht is te lang: hoogstens ${MAX_QUERY_LENGTH} tekens.`);
    }
    const maxPage = Math.floor(MAX_OFFSET / PAGE_SIZE) + 1;
    if (!Number.isInteger(page) || page < 1 || page > maxPage) {
      return renderError(res, base, `Het paginanummer moet een geheel getal van 1 tot ${maxPage} zijn.`);
    }
    if (q === '') return res.render('search', base);
    if (!stats.ready) {
      res.set('Retry-After', '1');
      return res.status(503).render('search', { ...base, error: 'De index wordt nog geladen. Probeer het over een paar seconden opnieuw.' });
    }

    const result = searcher.search(q, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = Math.min(Math.ceil(result.total / PAGE_SIZE), maxPage);
    res.render('search', { ...base, result, page, pages });
  });

  router.get('/articles/:id', function articlePage(req: Request, res: Response) {
    const id = req.params.id as string;
    const article = isValidArticleId(id) ? index.getArticle(id) : undefined;
    if (!article) throw new HttpError(404, 'article_not_found', `no article with id "${id}"`);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, MAX_QUERY_LENGTH) : '';
    res.render('article', { article, q, paragraphs: searcher.markArticle(article, q) });
  });

  return router;
}

function renderError(res: Response, base: object, error: string): void {
  res.status(400).render('search', { ...base, error });
}
