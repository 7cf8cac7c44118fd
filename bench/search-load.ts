/**
 * A separate process that keeps searching a server until told to stop: the "other users" of the freshness
 * benchmark. Run by `startSearchLoad`, which talks to it over an IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMain } from './server.js';

/** What the load did, reported when it stops. */
export interface SearchLoadStats {
  requests: number;
  /** Responses other than 2xx, by status. */
  non2xx: Record<string, number>;
  errors: number;
  seconds: number;
  firstError?: string;
}

interface StartMessage {
  port: number;
  queries: string[];
  loops: number;
}

export interface SearchLoad {
  /** Stops the loops, waits for the process to exit, and says what it did. */
  stop(): Promise<SearchLoadStats>;
}

/**
 * Starts `loops` concurrent search loops over `queries` (cycled) against 127.0.0.1:`port` in a child process,
 * and resolves once its first request has been answered, so the load is on before measuring begins.
 */
export async function startSearchLoad(port: number, queries: readonly string[], loops = 2): Promise<SearchLoad> {
  if (queries.length === 0) throw new Error('search load: no queries');
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const message = <T>(kind: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { kind: string; data: T }) => {
        if (m.kind !== kind) return;
        child.off('message', onMessage);
        resolve(m.data);
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`search load exited (${code}) before "${kind}"`)));
    });
  const started = message<null>('started');
  const start: StartMessage = { port, queries: [...queries], loops };
  child.send({ kind: 'start', data: start });
  await started;
  return {
    async stop() {
      const stats = message<SearchLoadStats>('stats');
      child.send({ kind: 'stop' });
      const result = await stats;
      await exited;
      return result;
    },
  };
}

/** The child's side: search in loops until the parent says stop, then report. */
function runLoad(): void {
  let stopping = false;
  const stats: SearchLoadStats = { requests: 0, non2xx: {}, errors: 0, seconds: 0 };
  let loops: Array<Promise<void>> = [];
  let began = 0;
  let next = 0;
  // The parent is gone (it failed or was killed): stop rather than search an orphaned server forever.
  process.on('disconnect', () => {
    if (!stopping) process.exit(1);
  });
  process.on('message', (m: { kind: string; data?: StartMessage }) => {
    if (m.kind === 'start' && m.data) {
      const { port, queries, loops: count } = m.data;
      const urls = queries.map((q) => `http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(q)}`);
      began = performance.now();
      let announced = false;
      const loop = async () => {
        while (!stopping) {
          const url = urls[next++ % urls.length]!;
          try {
            const res = await fetch(url);
            await res.arrayBuffer();
            stats.requests++;
            if (res.status < 200 || res.status > 299) stats.non2xx[res.status] = (stats.non2xx[res.status] ?? 0) + 1;
          } catch (error) {
            stats.errors++;
            stats.firstError ??= String(error);
          }
          if (!announced) {
            announced = true;
            process.send!({ kind: 'started', data: null });
          }
        }
      };
      loops = Array.from({ length: count }, loop);
    } else if (m.kind === 'stop') {
      stopping = true;
      void Promise.all(loops).then(() => {
        stats.seconds = Math.round(performance.now() - began) / 1000;
        process.send!({ kind: 'stats', data: stats }, () => process.disconnect());
      });
    }
  });
}

if (isMain(import.meta.url)) runLoad();
