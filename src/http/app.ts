/**
 * Builds the Express app from injected services; never listens (src/main.ts does). Security headers,
 * static files, the JSON API, the pages, then one 404 and one error handler.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express from 'express';
import helmet from 'helmet';
import type { SearchIndex } from '../index/search-index.js';
import type { Logger } from '../logger.js';
import type { Searcher } from '../search/search.js';
import type { ServiceStatus } from './status.js';
import { adminRouter, type AdminDeps } from './admin.js';
import { apiRouter } from './api.js';
import { errorHandler, notFound } from './errors.js';
import * as format from './format.js';
import { pagesRouter } from './pages.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VIEWS_DIR = join(ROOT, 'views');
export const PUBLIC_DIR = join(ROOT, 'public');

/** The services the app serves from. */
export interface AppDeps {
  index: SearchIndex;
  searcher: Searcher;
  logger: Logger;
  /** Readiness and freshness of the index (default: always ready, counts from `index`). */
  status?: () => ServiceStatus;
  /** The admin API; without it the admin routes answer 403. */
  admin?: AdminDeps;
  /** Read your writes (`/api/search?after=SEQ`); without it every change counts as applied. */
  changes?: { waitForSeq(seq: number, timeoutMs: number): Promise<boolean> };
}

/** A status for an index that is complete from the start (tests, tools). */
export function staticStatus(index: SearchIndex): () => ServiceStatus {
  return () => ({ ready: true, articles: index.articleCount, paragraphs: index.paragraphCount, lastChangeAt: null, snapshot: null });
}

export function createApp(appDeps: AppDeps): express.Express {
  const deps = { ...appDeps, status: appDeps.status ?? staticStatus(appDeps.index) };
  const app = express();
  app.disable('x-powered-by');
  // No ETag on dynamic answers: hashing every search response cost more than revalidation could save
  // (results change with the index; static files keep their own validators).
  app.set('etag', false);
  app.engine('ejs', ejs.renderFile);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.locals.format = format;

  app.use(
    helmet({
      contentSecurityPolicy: {
        // Scripts only from our own files (the suggestions enhancement), never inline; and plain-http
        // localhost must not be upgraded to https.
        directives: { scriptSrc: ["'self'"], upgradeInsecureRequests: null },
      },
    }),
  );
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', articles: deps.index.articleCount, paragraphs: deps.index.paragraphCount });
  });
  // Ready once the index reflects the store as of start-up; load balancers and scripts wait for 200. For
  // PostgreSQL, `store` says which change is applied and how far behind the log's head this process is.
  app.get('/readyz', (_req, res) => {
    const status = deps.status();
    res.status(status.ready ? 200 : 503).json({ status: status.ready ? 'ready' : 'loading', ...status });
  });
  app.use('/api', adminRouter(deps.admin));
  app.use('/api', apiRouter(deps));
  app.use(pagesRouter(deps));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

