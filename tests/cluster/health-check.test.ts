import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadinessWatcher } from '../../src/cluster/health-check.js';
import type { Upstream } from '../../src/cluster/nginx.js';
import { freePort } from '../../src/cluster/ports.js';

/** A replica stand-in whose /readyz answers 200 or 503 as told; `hang` makes it never answer. */
async function startReplica(): Promise<{ upstream: Upstream; ready: boolean; hang: boolean; close(): Promise<void> }> {
  const state = { ready: false, hang: false };
  const server: Server = createServer((req, res) => {
    if (state.hang) return;
    res.writeHead(req.url === '/readyz' && state.ready ? 200 : 503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    upstream: { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

describe('ReadinessWatcher', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('reports the first round, then each change of the ready set, with down flags', async () => {
    const one = await startReplica();
    const two = await startReplica();
    const gone = { host: '127.0.0.1', port: await freePort() }; // nothing listens there
    cleanups.push(one.close, two.close);
    const reports: Upstream[][] = [];
    const watcher = new ReadinessWatcher([one.upstream, two.upstream, gone], { intervalMs: 20, onChange: (u) => void reports.push(u) });
    cleanups.push(() => watcher.stop());
    const downs = () => reports.map((r) => r.map((u) => u.down));

    watcher.start();
    await expect.poll(downs).toEqual([[true, true, true]]);
    one.ready = true;
    await expect.poll(downs).toEqual([[true, true, true], [false, true, true]]);
    two.ready = true;
    one.ready = false;
    await expect.poll(downs).toEqual([[true, true, true], [false, true, true], [true, false, true]]);
    expect(reports.at(-1)).toEqual([
      { host: '127.0.0.1', port: one.upstream.port, down: true },
      { host: '127.0.0.1', port: two.upstream.port, down: false },
      { ...gone, down: true },
    ]);

    // No change, no report.
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toHaveLength(3);
    await watcher.stop();
    one.ready = true;
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toHaveLength(3);
  });

  it('counts a replica that does not answer within the timeout as not ready', async () => {
    const replica = await startReplica();
    cleanups.push(replica.close);
    replica.ready = true;
    replica.hang = true;
    const watcher = new ReadinessWatcher([replica.upstream], { timeoutMs: 100, onChange: () => undefined });
    const started = Date.now();
    expect(await watcher.check()).toEqual([{ ...replica.upstream, down: true }]);
    expect(Date.now() - started).toBeLessThan(1000);
    replica.hang = false;
    expect(await watcher.check()).toEqual([{ ...replica.upstream, down: false }]);
  });

  it('reports a change again when onChange failed', async () => {
    const replica = await startReplica();
    cleanups.push(replica.close);
    replica.ready = true;
    let calls = 0;
    const errors: unknown[] = [];
    const watcher = new ReadinessWatcher([replica.upstream], {
      intervalMs: 20,
      onChange: () => {
        calls += 1;
        if (calls === 1) throw new Error('reload failed');
      },
      onError: (e) => errors.push(e),
    });
    cleanups.push(() => watcher.stop());
    watcher.start();
    await expect.poll(() => calls).toBe(2);
    expect(errors).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(2);
  });
});
