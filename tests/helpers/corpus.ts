/** The articles tests search over: the bundled article plus the Dutch fixtures in tests/fixtures/articles. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { parseArticle, type Article } from '../../src/articles/article.js';
import { createApp } from '../../src/http/app.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { silentLogger } from '../../src/logger.js';
import { Searcher } from '../../src/search/search.js';
import { prng } from './random.js';
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

/**
 * Short paragraphs of words drawn Zipf-like from the fixtures' vocabulary (stopwords included): frequent
 * terms with long postings, rare ones, and many equal scores (equal lengths and frequencies) to exercise
 * the tie order, and repeated word pairs for phrases.
 */
export function generatedArticles(count: number, seed: number): Article[] {
  const words = [...new Set(fixtureArticles().flatMap((a) => a.paragraphs.join(' ').match(/\p{L}[\p{L}'-]*/gu) ?? []))].sort();
  const random = prng(seed);
  const pick = () => words[Math.floor(words.length * random() ** 3)]!;
  const articles: Article[] = [];
  for (let a = 0; a < count; a++) {
    const paragraphs: string[] = [];
    const n = 1 + Math.floor(random() * 6);
    for (let p = 0; p < n; p++) {
      const length = 2 + Math.floor(random() * 12);
      paragraphs.push(Array.from({ length }, pick).join(' ') + '.');
    }
    articles.push({ id: `gen-${String(a).padStart(4, '0')}`, title: `Artikel ${a}`, date: null, source: null, url: null, paragraphs });
  }
  return articles;
}
