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
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.engine('ejs', ejs.renderFile);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.locals.format = format;

  app.use(
    helmet({
      contentSecurityPolicy: {
        // The pages run no script at all; and plain-http localhost must not be upgraded to https.
        directives: { scriptSrc: ["'none'"], upgradeInsecureRequests: null },
      },
    }),
  );
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', articles: deps.index.articleCount, paragraphs: deps.index.paragraphCount });
  });
  app.use('/api', apiRouter(deps));
  app.use(pagesRouter(deps));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
