/**
 * Starts the service: read the environment, listen at once (so /readyz can say "loading"), then load the
 * snapshot, catch up with the article store (ARTICLES_DIR, or PostgreSQL), and follow it. Shuts down gracefully on SIGINT/SIGTERM,
 * writing a pending snapshot first.
 */
import { readConfig, type Config } from './config.js';
import { EventLoopMonitor } from './event-loop.js';
import { createApp } from './http/app.js';
import { createHttpServer } from './http/server.js';
import { createLogger } from './logger.js';
import { SearchService } from './service.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const service = new SearchService(
    { store: config.store, indexDir: config.indexDir, stemmer: config.stemmer, synonymsFile: config.synonymsFile, snapshotDelayMs: config.snapshotDelayMs },
    logger,
  );
  // From the start: loading a snapshot and catching up hold the loop too, and /readyz answers meanwhile.
  const eventLoop = new EventLoopMonitor();
  eventLoop.start();
  const app = createApp({
    index: service.index,
    searcher: service.searcher,
    logger,
    status: () => ({ ...service.status(), eventLoop: eventLoop.status() }),
    admin: { token: config.adminToken, store: service.store, indexer: service.indexer },
    changes: service,
  });

  const server = createHttpServer(app);
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.error({ err: error }, `cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
    process.exit(1);
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.info({ host: config.host, port, admin: config.adminToken !== undefined }, `listening on http://${host}:${port}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    const deadline = setTimeout(() => process.exit(0), 30_000);
    deadline.unref();
    void service.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  try {
    await service.start();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const where = config.store.kind === 'folder' ? `ARTICLES_DIR ${config.store.articlesDir}` : 'the PostgreSQL store (DATABASE_URL)';
    logger.error({ err: error, store: config.store.kind }, `cannot index ${where}: ${e.code ?? e.message}`);
    process.exit(1);
  }
}

await main();
