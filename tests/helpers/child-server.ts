/** The real server (src/main.ts) as a child process for tests: the benchmarks' launcher, with test-sized waits. */
import { spawnServer, type ServerProcess } from '../../bench/server.js';

export type ChildServer = ServerProcess;

export function startChildServer(env: Record<string, string>): ChildServer {
  return spawnServer(env, 60_000);
}
