/**
 * A search cluster on one machine, for `npm run cluster`, the failure tests and benchmarks: PostgreSQL (a
 * throwaway server, or one given), N replicas of src/main.ts following it, and nginx balancing across them.
 * Owns the processes' lifecycles, their ports and where their files go.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PostgresArticleStore } from '../articles/postgres-store.js';
import { importArticles, postgresDestination } from '../cli/import.js';
import { silentLogger } from '../logger.js';
import { ReadinessWatcher } from './health-check.js';
import { startNginx, type Nginx, type Upstream } from './nginx.js';
import { freePort } from './ports.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO_ROOT, 'src', 'main.ts');
/** A replica that is not ready by then (snapshot, catch-up) counts as failed to start. */
const READY_TIMEOUT_MS = 5 * 60_000;
/** How long stop() waits after SIGTERM before SIGKILL: main.ts writes a pending snapshot first. */
const STOP_GRACE_MS = 10_000;
/** Readiness checks: a stopped or hung replica is out of the balancer within about interval + timeout. */
const WATCH_INTERVAL_MS = 250;
const WATCH_TIMEOUT_MS = 1_000;

export interface ClusterOptions {
  replicas: number;
  /** Everything lives here: PostgreSQL's data (unless databaseUrl), each replica's INDEX_DIR, nginx's config and logs, the processes' logs. */
  dir: string;
  /** Use this PostgreSQL instead of starting one (replicas and migrations use it as is). */
  databaseUrl?: string;
  /** The balancer's port (default: a free one). */
  port?: number;
  /** Default: a random 32-character token. */
  adminToken?: string;
  /** Imported (npm run import's code: importArticles + postgresDestination) when the store holds no article yet. */
  seed?: string[];
  /** Extra environment for every replica (SYNC_POLL_MS, SNAPSHOT_DELAY_MS, LOG_LEVEL…). */
  env?: Record<string, string>;
  /** For the throwaway PostgreSQL; default true. */
  fsync?: boolean;
  /** The cluster's own progress and events (not the processes' output, which goes to their log files). */
  log?: (line: string) => void;
}

/** One search process behind the balancer; `index` counts from 1, as in its log's name `replica-N.log`. */
export interface Replica {
  index: number;
  port: number;
  /** `http://127.0.0.1:PORT`, the replica itself (not through the balancer). */
  url: string;
  indexDir: string;
  logFile: string;
  readonly pid: number | undefined;
  /** Started and not exited (a paused replica is alive). */
  readonly alive: boolean;
  /** Sends `signal` (default SIGKILL) and waits until the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP: the process keeps its port and connections but answers nothing. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** (Re)starts on the same port and INDEX_DIR; resolves when /readyz answers 200. */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; waits until it has exited. */
  stop(): Promise<void>;
}

export interface Cluster {
  /** The balancer. */
  url: string;
  databaseUrl: string;
  adminToken: string;
  /** The throwaway server started for the cluster, or null when `databaseUrl` was given. */
  postgres: PostgresServer | null;
  replicas: Replica[];
  nginx: Nginx;
  /** Stops the replicas, nginx and the PostgreSQL it started; every file in `dir` is left where it is. */
  stop(): Promise<void>;
}

/** The balancer's port is taken: thrown before anything was started. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is in use`);
    this.name = 'PortInUseError';
  }
}

/**
 * Starts PostgreSQL (unless `databaseUrl`), seeds an empty store, starts the replicas and waits until each is
 * ready, then nginx in front of them. Anything started is stopped again when a later step fails.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!Number.isInteger(options.replicas) || options.replicas < 1) throw new Error(`startCluster: replicas must be a whole number ≥ 1, got ${options.replicas}`);
  const log = options.log ?? (() => undefined);
  const dir = resolve(options.dir);
  // Checked first, so a taken port costs nothing (nginx would find out only after everything else started).
  if (options.port !== undefined) await requirePortFree(options.port);
  await mkdir(dir, { recursive: true });
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
  const cleanups: Array<() => Promise<void>> = [];
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    let postgres: PostgresServer | null = null;
    let databaseUrl = options.databaseUrl;
    if (databaseUrl === undefined) {
      postgres = await startPostgres({ dataDir: join(dir, 'postgres'), fsync: options.fsync ?? true });
      const server = postgres;
      cleanups.push(() => server.stop());
      databaseUrl = postgres.url;
      log(`PostgreSQL: ${databaseUrl} (data in ${postgres.dataDir}, log ${postgres.logFile})`);
    }
    if (options.seed && options.seed.length > 0) await seedIfEmpty(databaseUrl, options.seed, log);

    const env = {
      ...options.env,
      ARTICLE_STORE: 'postgres',
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: adminToken,
      HOST: '127.0.0.1',
    };
    const replicas: ReplicaProcess[] = [];
    for (let index = 1; index <= options.replicas; index++) {
      replicas.push(new ReplicaProcess(index, await freePort(), join(dir, `replica-${index}`, 'index'), join(dir, `replica-${index}.log`), env, log));
    }
    cleanups.push(() => Promise.all(replicas.map((r) => r.stop())).then(() => undefined));
    await Promise.all(replicas.map((r) => r.start({ firstStart: true })));

    const upstreams = (): Upstream[] => replicas.map((r) => ({ host: '127.0.0.1', port: r.port }));
    const nginx = await startNginx({ dir: join(dir, 'nginx'), ...(options.port === undefined ? {} : { port: options.port }), upstreams: upstreams() }).catch((error: unknown) => {
      if (options.port !== undefined && /Address already in use/.test(String(error))) throw new PortInUseError(options.port);
      throw error;
    });
    cleanups.push(() => nginx.stop());
    let configured = upstreamsKey(upstreams());
    log(`nginx: ${nginx.url} (config and logs in ${nginx.dir})`);

    // Open-source nginx has no active health checks, only passive ones (a replica that failed a request is
    // left out for a while). A paused or loading replica fails no connection, so this watcher polls each
    // replica's /readyz and marks the ones not ready `down` in nginx's config.
    const watcher = new ReadinessWatcher(upstreams(), {
      intervalMs: WATCH_INTERVAL_MS,
      timeoutMs: WATCH_TIMEOUT_MS,
      onChange: async (next) => {
        // The first round finds what nginx was started with: a reload then would only cost clients their
        // idle keep-alive connections (one sent on just as the old worker closes it fails).
        const key = upstreamsKey(next);
        if (key === configured) return;
        await nginx.setUpstreams(next);
        configured = key;
        const down = next.filter((u) => u.down).map((u) => u.port);
        log(`balancer: ${down.length === 0 ? 'every replica ready' : `left out (not ready): ${down.map((p) => `127.0.0.1:${p}`).join(', ')}`}`);
      },
      onError: (error) => log(`balancer: cannot update nginx (${(error as Error).message}); retrying`),
    });
    watcher.start();
    cleanups.push(() => watcher.stop());

    let stopped: Promise<void> | undefined;
    return {
      url: nginx.url,
      databaseUrl,
      adminToken,
      postgres,
      replicas,
      nginx,
      stop: () => (stopped ??= undo()),
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** A replica's process; a restart gets a new child on the same port and folder. */
class ReplicaProcess implements Replica {
  url: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private paused = false;
  /** Set while stop() runs: an exit it asked for is not reported as an event. */
  private stopping = false;

  constructor(
    readonly index: number,
    public port: number,
    readonly indexDir: string,
    readonly logFile: string,
    private readonly env: Record<string, string>,
    private readonly log: (line: string) => void,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.alive ? this.child!.pid : undefined;
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Spawns src/main.ts as `npm start` would, output appended to its log file, and waits for /readyz. The
   * first start picks another free port when the one chosen was taken meanwhile; a restart never does.
   */
  async start({ firstStart = false } = {}): Promise<void> {
    if (this.alive) throw new Error(`replica ${this.index} is already running (pid ${this.child!.pid})`);
    for (let attempt = 1; ; attempt++) {
      const logStart = fileSize(this.logFile);
      try {
        await this.spawnAndWait();
        return;
      } catch (error) {
        if (!firstStart || attempt === 3 || !logSince(this.logFile, logStart).includes('EADDRINUSE')) throw error;
        this.port = await freePort();
        this.url = `http://127.0.0.1:${this.port}`;
      }
    }
  }

  private async spawnAndWait(): Promise<void> {
    await mkdir(this.indexDir, { recursive: true });
    const logStart = fileSize(this.logFile);
    const out = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...this.env, PORT: String(this.port), INDEX_DIR: this.indexDir },
        stdio: ['ignore', out, out],
      });
    } finally {
      // The child has its own copy of the descriptor.
      closeSync(out);
    }
    this.child = child;
    this.paused = false;
    liveReplicas.add(child);
    hookExit();
    let spawnError: Error | undefined;
    child.once('error', (error) => (spawnError = error));
    this.exited = new Promise<void>((done) =>
      child.once('exit', (code, signal) => {
        liveReplicas.delete(child);
        if (this.child === child && !this.stopping) this.log(`replica ${this.index} (pid ${child.pid}) exited (${signal ?? `code ${code}`})`);
        done();
      }),
    );
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (spawnError || child.exitCode !== null || child.signalCode !== null) {
        await this.exited;
        const why = spawnError?.message ?? (child.signalCode ?? `code ${child.exitCode}`);
        throw new Error(`replica ${this.index} exited before it was ready (${why}); ${this.logFile}:\n${logSince(this.logFile, logStart).trimEnd().split('\n').slice(-10).join('\n')}`);
      }
      if (await isReady(this.url)) break;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`replica ${this.index} was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${this.logFile}`);
      }
      await sleep(50);
    }
    this.log(`replica ${this.index}: ${this.url} ready (pid ${child.pid}, index in ${this.indexDir}, log ${this.logFile})`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    child.kill(signal);
    // A stopped process acts on no signal but SIGKILL until it is continued.
    if (this.paused && signal !== 'SIGKILL' && signal !== 'SIGSTOP') this.resume();
    await this.exited;
  }

  pause(): void {
    if (!this.alive) throw new Error(`replica ${this.index} is not running`);
    this.child!.kill('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.alive) throw new Error(`replica ${this.index} is not running`);
    this.child!.kill('SIGCONT');
    this.paused = false;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    this.stopping = true;
    try {
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await this.kill('SIGTERM');
      clearTimeout(killer);
    } finally {
      this.stopping = false;
    }
  }
}

/**
 * Imports `seed` when the store holds no article (a new database, or one emptied by hand), before the
 * replicas start, so they index it while loading rather than by following the log. Opening the store
 * applies the migrations.
 */
async function seedIfEmpty(databaseUrl: string, seed: string[], log: (line: string) => void): Promise<void> {
  const store = new PostgresArticleStore({ databaseUrl, applicationName: 'nieuwszoeker-cluster-seed' }, silentLogger);
  try {
    await store.open();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    let empty: boolean;
    try {
      empty = (await client.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM articles) AS empty')).rows[0]!.empty;
    } finally {
      await client.end();
    }
    if (!empty) return;
    const summary = await importArticles(seed, postgresDestination(store), { start() {}, file() {} });
    log(`seeded the store from ${seed.join(', ')}: ${summary.added} articles added, ${summary.skipped} skipped`);
  } finally {
    await store.close();
  }
}

/** Replicas still running when this process exits are killed, so none outlives a normal exit of its owner. */
const liveReplicas = new Set<ChildProcess>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const child of liveReplicas) child.kill('SIGKILL');
  });
}

/** The upstreams as nginx routes to them (no `down` flag is up). */
function upstreamsKey(upstreams: Upstream[]): string {
  return JSON.stringify(upstreams.map((u) => [u.host, u.port, u.down === true]));
}

async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** @throws PortInUseError when something listens on 127.0.0.1:port already */
export async function requirePortFree(port: number): Promise<void> {
  if (!(await portIsFree(port))) throw new PortInUseError(port);
}

/** Whether nothing listens on 127.0.0.1:port (binding it for a moment). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolvePromise(false) : reject(error)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** What was appended to a log file after `offset` bytes. */
function logSince(path: string, offset: number): string {
  try {
    return readFileSync(path).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
