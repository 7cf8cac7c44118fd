/**
 * The HTML pages: the search page (articles by default, or paragraphs; sorting, date filters, the month
 * histogram, "did you mean"), the article page, the search's Atom feed and the OpenSearch description. EJS,
 * Dutch; every page works without JavaScript (the suggestions script is an enhancement).
 */
import { Router, type Request, type Response } from 'express';
import { dateRange, isValidArticleId, isValidDate } from '../articles/article.js';
import { QueryError } from '../query/query-error.js';
import { MAX_OFFSET, MAX_QUERY_LENGTH, type SearchResponse } from '../search/search.js';
import type { AppDeps } from './app.js';
import { HttpError } from './errors.js';
import { atomFeed, openSearchDescription } from './feeds.js';
import { dutchQueryError, type PageState } from './format.js';
import { parseParams, searchOptions, searchParams } from './params.js';

/** Hits (articles, or paragraphs) per page on the search page. */
export const PAGE_SIZE = 10;
/** Articles in a feed. */
export const FEED_SIZE = 20;
const EXAMPLES = ['NAVO', 'Witkoff', '"speciale gezant"', 'Poetin OF Zelensky'];

export function pagesRouter({ index, searcher, status }: AppDeps & { status: NonNullable<AppDeps['status']> }): Router {
  const router = Router();

  router.get('/', function searchPage(req: Request, res: Response) {
    const stats = status();
    const state = pageState(req);
    const base = { q: state.q, state, examples: EXAMPLES, stats, pageSize: PAGE_SIZE, result: null as SearchResponse | null, page: 1, pages: 0, error: null as string | null };
    if (typeof state.problem === 'string') return renderError(res, base, state.problem);
    if (state.q === '') return res.render('search', base);
    if (!stats.ready) {
      res.set('Retry-After', '1');
      return res.status(503).render('search', { ...base, error: 'De index wordt nog geladen. Probeer het over een paar seconden opnieuw.' });
    }
    let result: SearchResponse;
    try {
      result = searcher.search(state.q, {
        limit: PAGE_SIZE,
        offset: (state.page - 1) * PAGE_SIZE,
        group: state.view === 'alineas' ? 'paragraph' : 'article',
        sort: state.sort === 'nieuwste' ? 'date' : 'relevance',
        from: state.from,
        to: state.to,
        facets: true,
        suggest: true,
      });
    } catch (error) {
      if (error instanceof QueryError) return renderError(res, { ...base, queryError: { position: error.position } }, dutchQueryError(error));
      throw error;
    }
    const pages = Math.min(Math.ceil(result.total / PAGE_SIZE), maxPage());
    // A page past the last one (a stale link, a hand-edited URL) says so instead of showing an empty list.
    res.status(state.page > pages && pages > 0 ? 404 : 200).render('search', { ...base, result, page: state.page, pages });
  });

  router.get('/articles/:id', function articlePage(req: Request, res: Response) {
    const id = req.params.id as string;
    const article = isValidArticleId(id) ? index.getArticle(id) : undefined;
    if (!article) throw new HttpError(404, 'article_not_found', `no article with id "${id}"`);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, MAX_QUERY_LENGTH) : '';
    res.render('article', { article, q, paragraphs: searcher.markArticle(article, q) });
  });

  // The matching articles of a search, newest first, as an Atom feed any feed reader can follow.
  router.get('/feed', function feed(req: Request, res: Response) {
    const params = parseParams(searchParams, req.query);
    if (!status().ready) {
      res.set('Retry-After', '1');
      throw new HttpError(503, 'not_ready', 'the index is still loading; try again shortly');
    }
    const result = searcher.search(params.q, { ...searchOptions(params), group: 'article', sort: 'date', limit: FEED_SIZE, offset: 0 });
    res.type('application/atom+xml').send(atomFeed(result, siteUrl(req), req.originalUrl, (id) => index.versionOf(id)?.changedAtMs));
  });

  router.get('/opensearch.xml', function openSearch(req: Request, res: Response) {
    res.type('application/opensearchdescription+xml').send(openSearchDescription(siteUrl(req)));
  });

  return router;
}

function maxPage(): number {
  return Math.floor(MAX_OFFSET / PAGE_SIZE) + 1;
}

/** The search page's parameters, in Dutch (`q`, `pagina`, `sortering`, `van`, `tot`, `weergave`), validated. */
function pageState(req: Request): PageState & { problem?: string } {
  const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).trim() : '');
  const state: PageState & { problem?: string } = {
    q: text('q'),
    page: 1,
    sort: text('sortering') === 'nieuwste' ? 'nieuwste' : 'relevantie',
    view: text('weergave') === 'alineas' ? 'alineas' : 'artikelen',
    from: null,
    to: null,
  };
  if (Array.isArray(req.query.q)) return { ...state, q: '', problem: 'Geef één zoekopdracht op.' };
  if (state.q.length > MAX_QUERY_LENGTH) return { ...state, problem: `Uw zoekopdracht is te lang: hoogstens ${MAX_QUERY_LENGTH} tekens.` };
  const pageParam = req.query.pagina;
  // Digits only, as the API's numbers: `1e1` or `0x2` are not page numbers.
  const page = pageParam === undefined || pageParam === '' ? 1 : typeof pageParam === 'string' && /^\d{1,6}$/.test(pageParam) ? Number(pageParam) : NaN;
  if (!Number.isInteger(page) || page < 1 || page > maxPage()) return { ...state, problem: `Het paginanummer moet een geheel getal van 1 tot ${maxPage()} zijn.` };
  state.page = page;
  for (const [name, key] of [['van', 'from'], ['tot', 'to']] as const) {
    const value = text(name);
    if (value === '') continue;
    if (!isValidDate(value)) return { ...state, problem: `‘${name}’ moet een datum zijn als 2025, 2025-05 of 2025-05-19.` };
    state[key] = value;
  }
  if (state.from !== null && state.to !== null && dateRange(state.from).first > dateRange(state.to).last) {
    return { ...state, problem: '‘tot’ mag niet vóór ‘van’ liggen.' };
  }
  return state;
}

/** The site's own address as the request reached it (feeds and OpenSearch need absolute links). */
function siteUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function renderError(res: Response, base: object, error: string): void {
  res.status(400).render('search', { ...base, error });
}
