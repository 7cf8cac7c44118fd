/**
 * Starts the service: read the environment, index every article of ARTICLES_DIR, then listen.
 * Everything else is built by createApp from the services made here.
 */
import { createServer } from 'node:http';
import { createAnalyzer } from './analysis/analyzer.js';
import { loadArticlesFromDir } from './articles/folder.js';
import { readConfig, type Config } from './config.js';
import { createApp } from './http/app.js';
import { SearchIndex } from './index/search-index.js';
import { createLogger, type Logger } from './logger.js';
import { Searcher } from './search/search.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const index = await buildIndex(config, logger);
  const app = createApp({ index, searcher: new Searcher(index), logger });

  const server = createServer(app);
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.error({ err: error }, `cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ host: config.host, port }, `listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`);
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function buildIndex(config: Config, logger: Logger): Promise<SearchIndex> {
  const started = performance.now();
  const index = new SearchIndex(createAnalyzer({ stemmer: config.stemmer }));
  let loaded;
  try {
    loaded = await loadArticlesFromDir(config.articlesDir, logger);
  } catch (error) {
    logger.error({ dir: config.articlesDir }, `cannot read ARTICLES_DIR ${config.articlesDir}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    process.exit(1);
  }
  for (const article of loaded.articles) index.addArticle(article);
  const ms = Math.round(performance.now() - started);
  logger.info(
    { articles: index.articleCount, paragraphs: index.paragraphCount, skipped: loaded.skipped.length, ms, dir: config.articlesDir, analyzer: index.analyzer.version },
    `indexed ${index.articleCount} articles, ${index.paragraphCount} paragraphs in ${ms} ms`,
  );
  return index;
}

await main();
