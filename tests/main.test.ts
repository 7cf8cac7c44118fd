import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startChildServer } from './helpers/child-server.js';
import { REPO_ROOT } from './helpers/shared.js';

const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-main-'));
afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

/** Starts src/main.ts as `npm start` does, with a temporary INDEX_DIR. */
const start = (env: Record<string, string>) => startChildServer({ INDEX_DIR: indexDir, ...env });

let running: ChildProcess | undefined;
afterEach(() => {
  running?.kill('SIGKILL');
  running = undefined;
});

describe('main', () => {
  it('indexes ARTICLES_DIR, logs the counts and time, then serves the page and the API', async () => {
    const server = start({});
    running = server.child;
    const indexed = await server.waitFor(/^indexed \d+ articles/);
    expect(indexed).toMatchObject({ articles: 1, paragraphs: 19, skipped: 0, snapshot: 'missing' });
    expect(indexed.msg).toMatch(/^indexed 1 articles, 19 paragraphs in \d+ ms \(snapshot missing; 1 read from files, 0 removed, 0 unchanged\)$/);
    const listening = await server.waitFor(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const base = `http://127.0.0.1:${listening.port}`;
    const api = (await (await fetch(`${base}/api/search?q=NAVO`)).json()) as { total: number };
    expect(api.total).toBe(2);
    const page = await fetch(`${base}/?q=Witkoff`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<mark>Witkoff</mark>');

    server.child.kill('SIGTERM');
    const code = await new Promise((resolve) => server.child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('exits with a clear message when ARTICLES_DIR does not exist', async () => {
    const server = start({ ARTICLES_DIR: join(REPO_ROOT, 'bestaat-niet') });
    running = server.child;
    // 'close' comes after stdout has ended, so every log line has been read.
    const code = await new Promise((resolve) => server.child.once('close', resolve));
    expect(code).toBe(1);
    expect(server.lines.some((l) => /cannot index ARTICLES_DIR .*bestaat-niet: ENOENT/.test(String(l.msg)))).toBe(true);
  });
});
