/** Chooses the article store by configuration: the folder of files (the default), or PostgreSQL. */
import type { Logger } from '../logger.js';
import { FolderArticleStore } from './folder-store.js';
import { PostgresArticleStore } from './postgres-store.js';
import type { ArticleStore } from './store.js';

export type StoreConfig =
  | { kind: 'folder'; articlesDir: string; /** How long a file must stay unchanged before it is read. */ stableMs?: number }
  | { kind: 'postgres'; databaseUrl: string; /** Follower's polling interval (ms). */ pollMs?: number; applicationName?: string };

export function createArticleStore(config: StoreConfig, logger: Logger): ArticleStore {
  if (config.kind === 'postgres') {
    return new PostgresArticleStore(
      { databaseUrl: config.databaseUrl, ...(config.pollMs === undefined ? {} : { pollMs: config.pollMs }), ...(config.applicationName === undefined ? {} : { applicationName: config.applicationName }) },
      logger,
    );
  }
  return new FolderArticleStore(config.articlesDir, logger, config.stableMs === undefined ? {} : { stableMs: config.stableMs });
}
