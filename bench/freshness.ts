/**
 * `npm run bench:freshness`: time from an article file's rename into ARTICLES_DIR (and from an admin-API
 * POST) to its first search hit, on the real server, over a corpus of CORPUS_COPIES copies of the real
 * Dutch articles (../shared/ud-dutch) or of the bundled article. Prints p50/p99 over SAMPLES files.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHARED_DIR } from './words.js';
import { percentile, startServer, waitReady } from './server.js';

const SAMPLES = Number(process.env.SAMPLES ?? 50);
const COPIES = Number(process.env.CORPUS_COPIES ?? 20);
const TOKEN = 'bench-token-0123456789';

/** A folder of COPIES copies of the source articles (distinct ids). */
export function copiedCorpus(copies: number): { dir: string; articles: number; source: string } {
  const ud = join(SHARED_DIR, 'ud-dutch', 'articles');
  let sourceDir = ud;
  let source = '../shared/ud-dutch';
  try {
    readdirSync(ud);
  } catch {
    sourceDir = join(REPO_ROOT, 'data', 'articles');
    source = 'the bundled article';
  }
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.txt'));
  const dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-corpus-'));
  for (let c = 0; c < copies; c++) for (const f of files) cpSync(join(sourceDir, f), join(dir, `c${c}-${f}`));
  return { dir, articles: copies * files.length, source };
}

async function hits(port: number, q: string): Promise<number> {
  const body = (await (await fetch(`http://127.0.0.1:${port}/api/search?q=${q}&limit=1`)).json()) as { total: number };
  return body.total;
}

async function main(): Promise<void> {
  const corpus = copiedCorpus(COPIES);
  const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-index-'));
  const staging = mkdtempSync(join(corpus.dir, '..', 'nieuwszoeker-bench-staging-'));
  const server = await startServer({ ARTICLES_DIR: corpus.dir, INDEX_DIR: indexDir, ADMIN_TOKEN: TOKEN });
  try {
    await waitReady(server.port);
    const indexed = await server.waitFor(/^indexed/);
    const fileLatencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const token = `versheidstoets${i}x`;
      const staged = join(staging, `vers-${i}.txt`);
      writeFileSync(staged, `title: Vers ${i}\n\nEen nieuw artikel over ${token} en de NAVO.\n`);
      const started = performance.now();
      renameSync(staged, join(corpus.dir, `vers-${i}.txt`)); // the write is complete when it appears
      while ((await hits(server.port, token)) === 0) await new Promise((r) => setTimeout(r, 2));
      fileLatencies.push(performance.now() - started);
    }
    const apiLatencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const token = `apitoets${i}x`;
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/api/articles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ title: `API ${i}`, text: `Via de API over ${token}.` }),
      });
      if (res.status !== 201) throw new Error(`POST answered ${res.status}`);
      while ((await hits(server.port, token)) === 0) await new Promise((r) => setTimeout(r, 2));
      apiLatencies.push(performance.now() - started);
    }
    const fmt = (v: number) => `${v.toFixed(0)} ms`;
    console.log(`freshness over ${indexed.articles} articles, ${indexed.paragraphs} paragraphs (${COPIES} copies of ${corpus.source}), ${SAMPLES} samples each`);
    console.log(`| path | p50 | p99 | max |`);
    console.log(`|---|---|---|---|`);
    console.log(`| file renamed into ARTICLES_DIR → first hit | ${fmt(percentile(fileLatencies, 50))} | ${fmt(percentile(fileLatencies, 99))} | ${fmt(Math.max(...fileLatencies))} |`);
    console.log(`| POST /api/articles → first hit | ${fmt(percentile(apiLatencies, 50))} | ${fmt(percentile(apiLatencies, 99))} | ${fmt(Math.max(...apiLatencies))} |`);
  } finally {
    await server.stop();
    for (const d of [corpus.dir, indexDir, staging]) rmSync(d, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
