/**
 * LanceDB 0.31 with its native full-text index (Lance's own, in Rust; BM25): one table of paragraphs in a
 * temporary directory that `close` removes, an FTS index with Lance's Dutch stemmer and stop list, each query
 * a `MatchQuery` with `Operator.And`. LanceDB has no highlighter: a hit's text is fetched as stored, unmarked.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Table } from '@lancedb/lancedb';
import { sink, type AsyncEngine, type BenchCorpus, type Engine } from './engine.js';

/*
 * Lance sizes its compute pool once, on first use, at the cores less two it reserves for I/O, and at least
 * one. With that one thread its FTS index build waits forever: at 100k paragraphs on 2 cores it made no
 * progress in 3 minutes (half a second of CPU), while with two threads it finished in 17 s. So where Lance
 * would choose fewer than two, two, set before the library is loaded (a static import would load it first).
 */
process.env.LANCE_CPU_THREADS ??= String(Math.max(2, os.availableParallelism() - 2));
const lancedb = await import('@lancedb/lancedb');

/** What a results page asks for. */
const PAGE = 10;

/** One hit of a page: its paragraph id and its text. */
export interface LanceHit {
  id: string;
  text: string;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

export class LanceDbEngine implements AsyncEngine {
  readonly name = 'lancedb';
  /** Where the table and its index live, until `close`. */
  readonly dir = mkdtempSync(join(os.tmpdir(), 'nieuwszoeker-lancedb-'));
  private table: Table | null = null;
  private paragraphs = 0;

  /** Writing the table is part of the build: LanceDB indexes what it has stored, never a JS array. */
  async build(corpus: BenchCorpus): Promise<void> {
    const db = await lancedb.connect(this.dir);
    this.table = await db.createTable(
      'paragraphs',
      corpus.docs.map((doc) => ({ id: doc.id, text: doc.text })),
    );
    this.paragraphs = corpus.docs.length;
    await this.table.createIndex('text', {
      config: lancedb.Index.fts({
        // The `simple` tokenizer (split on whitespace and punctuation), lowercased and folded to ASCII, then
        // Lance's Dutch stop list and stemmer (Snowball's Dutch Porter, as MiniSearch-porter and FlexSearch use).
        baseTokenizer: 'simple',
        lowercase: true,
        asciiFolding: true,
        language: 'Dutch',
        removeStopWords: true,
        stem: true,
        // Positions, as FTS5 and ours keep them for phrases (the default, written out).
        withPosition: true,
      }),
    });
  }

  /** Every word required; the words are given as text, not parsed, so no query string is a syntax error. */
  private query(query: string, limit: number, columns: string[]) {
    const match = new lancedb.MatchQuery(query, 'text', { operator: lancedb.Operator.And });
    // `_score` asked for by name: Lance adds it anyway, and warns on every query when it is not listed.
    return this.table!.query().fullTextSearch(match).select([...columns, '_score']).limit(limit);
  }

  async searchAsync(query: string): Promise<number> {
    const hits = await this.top(query);
    for (const hit of hits) sink.value += hit.text.length + hit.id.length;
    return hits.length;
  }

  /** The first page, best first: what `searchAsync` fetches. */
  async top(query: string): Promise<LanceHit[]> {
    if (query.trim().length === 0) return [];
    return (await this.query(query, PAGE, ['id', 'text']).toArray()) as LanceHit[];
  }

  async count(query: string): Promise<number> {
    if (query.trim().length === 0) return 0;
    return (await this.query(query, Math.max(1, this.paragraphs), ['id']).toArray()).length;
  }

  diskBytes(): number {
    return directoryBytes(this.dir);
  }

  close(): void {
    this.table?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function lancedbEngine(): Engine {
  return new LanceDbEngine();
}
