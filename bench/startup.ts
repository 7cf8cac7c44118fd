/**
 * Start-up of the real server from a full rebuild (no snapshot) against loading the snapshot, in alternating
 * runs on one corpus, and the longest event-loop stall while snapshots are written. `npm run bench:startup`
 * runs it on CORPUS_COPIES copies of the real Dutch articles.
 */
import { mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copiedCorpus } from './freshness.js';
import { isMain, logTime, startServer, waitReady, workingCorpus, type RunningServer } from './server.js';
import { median } from './words.js';

/** Quiet time before the server rewrites its snapshot: short, so a triggered write follows at once. */
const SNAPSHOT_DELAY_MS = '100';

/** One snapshot write as the server logged it. */
export interface SnapshotWrite {
  /** Which server wrote it and why: after the rebuild, or after an article was added. */
  when: 'after rebuild' | 'rebuild server, article added' | 'snapshot server, article added';
  ms: number;
  bytes: number;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
}

/** Where a start spent its time, from spawn (ms), read from the server's log. */
export interface StartPhases {
  /** spawn → "listening": node, tsx and the modules loaded. */
  listeningMs: number;
  /** "listening" → "loaded snapshot" (absent on a rebuild): the snapshot read and MiniSearch built. */
  snapshotLoadMs?: number;
  /** → "indexed": watching started and the folder scanned against the index (a rebuild reads every file here). */
  indexedMs: number;
  /** spawn → /readyz answered 200, as a client sees it. */
  readyMs: number;
}

export interface StartupRun {
  rebuildMs: number;
  snapshotMs: number;
  snapshotBytes: number;
  articles: number;
  paragraphs: number;
  /** The longest event-loop delay over this run's snapshot writes. */
  writeStallMaxMs: number;
  writes: SnapshotWrite[];
  rebuildPhases: StartPhases;
  snapshotPhases: StartPhases;
}

/** Starts the server and waits for /readyz 200; returns the wall time from spawn and where it went. */
async function timedStart(articlesDir: string, indexDir: string) {
  const spawnedAt = Date.now();
  const started = performance.now();
  const server = await startServer({ ARTICLES_DIR: articlesDir, INDEX_DIR: indexDir, SNAPSHOT_DELAY_MS });
  await waitReady(server.port);
  const readyMs = performance.now() - started;
  const indexed = await server.waitFor(/^indexed/);
  const at = (pattern: RegExp) => {
    const line = server.lines.find((l) => pattern.test(String(l.msg)));
    return line ? logTime(line) - spawnedAt : undefined;
  };
  const loaded = at(/^loaded snapshot/);
  const phases: StartPhases = {
    listeningMs: at(/^listening on/)!,
    ...(loaded === undefined ? {} : { snapshotLoadMs: loaded }),
    indexedMs: logTime(indexed) - spawnedAt,
    readyMs: Math.round(readyMs),
  };
  return { server, readyMs, indexed, phases };
}

/** The next "wrote snapshot" line after log line `after`, as a `SnapshotWrite`. */
async function nextWrite(server: RunningServer, after: number, when: SnapshotWrite['when']): Promise<SnapshotWrite> {
  const line = await server.waitFor(/^wrote snapshot/, after);
  const write = {
    when,
    ms: Number(line.ms),
    bytes: Number(line.bytes),
    eventLoopMaxMs: Number(line.eventLoopMaxMs),
    eventLoopP99Ms: Number(line.eventLoopP99Ms),
  };
  if (!Number.isFinite(write.eventLoopMaxMs)) throw new Error(`startup: the snapshot log line has no eventLoopMaxMs: ${JSON.stringify(line)}`);
  return write;
}

/** Adds an article through the folder (staged, then renamed in) and waits for the snapshot that follows. */
async function writeAfterChange(server: RunningServer, articlesDir: string, stagingDir: string, name: string, when: SnapshotWrite['when']) {
  const after = server.lines.length;
  const staged = join(stagingDir, name);
  writeFileSync(staged, `title: Opstarttoets\n\nEen artikel dat een nieuwe snapshot veroorzaakt (${name}).\n`);
  renameSync(staged, join(articlesDir, name));
  return nextWrite(server, after, when);
}

/**
 * One alternating run on a working copy: a start without snapshot (and its first snapshot write, then one
 * more after adding an article), then a start from that snapshot (and a write after adding an article).
 * The added articles are removed at the end, so every run sees the same corpus.
 */
export async function startupRun(work: { articlesDir: string; stagingDir: string }, log: (message: string) => void): Promise<StartupRun> {
  const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-startup-'));
  const added = ['opstarttoets-1.txt', 'opstarttoets-2.txt'];
  const writes: SnapshotWrite[] = [];
  try {
    const cold = await timedStart(work.articlesDir, indexDir);
    try {
      if (cold.indexed.snapshot !== 'missing') throw new Error(`startup: expected a start without snapshot, got ${cold.indexed.snapshot}`);
      log(`rebuild: ready in ${(cold.readyMs / 1000).toFixed(2)} s (${cold.indexed.paragraphs} paragraphs); waiting for its snapshot`);
      writes.push(await nextWrite(cold.server, 0, 'after rebuild'));
      writes.push(await writeAfterChange(cold.server, work.articlesDir, work.stagingDir, added[0]!, 'rebuild server, article added'));
    } finally {
      await cold.server.stop();
    }
    const snapshotBytes = statSync(join(indexDir, 'snapshot.ndjson')).size;

    const warm = await timedStart(work.articlesDir, indexDir);
    try {
      if (warm.indexed.snapshot !== 'loaded') throw new Error(`startup: expected the snapshot to load, got ${warm.indexed.snapshot}`);
      if (Number(warm.indexed.upserts) !== 0) throw new Error(`startup: the snapshot start re-read ${warm.indexed.upserts} articles`);
      log(`from snapshot: ready in ${(warm.readyMs / 1000).toFixed(2)} s`);
      writes.push(await writeAfterChange(warm.server, work.articlesDir, work.stagingDir, added[1]!, 'snapshot server, article added'));
    } finally {
      await warm.server.stop();
    }
    log(`snapshot writes: ${writes.map((w) => `${(w.ms / 1000).toFixed(1)} s, loop delay max ${w.eventLoopMaxMs} ms`).join('; ')}`);
    return {
      rebuildMs: Math.round(cold.readyMs),
      snapshotMs: Math.round(warm.readyMs),
      snapshotBytes,
      articles: Number(cold.indexed.articles),
      paragraphs: Number(cold.indexed.paragraphs),
      writeStallMaxMs: Math.max(...writes.map((w) => w.eventLoopMaxMs)),
      writes,
      rebuildPhases: cold.phases,
      snapshotPhases: warm.phases,
    };
  } finally {
    for (const name of added) rmSync(join(work.articlesDir, name), { force: true });
    rmSync(indexDir, { recursive: true, force: true });
  }
}

/** `runs` alternating runs on a working copy of `corpusDir`. */
export async function startupBenchmark(corpusDir: string, runs: number, log: (message: string) => void): Promise<StartupRun[]> {
  const work = workingCorpus(corpusDir);
  try {
    const results: StartupRun[] = [];
    for (let run = 0; run < runs; run++) {
      log(`run ${run + 1}/${runs}`);
      results.push(await startupRun(work, log));
    }
    return results;
  } finally {
    work.remove();
  }
}

async function main(): Promise<void> {
  const copies = Number(process.env.CORPUS_COPIES ?? 100);
  const runs = Number(process.env.RUNS ?? 3);
  const corpus = copiedCorpus(copies);
  let results: StartupRun[];
  try {
    results = await startupBenchmark(corpus.dir, runs, (message) => console.error(`[startup] ${message}`));
  } finally {
    rmSync(corpus.dir, { recursive: true, force: true });
  }
  const rebuild = results.map((r) => r.rebuildMs);
  const fromSnapshot = results.map((r) => r.snapshotMs);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const r = median(rebuild);
  const f = median(fromSnapshot);
  console.log(`start-up to ready, ${results[0]!.articles} articles, ${results[0]!.paragraphs} paragraphs (${copies} copies of ${corpus.source}), medians of ${runs} alternating runs`);
  console.log(`| start | median | runs |`);
  console.log(`|---|---|---|`);
  console.log(`| full rebuild (no snapshot) | ${s(r)} | ${rebuild.map(s).join(', ')} |`);
  console.log(`| from snapshot | ${s(f)} | ${fromSnapshot.map(s).join(', ')} |`);
  console.log(`snapshot ${(results[0]!.snapshotBytes / 1e6).toFixed(1)} MB; from snapshot / rebuild = ${(f / r).toFixed(2)}`);
  console.log(`longest event-loop delay while writing a snapshot: median ${median(results.map((x) => x.writeStallMaxMs))} ms, ` +
    `max ${Math.max(...results.map((x) => x.writeStallMaxMs))} ms (${results.reduce((n, x) => n + x.writes.length, 0)} writes)`);
}

if (isMain(import.meta.url)) await main();
