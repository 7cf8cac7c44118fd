/**
 * SQLite's FTS5 through better-sqlite3 12: one in-memory FTS5 table of paragraphs (tokenizer `unicode61
 * remove_diacritics 2`), ranked by FTS5's built-in BM25 (`ORDER BY rank`), each hit's text marked by `highlight()`.
 * FTS5 ships no Dutch stemmer (its one stemmer, `porter`, is English) and no stop list: words match as written, folded.
 */
import Database from 'better-sqlite3';
import { sink, type BenchCorpus, type Engine, type SyncEngine } from './engine.js';

/** What a results page asks for. */
const PAGE = 10;

/** One hit of a page: its paragraph id and its text with the matched words in `<mark>`. */
export interface Fts5Hit {
  id: string;
  highlight: string;
}

/**
 * The FTS5 query that requires every word of `query` (AND), or null when it has none. Each word is one
 * quoted string (`"` doubled inside), so no query can be read as FTS5 syntax (`AND`, `NEAR(`, `col:`, `^`,
 * `*`, an unclosed quote): a quoted string is a phrase of the tokens the tokenizer finds in it, so `17.00`
 * must match `17` followed by `00`, as the indexed text was split. An empty MATCH is a syntax error, hence null.
 * @example ftsMatch('minister "NEAR(') // '"minister" """NEAR("'
 */
export function ftsMatch(query: string): string | null {
  const words = query.split(/\s+/).filter((w) => w.length > 0);
  return words.length === 0 ? null : words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ');
}

export class SqliteFts5Engine implements SyncEngine {
  readonly name = 'sqlite-fts5';
  // In memory, as every other contender keeps its index: no file, no page cache between it and the queries.
  private readonly db = new Database(':memory:');
  private page: Database.Statement<[string], Fts5Hit> | null = null;
  private counter: Database.Statement<[string], number> | null = null;

  constructor() {
    // `remove_diacritics 2` folds every diacritic (`financiële` = `financiele`), as ours and FlexSearch do;
    // `id` is stored but not indexed. Defaults otherwise: `detail=full` (positions, which quoted phrases need).
    this.db.exec(`CREATE VIRTUAL TABLE paragraphs USING fts5(id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')`);
  }

  build(corpus: BenchCorpus): void {
    const insert = this.db.prepare<[string, string]>('INSERT INTO paragraphs (id, text) VALUES (?, ?)');
    // One transaction: per-row commits would time SQLite's journal, not its index.
    this.db.transaction((docs: BenchCorpus['docs']) => {
      for (const doc of docs) insert.run(doc.id, doc.text);
    })(corpus.docs);
    // Merges the index's segments into one, as FTS5's docs advise once a bulk load is done.
    this.db.exec(`INSERT INTO paragraphs (paragraphs) VALUES ('optimize')`);
    // `ORDER BY rank` with a LIMIT is FTS5's own sorted scan (bm25() by default), and `highlight()` runs on
    // the rows returned only: the top 10 marked, as ours is timed.
    this.page = this.db.prepare<[string], Fts5Hit>(`SELECT id, highlight(paragraphs, 1, '<mark>', '</mark>') AS highlight FROM paragraphs WHERE paragraphs MATCH ? ORDER BY rank LIMIT ${PAGE}`);
    this.counter = this.db.prepare<[string], number>('SELECT count(*) FROM paragraphs WHERE paragraphs MATCH ?').pluck();
  }

  search(query: string): number {
    const hits = this.top(query);
    for (const hit of hits) sink.value += hit.highlight.length + hit.id.length;
    return hits.length;
  }

  /** The first page, best first: what `search` fetches. */
  top(query: string): Fts5Hit[] {
    const match = ftsMatch(query);
    return match === null ? [] : this.page!.all(match);
  }

  count(query: string): number {
    const match = ftsMatch(query);
    return match === null ? 0 : this.counter!.get(match)!;
  }

  close(): void {
    this.db.close();
  }
}

export function sqliteFts5Engine(): Engine {
  return new SqliteFts5Engine();
}
