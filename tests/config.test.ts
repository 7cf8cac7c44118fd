import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('config', () => {
  describe('readConfig', () => {
    it('defaults to port 3000 on 127.0.0.1 over data/articles with the Kraaij-Pohlmann stemmer', () => {
      expect(readConfig({})).toEqual({
        port: 3000,
        host: '127.0.0.1',
        articlesDir: resolve('data/articles'),
        stemmer: 'dutch',
        logLevel: 'info',
      });
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

    it('names every variable at fault', () => {
      expect(() => readConfig({ PORT: 'http', STEMMER: 'english' })).toThrow(/config: invalid environment \(PORT: .*; STEMMER: .*\)/);
      expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    });
  });
});
