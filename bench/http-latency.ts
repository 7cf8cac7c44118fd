/**
 * `npm run bench:http`: what a request costs over HTTP on this machine, as latency (not only req/s). One
 * sequential keep-alive client, then 10 connections (autocannon), against: a bare node:http server answering
 * a fixed JSON body (the floor of this machine, its kernel and its client), the real server's /healthz (Express,
 * helmet, our process and heap), and its /api/search cycling through realistic queries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_QUERIES } from './freshness.js';
import { isMain, percentile, startServer, waitReady } from './server.js';
import { load, searchPaths } from './system.js';

const SEQUENTIAL_REQUESTS = 3_000;
const WARMUP_REQUESTS = 300;
const round = (ms: number) => Math.round(ms * 100) / 100;

export interface LatencyRun {
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** `count` GETs one after another on one keep-alive connection, cycling through `paths`, after a warm-up. */
export async function sequentialLatency(port: number, paths: readonly string[], count = SEQUENTIAL_REQUESTS): Promise<LatencyRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let next = 0;
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      http
        .get({ host: '127.0.0.1', port, path: paths[next++ % paths.length], agent }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`GET answered ${res.statusCode}`));
          res.resume();
          res.on('end', () => resolve(performance.now() - started));
        })
        .on('error', reject);
    });
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await get();
    const ms: number[] = [];
    for (let i = 0; i < count; i++) ms.push(await get());
    return { requests: count, p50Ms: round(percentile(ms, 50)), p90Ms: round(percentile(ms, 90)), p99Ms: round(percentile(ms, 99)), maxMs: round(Math.max(...ms)) };
  } finally {
    agent.destroy();
  }
}

/** A node:http server in a child process that answers every request with /healthz's shape. */
async function startBareServer(): Promise<{ port: number; child: ChildProcess }> {
  const source = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"status":"ok","articles":1,"paragraphs":19}');
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
  });
  return { port, child };
}

export interface HttpLatencyResult {
  sequential: { bare: LatencyRun; healthz: LatencyRun; search: LatencyRun };
  tenConnections: { bare: { reqPerSec: number; p50Ms: number; p99Ms: number }; healthz: { reqPerSec: number; p50Ms: number; p99Ms: number }; search: { reqPerSec: number; p50Ms: number; p99Ms: number } };
}

export async function runHttpLatency(articlesDir?: string): Promise<HttpLatencyResult> {
  const bare = await startBareServer();
  // A fresh index folder: the server's default (data/.index) is the developer's own, and a corpus's snapshot
  // does not belong there.
  const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-http-'));
  const server = await startServer({ INDEX_DIR: indexDir, ...(articlesDir === undefined ? {} : { ARTICLES_DIR: articlesDir }) });
  try {
    await waitReady(server.port);
    // Measure the quiet server: the snapshot written after the build and the engine's warm-up are past.
    await server.waitFor(/^wrote snapshot/);
    await server.waitFor(/^query engine warmed/);
    const search = searchPaths(DEFAULT_QUERIES);
    const sequential = {
      bare: await sequentialLatency(bare.port, ['/']),
      healthz: await sequentialLatency(server.port, ['/healthz']),
      search: await sequentialLatency(server.port, search),
    };
    const pick = (r: Awaited<ReturnType<typeof load>>) => ({ reqPerSec: Math.round(r.reqPerSec), p50Ms: r.p50Ms, p99Ms: r.p99Ms });
    const tenConnections = {
      bare: pick(await load(bare.port, ['/'], 'bare node:http')),
      healthz: pick(await load(server.port, ['/healthz'], '/healthz')),
      search: pick(await load(server.port, search, '/api/search')),
    };
    return { sequential, tenConnections };
  } finally {
    await server.stop();
    bare.child.kill();
    rmSync(indexDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const dirFlag = process.argv.indexOf('--articles');
  const articlesDir = dirFlag >= 0 ? process.argv[dirFlag + 1] : undefined;
  const { sequential: s, tenConnections: t } = await runHttpLatency(articlesDir);
  const row = (name: string, r: LatencyRun) => `${name.padEnd(24)} p50 ${r.p50Ms} ms, p90 ${r.p90Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms`;
  const rate = (name: string, r: { reqPerSec: number; p50Ms: number; p99Ms: number }) => `${name.padEnd(24)} ${r.reqPerSec} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`;
  process.stdout.write(
    [
      `one sequential client, ${SEQUENTIAL_REQUESTS} requests each (after ${WARMUP_REQUESTS} to warm up):`,
      row('  bare node:http', s.bare),
      row('  /healthz', s.healthz),
      row('  /api/search', s.search),
      '10 connections, 10 s (after 2 s to warm up):',
      rate('  bare node:http', t.bare),
      rate('  /healthz', t.healthz),
      rate('  /api/search', t.search),
      '',
    ].join('\n'),
  );
}
