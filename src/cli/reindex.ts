/**
 * `npm run reindex`: rebuilds the snapshot offline from every article in ARTICLES_DIR (ignoring any
 * snapshot there is), for after an upgrade or to start a large server fast. A running server picks the new
 * snapshot up at its next start.
 */
import { mkdir } from 'node:fs/promises';
import { createAnalyzer } from '../analysis/analyzer.js';
import { FolderArticleStore } from '../articles/folder-store.js';
import { readConfig } from '../config.js';
import { applyChanges } from '../index/indexer.js';
import { SearchIndex } from '../index/search-index.js';
import { writeSnapshot } from '../index/snapshot.js';
import { createLogger } from '../logger.js';

const config = readConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel); // skipped files still show
const started = performance.now();
const index = new SearchIndex(createAnalyzer({ stemmer: config.stemmer }));
const store = new FolderArticleStore(config.articlesDir, logger);
const tty = process.stdout.isTTY === true;
const summary = await store.scan(new Map(), async (changes) => void (await applyChanges(index, changes)), {
  onProgress: (done, total) => {
    if (tty) process.stdout.write(`\rindexing ${done}/${total} files`);
  },
});
if (tty) process.stdout.write('\n');
await mkdir(config.indexDir, { recursive: true });
const stats = await writeSnapshot(index, config.indexDir, { sliceMs: 1_000 });
const ms = Math.round(performance.now() - started);
console.log(
  `reindexed ${index.articleCount} articles, ${index.paragraphCount} paragraphs from ${config.articlesDir} ` +
    `(${summary.skipped} skipped) into ${stats.path} (${stats.bytes} bytes) in ${ms} ms`,
);
