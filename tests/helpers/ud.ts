/** The real Dutch articles of ../shared/ud-dutch, parsed; empty (with a notice) when absent. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArticle, type Article } from '../../src/articles/article.js';
import { sharedPath } from './shared.js';

export function udArticles(what: string): Article[] {
  const dir = sharedPath(what, 'ud-dutch', 'articles');
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => parseArticle(f.slice(0, -4), readFileSync(join(dir, f), 'utf8')));
}

/** A version for an in-memory article (what a store would report). */
export function versionOf(article: Article) {
  return { hash: `hash-${article.id}-${article.paragraphs.join('').length}`, token: '1', changedAtMs: 1 };
}
