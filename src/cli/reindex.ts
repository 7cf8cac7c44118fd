/**
 * `npm run reindex`: rebuilds the snapshot offline from every article in the store (ARTICLES_DIR, or
 * PostgreSQL with ARTICLE_STORE=postgres), ignoring any snapshot there is, for after an upgrade or to start
 * a large server fast. The snapshot is stamped with the store's log position, so a server started from it
 * catches up from there. A running server picks the new snapshot up at its next start.
 */
import { mkdir } from 'node:fs/promises';
import { createAnalyzer } from '../analysis/analyzer.js';
import { createArticleStore } from '../articles/store-factory.js';
import { readConfig } from '../config.js';
import { applyChanges } from '../index/indexer.js';
import { SearchIndex } from '../index/search-index.js';
import { writeSnapshot } from '../index/snapshot.js';
import { createLogger } from '../logger.js';

const config = readConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel); // skipped files still show
const started = performance.now();
const index = new SearchIndex(createAnalyzer({ stemmer: config.stemmer }));
const store = createArticleStore(config.store, logger);
await store.open();
const tty = process.stdout.isTTY === true;
const summary = await store.changesSince(null, new Map(), async (changes) => void (await applyChanges(index, changes)), {
  onProgress: (done, total) => {
    if (tty) process.stdout.write(`\rindexing ${done}/${total} articles`);
  },
});
index.advanceTo(summary.position);
await store.close();
if (tty) process.stdout.write('\n');
await mkdir(config.indexDir, { recursive: true });
const stats = await writeSnapshot(index, config.indexDir, { sliceMs: 1_000, store: store.identity });
const ms = Math.round(performance.now() - started);
console.log(
  `reindexed ${index.articleCount} articles, ${index.paragraphCount} paragraphs from ${config.store.kind === 'folder' ? config.store.articlesDir : 'PostgreSQL'} ` +
    `(${summary.skipped} skipped) into ${stats.path} (${stats.bytes} bytes) in ${ms} ms`,
);
