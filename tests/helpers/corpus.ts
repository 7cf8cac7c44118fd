/** The articles tests search over: the bundled article plus the Dutch fixtures in tests/fixtures/articles. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { parseArticle, type Article } from '../../src/articles/article.js';
import { createApp } from '../../src/http/app.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { silentLogger } from '../../src/logger.js';
import { Searcher } from '../../src/search/search.js';
import { REPO_ROOT } from './shared.js';

export const SEED_ID = '000_463c9f2ccdc7d6fc';
export const FIXTURES_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'articles');

function readDir(dir: string): Article[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseArticle(f.slice(0, -4), readFileSync(join(dir, f), 'utf8')));
}

export function seedArticle(): Article {
  return readDir(join(REPO_ROOT, 'data', 'articles')).find((a) => a.id === SEED_ID)!;
}

/** An index over the given articles (default: the bundled article only). */
export function buildIndex(articles: Article[] = [seedArticle()]): SearchIndex {
  const index = new SearchIndex(createAnalyzer());
  for (const a of articles) index.addArticle(a);
  return index;
}

export function fixtureArticles(): Article[] {
  return [seedArticle(), ...readDir(FIXTURES_DIR)];
}

/** The app over an index, as the HTTP tests use it. */
export function buildApp(index: SearchIndex = buildIndex()) {
  return createApp({ index, searcher: new Searcher(index), logger: silentLogger });
}
