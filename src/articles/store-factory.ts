/** Chooses the article store by configuration: the folder of files (the default), or PostgreSQL. */
import type { Logger } from '../logger.js';
import { FolderArticleStore } from './folder-store.js';
import { PostgresArticleStore } from './postgres-store.js';
import type { ArticleStore } from './store.js';

export type StoreConfig =
  | { kind: 'folder'; articlesDir: string; /** How long a file must stay unchanged before it is read. */ stableMs?: number }
  | {
      kind: 'postgres';
      /** The primary: writes, migrations, LISTEN. */
      databaseUrl: string;
      /** A streaming standby to read the log and articles from (default: the primary). */
      readUrl?: string;
      /** Follower's polling interval (ms). */
      pollMs?: number;
      applicationName?: string;
    };

export function createArticleStore(config: StoreConfig, logger: Logger): ArticleStore {
  if (config.kind === 'postgres') {
    const { kind: _kind, ...options } = config;
    return new PostgresArticleStore(options, logger);
  }
  return new FolderArticleStore(config.articlesDir, logger, config.stableMs === undefined ? {} : { stableMs: config.stableMs });
}
