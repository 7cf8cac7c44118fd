/**
 * `npm run bench:startup`: start-up time of the real server from a full rebuild (no snapshot) against
 * loading the snapshot, on the same corpus, in alternating runs; prints medians and the ratio.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copiedCorpus } from './freshness.js';
import { startServer, waitReady } from './server.js';
import { median } from './words.js';

const COPIES = Number(process.env.CORPUS_COPIES ?? 100);
const RUNS = Number(process.env.RUNS ?? 3);

/** Starts the server, waits for ready; returns ms from spawn to ready and what the start-up log said. */
async function timedStart(articlesDir: string, indexDir: string) {
  const started = performance.now();
  const server = await startServer({ ARTICLES_DIR: articlesDir, INDEX_DIR: indexDir, SNAPSHOT_DELAY_MS: '0' });
  await waitReady(server.port);
  const wall = performance.now() - started;
  const indexed = await server.waitFor(/^indexed/);
  return { server, wall, indexed };
}

async function main(): Promise<void> {
  const corpus = copiedCorpus(COPIES);
  const rebuild: number[] = [];
  const fromSnapshot: number[] = [];
  let paragraphs = 0;
  let snapshotBytes = 0;
  try {
    for (let run = 0; run < RUNS; run++) {
      const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-startup-'));
      const cold = await timedStart(corpus.dir, indexDir);
      if (cold.indexed.snapshot !== 'missing') throw new Error('expected a start without snapshot');
      paragraphs = Number(cold.indexed.paragraphs);
      rebuild.push(cold.wall);
      await cold.server.waitFor(/^wrote snapshot/);
      await cold.server.stop();
      snapshotBytes = statSync(join(indexDir, 'snapshot.ndjson')).size;

      const warm = await timedStart(corpus.dir, indexDir);
      if (warm.indexed.snapshot !== 'loaded') throw new Error(`expected the snapshot to load, got ${warm.indexed.snapshot}`);
      fromSnapshot.push(warm.wall);
      await warm.server.stop();
      rmSync(indexDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(corpus.dir, { recursive: true, force: true });
  }
  const r = median(rebuild);
  const s = median(fromSnapshot);
  console.log(`start-up to ready, ${corpus.articles} articles, ${paragraphs} paragraphs (${COPIES} copies of ${corpus.source}), medians of ${RUNS} alternating runs`);
  console.log(`| start | median | runs |`);
  console.log(`|---|---|---|`);
  console.log(`| full rebuild (no snapshot) | ${(r / 1000).toFixed(2)} s | ${rebuild.map((v) => (v / 1000).toFixed(2)).join(', ')} |`);
  console.log(`| from snapshot | ${(s / 1000).toFixed(2)} s | ${fromSnapshot.map((v) => (v / 1000).toFixed(2)).join(', ')} |`);
  console.log(`snapshot ${(snapshotBytes / 1e6).toFixed(1)} MB; from snapshot / rebuild = ${(s / r).toFixed(2)}`);
}

await main();
