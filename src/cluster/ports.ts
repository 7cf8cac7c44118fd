/** Free TCP ports on 127.0.0.1 for the cluster's processes (PostgreSQL, nginx, replicas) and their tests. */
import { createServer } from 'node:net';

/**
 * A port that was free on 127.0.0.1 a moment ago. Another process may take it before ours binds it, so
 * callers that pick the port themselves retry with a new one when the bind fails.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
