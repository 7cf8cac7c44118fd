/**
 * FlexSearch 0.8 with a Dutch encoder. FlexSearch ships language packs for English, German and French only
 * (dist/lang), so the encoder is built the way its docs describe for other languages: its default charset
 * (lowercase, diacritics stripped), Snowball's Dutch stop list as `filter`, and the Dutch Porter stemmer
 * from @orama/stemmers in `finalize` (its own `stemmer` option is a suffix table, not an algorithm).
 */
import { Charset, Encoder, Index } from 'flexsearch';
import { stemmer as porterDutch } from '@orama/stemmers/dutch';
import { SNOWBALL_DUTCH_STOPWORDS } from '../../src/analysis/stopwords.js';
import { sink, type BenchCorpus, type Engine, type SyncEngine } from './engine.js';

/** What a results page asks for. */
const PAGE = 10;

export class FlexSearchEngine implements SyncEngine {
  readonly name = 'flexsearch';
  private readonly index: Index;
  /** Paragraph texts by FlexSearch's numeric id (its docs recommend numeric ids); the string ids alongside. */
  private readonly texts: string[] = [];
  private readonly ids: string[] = [];

  constructor() {
    const encoder = new Encoder({
      ...Charset.Default,
      filter: new Set(SNOWBALL_DUTCH_STOPWORDS),
      // Letter deduplication (`boot` → `bot`) would run before `finalize` and feed the stemmer non-words.
      dedupe: false,
      finalize: (terms: string[]) => terms.map((t) => porterDutch(t)),
    });
    // Defaults otherwise: tokenize "strict" (whole words, like every other engine here), resolution 9.
    this.index = new Index({ encoder, tokenize: 'strict' });
  }

  build(corpus: BenchCorpus): void {
    const docs = corpus.docs;
    for (let i = 0; i < docs.length; i++) {
      this.index.add(i, docs[i]!.text);
      this.texts.push(docs[i]!.text);
      this.ids.push(docs[i]!.id);
    }
  }

  /**
   * FlexSearch intersects the words of a query (AND) unless `suggest` is set. It is timed as a results page
   * uses it, `limit: 10`, which lets it stop early; the total is counted separately (`count`), untimed.
   */
  search(query: string): number {
    const hits = this.index.search(query, { limit: PAGE }) as number[];
    for (const id of hits) sink.value += this.texts[id]!.length + this.ids[id]!.length;
    return hits.length;
  }

  count(query: string): number {
    return (this.index.search(query, { limit: Math.max(1, this.texts.length) }) as number[]).length;
  }
}

export function flexsearchEngine(): Engine {
  return new FlexSearchEngine();
}
