import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { MAX_ARTICLE_BYTES, type Article } from '../../src/articles/article.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { readSnapshot, SNAPSHOT_FILE, writeSnapshot } from '../../src/index/snapshot.js';
import { ids, top } from '../helpers/query.js';
import { q } from '../../src/query/tree.js';

// V8 cannot hold a string longer than this (about 512 MiB on 64-bit): JSON.stringify of a bigger index fails.
const V8_MAX_STRING = constants.MAX_STRING_LENGTH;

describe('snapshot at a size JSON.stringify cannot handle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-snapshot-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes and reads back an index whose serialized form exceeds the V8 string limit', { timeout: 240_000 }, async () => {
    // Paragraphs of one long unindexed token (cheap to analyze) plus real words, up to the article size limit.
    const filler = 'x'.repeat(MAX_ARTICLE_BYTES - 200);
    const count = Math.ceil((V8_MAX_STRING * 1.05) / filler.length);
    const index = new SearchIndex(createAnalyzer());
    for (let i = 0; i < count; i++) {
      const article: Article = {
        id: `groot-${i}`,
        title: `Groot artikel ${i}`,
        date: null,
        source: null,
        url: null,
        paragraphs: [`De NAVO vergaderde op dag ${i} in Den Haag.`, `${filler}${i}`],
      };
      index.upsert(article, { hash: `h${i}`, token: `${MAX_ARTICLE_BYTES}:${i}`, changedAtMs: i });
    }
    // The naive path: one JSON string of the index's articles and MiniSearch index.
    expect(() => JSON.stringify({ articles: [...index.allArticles()], index: index.miniSearch })).toThrow(RangeError);

    const stats = await writeSnapshot(index, dir);
    expect(stats.bytes).toBeGreaterThan(V8_MAX_STRING);
    expect(statSync(join(dir, SNAPSHOT_FILE)).size).toBe(stats.bytes);

    const loaded = await readSnapshot(dir, createAnalyzer());
    expect(loaded!.index.articleCount).toBe(count);
    expect(loaded!.index.getArticle(`groot-${count - 1}`)!.paragraphs[1]).toBe(`${filler}${count - 1}`);
    expect(top(loaded!.index, 'navo', 1).total).toBe(count);
    expect(ids(loaded!.index, loaded!.index.analyzer.indexTerms('dag 7')[1]!)).toEqual(['groot-7#1']);
    // Positions came back too: a phrase across paragraph text finds the one paragraph.
    expect(ids(loaded!.index, { kind: 'phrase', slots: [{ kind: 'word', query: q.term('dag') }, { kind: 'word', query: q.term('7') }] })).toEqual(['groot-7#1']);
  });
});
