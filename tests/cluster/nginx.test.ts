import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNginx, workerPids, type Nginx, type Upstream } from '../../src/cluster/nginx.js';
import { requireNginx } from '../helpers/nginx.js';
import { isRunning } from '../helpers/processes.js';

const hasNginx = requireNginx('the nginx load balancer tests');

/** A replica stand-in: answers its name, with a status that can be changed; counts what it was asked. */
interface Replica {
  name: string;
  upstream: Upstream;
  status: number;
  /** While true, requests are taken but never answered (a hung process). */
  hang: boolean;
  requests: Array<{ method: string; body: string; forwardedFor: string | undefined }>;
  close(): Promise<void>;
}

async function startReplica(name: string): Promise<Replica> {
  const replica: Replica = { name, upstream: { host: '127.0.0.1', port: 0 }, status: 200, hang: false, requests: [], close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      replica.requests.push({ method: req.method!, body, forwardedFor: req.headers['x-forwarded-for'] as string | undefined });
      if (replica.hang) return;
      res.writeHead(replica.status, { 'content-type': 'text/plain' }).end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  replica.upstream = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  replica.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return replica;
}

async function ask(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (error) {
    // After a reload, nginx's old workers close their idle keep-alive connections; a request sent on one as
    // it closes fails with "other side closed". HTTP clients retry an idempotent request once on a fresh
    // connection in that case (RFC 9112, 9.3.1), and so does this one — a write is never retried.
    const method = (init.method ?? 'GET').toUpperCase();
    const closed = (error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET';
    if (!closed || (method !== 'GET' && method !== 'HEAD')) throw error;
    res = await fetch(url, init);
  }
  return { status: res.status, text: await res.text() };
}

describe.skipIf(!hasNginx)('nginx in front of two replicas', () => {
  let a: Replica;
  let b: Replica;
  let dir: string;
  let nginx: Nginx;
  beforeAll(async () => {
    [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });
  // A fresh nginx for each test: its passive health checks remember failures for 2 s.
  beforeEach(async () => {
    for (const r of [a, b]) {
      r.status = 200;
      r.hang = false;
      r.requests = [];
    }
    dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-nginx-test-'));
    nginx = await startNginx({ dir, upstreams: [a.upstream, b.upstream] });
  });
  afterEach(async () => {
    await nginx?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-robins across both, passing the client on in X-Forwarded-For, with every file in its folder', async () => {
    expect(nginx.url).toBe(`http://127.0.0.1:${nginx.port}`);
    const names: string[] = [];
    for (let i = 0; i < 10; i++) names.push((await ask(`${nginx.url}/zoek?q=storm`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).text);
    expect(names.filter((n) => n === 'a')).toHaveLength(5);
    expect(names.filter((n) => n === 'b')).toHaveLength(5);
    expect(a.requests[0]!.forwardedFor).toBe('10.1.2.3, 127.0.0.1');
    for (const name of ['nginx.conf', 'nginx.pid', 'error.log', 'access.log', 'proxy_temp', 'client_body_temp']) {
      expect(statSync(join(dir, name))).toBeTruthy();
    }
    // The access log is buffered and flushed within a second.
    await expect
      .poll(() => readFileSync(join(dir, 'access.log'), 'utf8').split('\n').filter((l) => l.includes('/zoek?q=storm')).length, { timeout: 3_000 })
      .toBe(10);
  });

  it('sends nothing to a replica marked down, and answers with a replica when all are down', async () => {
    await nginx.setUpstreams([{ ...a.upstream, down: true }, b.upstream]);
    for (let i = 0; i < 6; i++) expect((await ask(`${nginx.url}/`)).text).toBe('b');
    expect(a.requests).toHaveLength(0);

    // All down: listed as up anyway, so the client gets a replica's own 503 rather than nginx's 502.
    a.status = 503;
    b.status = 503;
    await nginx.setUpstreams([{ ...a.upstream, down: true }, { ...b.upstream, down: true }]);
    for (let i = 0; i < 4; i++) {
      const { status, text } = await ask(`${nginx.url}/`);
      expect(status).toBe(503);
      expect(['a', 'b']).toContain(text);
    }

    await nginx.setUpstreams([a.upstream, { ...b.upstream, down: true }]);
    a.status = 200;
    for (let i = 0; i < 4; i++) expect((await ask(`${nginx.url}/`)).text).toBe('a');
  });

  it('retries GET on another replica after a 503, but never a write', async () => {
    a.status = 503;
    // Writes first: a 503 answer to a write does not count as a failure, so both keep getting writes.
    const writes: Array<{ status: number; text: string }> = [];
    for (const method of ['POST', 'PUT', 'DELETE', 'POST', 'PUT', 'DELETE']) {
      writes.push(await ask(`${nginx.url}/api/articles/x`, { method, body: method === 'DELETE' ? null : `{"m":"${method}"}` }));
    }
    expect(writes.filter((w) => w.status === 503).map((w) => w.text)).toEqual(['a', 'a', 'a']);
    expect(a.requests.length + b.requests.length).toBe(6); // each write reached exactly one replica
    expect(b.requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual(['{"m":"POST"}']);

    for (let i = 0; i < 4; i++) expect(await ask(`${nginx.url}/zoek`)).toEqual({ status: 200, text: 'b' });
  });

  it('gives up on a replica that takes a search and never answers after 5 s, and asks another', async () => {
    a.hang = true;
    const started = Date.now();
    const answers = await Promise.all([ask(`${nginx.url}/zoek?n=1`), ask(`${nginx.url}/zoek?n=2`)]);
    expect(answers).toEqual([{ status: 200, text: 'b' }, { status: 200, text: 'b' }]);
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(a.requests.length).toBeGreaterThanOrEqual(1);
  }, 20_000);

  it('answers 503 itself when there are no replicas, and refuses a config nginx cannot load', async () => {
    await nginx.setUpstreams([]);
    expect((await ask(`${nginx.url}/`)).status).toBe(503);
    await expect(nginx.setUpstreams([{ host: 'not a host', port: 1 }])).rejects.toThrow(/nginx refused the new config/);
    // The previous config stays in force.
    expect((await ask(`${nginx.url}/`)).status).toBe(503);
    await nginx.setUpstreams([b.upstream]);
    expect((await ask(`${nginx.url}/`)).text).toBe('b');
  });

  it('runs its workers as this process’s user (root here needs `user root`), and stop() leaves no process', async () => {
    const master = Number(readFileSync(join(dir, 'nginx.pid'), 'utf8'));
    const workers = workerPids(master);
    expect(workers).toHaveLength(1);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${workers[0]}/status`, 'utf8'))![1]);
    expect(uid).toBe(process.getuid!());
    await nginx.stop();
    expect([master, ...workers].filter(isRunning)).toEqual([]);
    await nginx.stop(); // twice is harmless
  });
});
