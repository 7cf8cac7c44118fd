/**
 * lunr 2.3.9 with lunr-languages' Dutch pipeline (trimmer, Snowball stop list, Porter stemmer), the way
 * lunr-languages documents it; lunr stores no documents, so the texts are kept in a Map by id.
 */
import { createRequire } from 'node:module';
import { sink, type BenchCorpus, type Engine, type SyncEngine } from './engine.js';

const require = createRequire(import.meta.url);
// lunr ships no types; these are the few calls used here.
interface LunrResult {
  ref: string;
}
interface LunrIndex {
  search(query: string): LunrResult[];
}
interface LunrBuilder {
  use(plugin: unknown): void;
  ref(field: string): void;
  field(field: string): void;
  add(doc: { id: string; text: string }): void;
}
const lunr = require('lunr') as ((config: (this: LunrBuilder) => void) => LunrIndex) & { nl: unknown };
require('lunr-languages/lunr.stemmer.support.js')(lunr);
require('lunr-languages/lunr.nl.js')(lunr);

/** Characters with a meaning in lunr's query syntax. */
const SPECIAL = /[:^~*+\-\\]/g;

export class LunrEngine implements SyncEngine {
  readonly name = 'lunr';
  private index: LunrIndex | null = null;
  private readonly texts = new Map<string, string>();

  build(corpus: BenchCorpus): void {
    const docs = corpus.docs;
    this.index = lunr(function () {
      this.use(lunr.nl);
      this.ref('id');
      this.field('text');
      for (const doc of docs) this.add({ id: doc.id, text: doc.text });
    });
    for (const doc of docs) this.texts.set(doc.id, doc.text);
  }

  search(query: string): number {
    // `+word` makes every word required: lunr's AND.
    const q = query
      .split(/\s+/)
      .filter((w) => w.length > 0)
      .map((w) => `+${w.replace(SPECIAL, '\\$&')}`)
      .join(' ');
    const results = this.index!.search(q);
    for (let i = 0; i < results.length && i < 10; i++) sink.value += this.texts.get(results[i]!.ref)!.length;
    return results.length;
  }
}

export function lunrEngine(): Engine {
  return new LunrEngine();
}
