import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../src/index/snapshot.js';
import { startChildServer } from './helpers/child-server.js';
import { SEED_ID } from './helpers/corpus.js';
import { REPO_ROOT } from './helpers/shared.js';

const COPIES = 600; // 11,400 paragraphs: a snapshot write long enough to be caught in the middle
const QUERIES = ['NAVO', 'Witkoff', 'gesprekken', 'oekraine', 'kopie7', 'kopie599', 'verzoening'];

/** The real server over these folders; a snapshot is written 1.5 s after a change. */
function server(articlesDir: string, indexDir: string) {
  return startChildServer({ ARTICLES_DIR: articlesDir, INDEX_DIR: indexDir, SNAPSHOT_DELAY_MS: '1500' });
}

async function searchAll(port: unknown) {
  const results: Record<string, unknown> = {};
  for (const q of QUERIES) {
    const body = (await (await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(q)}&limit=100`)).json()) as {
      total: number;
      hits: Array<{ id: string; score: number; highlight: string }>;
    };
    results[q] = { total: body.total, hits: body.hits.map((h) => [h.id, h.score.toFixed(9), h.highlight]) };
  }
  return results;
}

describe('crash safety', () => {
  const articlesDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-crash-articles-'));
  const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-crash-index-'));
  const seed = readFileSync(join(REPO_ROOT, 'data', 'articles', `${SEED_ID}.txt`), 'utf8');
  for (let i = 0; i < COPIES; i++) writeFileSync(join(articlesDir, `kopie-${i}.txt`), `title: Kopie ${i}\n\nkopie${i}\n\n${seed.replace(/^ date 2025-05 /, '')}`);
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(articlesDir, { recursive: true, force: true });
    rmSync(indexDir, { recursive: true, force: true });
  });

  it('keeps the same search results after a SIGKILL in the middle of a snapshot write', { timeout: 180_000 }, async () => {
    // 1. First run: index, write the first snapshot.
    const first = server(articlesDir, indexDir);
    children.push(first.child);
    const listening = await first.waitFor(/^listening on/);
    await first.waitFor(/^wrote snapshot/);
    const snapshotBefore = statSync(join(indexDir, SNAPSHOT_FILE));

    // 2. A live change: the server indexes it, and schedules a new snapshot 1.5 s later.
    writeFileSync(join(articlesDir, 'kopie-7.txt'), `title: Kopie 7\n\nkopie7 gaat nu over verzoening tussen Rusland en Oekraïne.\n`);
    for (let tries = 0; ((await searchAll(listening.port)).verzoening as { total: number }).total === 0; tries++) {
      if (tries > 500) throw new Error('the change never became searchable');
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = await searchAll(listening.port);

    // 3. Kill it the moment the snapshot's temporary file appears.
    const killed = new Promise<string>((resolve) => {
      const watcher = watch(indexDir, (_event, name) => {
        if (name && name.startsWith('.snapshot.') && name.endsWith('.tmp')) {
          first.child.kill('SIGKILL');
          watcher.close();
          resolve(name);
        }
      });
    });
    const tmpName = await killed;
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(first.child.signalCode).toBe('SIGKILL');
    // It died mid-write: the temporary file is left, the old snapshot untouched.
    expect(readdirSync(indexDir)).toContain(tmpName);
    const snapshotAfter = statSync(join(indexDir, SNAPSHOT_FILE));
    expect([snapshotAfter.size, snapshotAfter.mtimeMs]).toEqual([snapshotBefore.size, snapshotBefore.mtimeMs]);

    // 4. Restart: the old snapshot plus the reconciled change give the same results as before the crash.
    const second = server(articlesDir, indexDir);
    children.push(second.child);
    const indexed = await second.waitFor(/^indexed \d+ articles/);
    expect(indexed).toMatchObject({ snapshot: 'loaded', upserts: 1, removals: 0, unchanged: COPIES - 1 });
    const relistening = await second.waitFor(/^listening on/);
    expect(await searchAll(relistening.port)).toEqual(before);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });
});
