import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('config', () => {
  describe('readConfig', () => {
    it('defaults to port 3000 on 127.0.0.1 over data/articles with the Kraaij-Pohlmann stemmer and no admin API', () => {
      expect(readConfig({})).toEqual({
        port: 3000,
        host: '127.0.0.1',
        store: { kind: 'folder', articlesDir: resolve('data/articles') },
        articlesDir: resolve('data/articles'),
        indexDir: resolve('data/.index'),
        synonymsFile: resolve('data/synonyms.txt'),
        adminToken: undefined,
        snapshotDelayMs: 5000,
        stemmer: 'dutch',
        logLevel: 'info',
      });
    });

    it('enables the admin API with a token of 16 characters or more', () => {
      expect(readConfig({ ADMIN_TOKEN: 'geheim-token-1234' }).adminToken).toBe('geheim-token-1234');
      expect(() => readConfig({ ADMIN_TOKEN: 'kort' })).toThrow(/ADMIN_TOKEN: must be at least 16 characters/);
    });

    it('reads PORT, HOST, ARTICLES_DIR and STEMMER, treating empty values as unset', () => {
      expect(readConfig({ PORT: '8080', HOST: '0.0.0.0', ARTICLES_DIR: '/tmp/artikelen', STEMMER: 'dutch_porter', LOG_LEVEL: '' })).toMatchObject({
        port: 8080,
        host: '0.0.0.0',
        articlesDir: '/tmp/artikelen',
        stemmer: 'dutch_porter',
        logLevel: 'info',
      });
    });

    it('chooses the PostgreSQL store with ARTICLE_STORE=postgres, which needs DATABASE_URL', () => {
      expect(readConfig({ ARTICLE_STORE: 'postgres', DATABASE_URL: 'postgres://nieuws@db:5432/nieuws', SYNC_POLL_MS: '100' }).store).toEqual({
        kind: 'postgres',
        databaseUrl: 'postgres://nieuws@db:5432/nieuws',
        pollMs: 100,
      });
      expect(readConfig({ ARTICLE_STORE: 'postgres', DATABASE_URL: 'postgres://a@primary/n', DATABASE_READ_URL: 'postgres://a@standby/n' }).store).toMatchObject({
        databaseUrl: 'postgres://a@primary/n',
        readUrl: 'postgres://a@standby/n',
      });
      expect(() => readConfig({ ARTICLE_STORE: 'postgres' })).toThrow(/DATABASE_URL: is required when ARTICLE_STORE=postgres/);
      expect(() => readConfig({ ARTICLE_STORE: 'postgres', DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(() => readConfig({ ARTICLE_STORE: 'sqlite' })).toThrow(/ARTICLE_STORE/);
    });

    it('names every variable at fault', () => {
      expect(() => readConfig({ PORT: 'http', STEMMER: 'english' })).toThrow(/config: invalid environment \(PORT: .*; STEMMER: .*\)/);
      expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    });
  });
});
