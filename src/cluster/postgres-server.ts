/**
 * Throwaway PostgreSQL servers for tests, `npm run cluster` and benchmarks: initdb into a folder, start on
 * 127.0.0.1 at a free port, stop, crash and restart on the same data. Owns the server's settings.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { freePort } from './ports.js';

export const POSTGRES_BIN_DIR = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** The OS user the server runs as when we are root: PostgreSQL refuses to run as root. */
const POSTGRES_USER = 'postgres';
const START_TIMEOUT_S = 30;

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, no password). */
  url: string;
  port: number;
  dataDir: string;
  logFile: string;
  /** Fast shutdown: open transactions are rolled back, committed data is on disk. No-op when stopped. */
  stop(): Promise<void>;
  /** Immediate shutdown (`pg_ctl stop -m immediate`): no checkpoint, so the next start replays the WAL. */
  crash(): Promise<void>;
  /** Starts again on the same folder and port after stop() or crash(); waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and deletes its data folder. */
  remove(): Promise<void>;
}

export interface PostgresOptions {
  /** Created if missing; initdb runs only when it is empty. Default: a new folder under os.tmpdir(). */
  dataDir?: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** Default true. Off makes commits much faster, and a crash of the machine (not of the server) loses data. */
  fsync?: boolean;
  /** The server's log. Default: `server.log` in the data folder. */
  logFile?: string;
}

const asRoot = () => process.getuid?.() === 0;

/** Why a server cannot be started here, or null when it can. */
export function postgresProblem(): string | null {
  for (const name of ['initdb', 'pg_ctl', 'postgres', 'pg_isready', 'pg_basebackup']) {
    if (!existsSync(join(POSTGRES_BIN_DIR, name))) return `PostgreSQL binaries not found under ${POSTGRES_BIN_DIR}`;
  }
  if (asRoot() && spawnSync('id', ['-u', POSTGRES_USER]).status !== 0) {
    return `running as root needs the ${POSTGRES_USER} OS user, which is missing`;
  }
  return null;
}

export function postgresAvailable(): boolean {
  return postgresProblem() === null;
}

/** Starts a server (initdb first when the folder is empty) and waits until it accepts connections. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const problem = postgresProblem();
  if (problem) throw new Error(`cannot start PostgreSQL: ${problem} (scripts/install-system-deps.sh installs it)`);
  const dataDir = options.dataDir ? resolve(options.dataDir) : await mkdtemp(join(tmpdir(), 'nieuwszoeker-pg-'));
  const logFile = resolve(options.logFile ?? join(dataDir, 'server.log'));
  let port = options.port ?? (await freePort());
  let running = false;
  const settings = () => ({ port, fsync: options.fsync ?? true });
  const startServer = async () => {
    await pgCtlStart(dataDir, logFile, settings());
    running = true;
    stopAtExit(dataDir);
  };
  const stopServer = async (mode: 'fast' | 'immediate') => {
    if (!running) return;
    await pgCtlStop(dataDir, mode);
    running = false;
    liveServers.delete(dataDir);
  };

  try {
    await prepareDataDir(dataDir);
    if ((await readdir(dataDir)).length === 0) {
      await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], 'initdb');
    } else if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      throw new Error(`cannot start PostgreSQL: ${dataDir} is neither empty nor a PostgreSQL data folder`);
    }
    await prepareLogFile(logFile);
    // A free port may be taken by someone else before the server binds it: then try another one.
    for (let attempt = 1; ; attempt++) {
      try {
        await startServer();
        break;
      } catch (error) {
        if (options.port !== undefined || attempt === 3 || !/could not bind|Address already in use/i.test(String(error))) throw error;
        port = await freePort();
      }
    }
  } catch (error) {
    // A folder of our own making is of no use to anyone once the start failed (the error holds the log).
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    logFile,
    stop: () => stopServer('fast'),
    crash: () => stopServer('immediate'),
    start: async () => {
      if (!running) await startServer();
    },
    remove: async () => {
      await stopServer('fast');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a streaming standby of `primary`: a base backup (`pg_basebackup -R`, which also writes the standby's
 * connection to the primary) into a new folder, started like any server. It answers reads only, a few
 * milliseconds behind the primary, and refuses LISTEN (`cannot execute LISTEN during recovery`).
 */
export async function startStandby(primary: PostgresServer, options: Omit<PostgresOptions, 'dataDir'> = {}): Promise<PostgresServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nieuwszoeker-pg-standby-'));
  try {
    await prepareDataDir(dataDir);
    // --checkpoint=fast: the default spread checkpoint can keep the backup waiting for minutes.
    await run('pg_basebackup', ['-D', dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync', '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'], 'pg_basebackup');
    // The primary's own log came with the backup; the standby keeps a log of its own.
    await rm(join(dataDir, 'server.log'), { force: true });
    return await startPostgres({ ...options, dataDir });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Creates the data folder. As root, the server runs as the postgres user, which must own the folder and be
 * able to reach it: folders we create are given to it, and a folder in the way inside os.tmpdir() (a
 * mkdtemp parent is 0700) gets search permission for others — only passing through, not listing.
 */
async function prepareDataDir(dataDir: string): Promise<void> {
  const firstCreated = await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (!asRoot()) return;
  const { uid, gid } = postgresIds();
  for (let dir = dataDir; ; dir = dirname(dir)) {
    await chown(dir, uid, gid);
    if (!firstCreated || dir === firstCreated || dirname(dir) === dir) break;
  }
  // PostgreSQL wants its folder private to it.
  await chmod(dataDir, 0o700);
  const temp = resolve(tmpdir());
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    const s = await stat(dir);
    if (s.uid === uid || (s.mode & 0o001) !== 0) continue;
    if (!isInside(dir, temp)) {
      throw new Error(`cannot start PostgreSQL as the ${POSTGRES_USER} user: it cannot reach ${dataDir} through ${dir} (mode ${(s.mode & 0o777).toString(8)})`);
    }
    await chmod(dir, (s.mode & 0o777) | 0o001);
  }
}

/** The log file must exist and be writable by the server's user (pg_ctl opens it as that user). */
async function prepareLogFile(logFile: string): Promise<void> {
  await mkdir(dirname(logFile), { recursive: true });
  await (await open(logFile, 'a')).close();
  if (asRoot()) {
    const { uid, gid } = postgresIds();
    await chown(logFile, uid, gid);
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..';
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (!ids) {
    const id = (flag: string) => Number(spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' }).stdout.trim());
    ids = { uid: id('-u'), gid: id('-g') };
  }
  return ids;
}

/** Shell-quotes for pg_ctl's -o, which it hands to /bin/sh. */
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

async function pgCtlStart(dataDir: string, logFile: string, { port, fsync }: { port: number; fsync: boolean }): Promise<void> {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    // TCP only: a socket path in a long data folder would exceed the 107-byte limit and fail the start.
    unix_socket_directories: '',
    max_connections: '100',
    // Commits still write their WAL before they return (synchronous_commit stays on), so without fsync
    // what was committed survives crash() — only a crash of the machine loses it.
    fsync: fsync ? 'on' : 'off',
  };
  const postgresOptions = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${quote(value)}`)
    .join(' ');
  try {
    await run('pg_ctl', ['start', '-w', '-t', String(START_TIMEOUT_S), '-D', dataDir, '-l', logFile, '-o', postgresOptions], 'pg_ctl start');
    await waitAccepting(port);
  } catch (error) {
    // pg_ctl -w gives up after its timeout but leaves a server that is still starting: stop it.
    await pgCtlStop(dataDir, 'immediate').catch(() => undefined);
    throw new Error(`${(error as Error).message}\nlast lines of ${logFile}:\n${logTail(logFile)}`);
  }
}

async function pgCtlStop(dataDir: string, mode: 'fast' | 'immediate'): Promise<void> {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  await run('pg_ctl', ['stop', '-w', '-t', String(START_TIMEOUT_S), '-D', dataDir, '-m', mode], `pg_ctl stop -m ${mode}`);
}

/** pg_ctl -w waits for the postmaster to say it is ready; this confirms it over TCP, as clients connect. */
async function waitAccepting(port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_S * 1000;
  for (;;) {
    try {
      await run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '5'], 'pg_isready', false);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL does not accept connections on 127.0.0.1:${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a PostgreSQL binary, as the postgres user when we are root; rejects with its output. */
function run(name: string, args: string[], what: string, asServerUser = true): Promise<string> {
  const bin = join(POSTGRES_BIN_DIR, name);
  const [file, argv] = asRoot() && asServerUser ? ['runuser', ['-u', POSTGRES_USER, '--', bin, ...args]] : [bin, args];
  return new Promise((resolvePromise, reject) => {
    // cwd "/": the server's user may not be allowed into ours (say /root), and every path is absolute.
    execFile(file, argv, { cwd: '/', encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${what} failed (${error.code ?? error.signal}): ${`${stdout}\n${stderr}`.trim()}`));
      else resolvePromise(stdout);
    });
  });
}

function logTail(logFile: string, lines = 20): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Servers still running when this process exits (a test that failed before its cleanup, a script that
 * threw) are shut down immediately, so a server does not outlive its owner. A process killed by a signal
 * runs no exit handler: its servers stay until stopped with pg_ctl.
 */
const liveServers = new Set<string>();
let exitHooked = false;
function stopAtExit(dataDir: string): void {
  if (!exitHooked) process.once('exit', stopLiveServers);
  exitHooked = true;
  liveServers.add(dataDir);
}

function stopLiveServers(): void {
  const bin = join(POSTGRES_BIN_DIR, 'pg_ctl');
  for (const dataDir of liveServers) {
    const args = ['stop', '-w', '-D', dataDir, '-m', 'immediate'];
    spawnSync(asRoot() ? 'runuser' : bin, asRoot() ? ['-u', POSTGRES_USER, '--', bin, ...args] : args, { cwd: '/', stdio: 'ignore' });
  }
  liveServers.clear();
}
