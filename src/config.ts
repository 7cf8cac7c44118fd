/** The service's configuration, read from the environment once at start-up and validated. */
import { resolve } from 'node:path';
import { z } from 'zod';
import { STEMMER_NAMES } from './analysis/stemmers.js';
import type { StoreConfig } from './articles/store-factory.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ARTICLE_STORE: z.enum(['folder', 'postgres']).default('folder'),
  ARTICLES_DIR: z.string().min(1).default('data/articles'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' }).optional(),
  DATABASE_READ_URL: z.string().regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' }).optional(),
  SYNC_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  INDEX_DIR: z.string().min(1).default('data/.index'),
  SYNONYMS_FILE: z.string().min(1).default('data/synonyms.txt'),
  ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  SNAPSHOT_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  STEMMER: z.enum(STEMMER_NAMES as ['dutch', 'dutch_porter']).default('dutch'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  /** Where articles live: the folder (default) or PostgreSQL (DATABASE_URL). */
  store: StoreConfig;
  /** Absolute path (the folder store's, and the import command's default target). */
  articlesDir: string;
  /** Absolute path of the snapshot folder. */
  indexDir: string;
  /** Absolute path of the synonym file (reloaded when it changes; may be missing). */
  synonymsFile: string;
  /** Enables the admin API when set. */
  adminToken: string | undefined;
  snapshotDelayMs: number;
  stemmer: 'dutch' | 'dutch_porter';
  logLevel: string;
}

/**
 * Reads the configuration. Empty variables count as unset.
 * @throws Error naming every variable at fault
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`config: invalid environment (${problems})`);
  }
  const c = parsed.data;
  if (c.ARTICLE_STORE === 'postgres' && c.DATABASE_URL === undefined) {
    throw new Error('config: invalid environment (DATABASE_URL: is required when ARTICLE_STORE=postgres)');
  }
  const store: StoreConfig =
    c.ARTICLE_STORE === 'postgres'
      ? { kind: 'postgres', databaseUrl: c.DATABASE_URL!, pollMs: c.SYNC_POLL_MS, ...(c.DATABASE_READ_URL === undefined ? {} : { readUrl: c.DATABASE_READ_URL }) }
      : { kind: 'folder', articlesDir: resolve(c.ARTICLES_DIR) };
  return {
    port: c.PORT,
    host: c.HOST,
    store,
    articlesDir: resolve(c.ARTICLES_DIR),
    indexDir: resolve(c.INDEX_DIR),
    synonymsFile: resolve(c.SYNONYMS_FILE),
    adminToken: c.ADMIN_TOKEN,
    snapshotDelayMs: c.SNAPSHOT_DELAY_MS,
    stemmer: c.STEMMER,
    logLevel: c.LOG_LEVEL,
  };
}
