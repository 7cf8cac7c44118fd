/**
 * `npm run cluster -- --replicas 2`: a search cluster on this machine (PostgreSQL, N replicas, nginx in front)
 * until Ctrl-C. Owns the command's options, what it prints, and stopping everything on a signal.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PortInUseError, requirePortFree, startCluster, type Cluster } from '../cluster/cluster.js';

const USAGE = 'usage: npm run cluster -- [--replicas N] [--port PORT] [--dir FOLDER] [--database-url URL] [--fresh | --keep]\n';
const HELP = `${USAGE}
  --replicas N        search processes behind the balancer (default 2)
  --port PORT         the balancer's port on 127.0.0.1 (default 8080)
  --dir FOLDER        PostgreSQL's data, the replicas' snapshots, nginx's config and every log (default data/.cluster);
                      kept when the cluster stops, so the articles written survive a restart
  --database-url URL  use this PostgreSQL instead of starting one in FOLDER
  --fresh             delete FOLDER first: an empty store, seeded again from data/articles
  --keep              keep FOLDER as it is (the default)
ADMIN_TOKEN in the environment sets the admin token (default: a new random one each start).
`;
const DEFAULT_PORT = 8080;
const DEFAULT_DIR = join('data', '.cluster');
const MAX_REPLICAS = 32;

interface Options {
  replicas: number;
  port: number;
  dir: string;
  databaseUrl: string | undefined;
  fresh: boolean;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        replicas: { type: 'string' },
        port: { type: 'string' },
        dir: { type: 'string' },
        'database-url': { type: 'string' },
        fresh: { type: 'boolean' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const whole = (name: string, value: string | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
  if (values.fresh && values.keep) throw new UsageError('--fresh and --keep exclude each other');
  const databaseUrl = values['database-url'];
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError(`--database-url must be a postgres:// URL, got "${databaseUrl}"`);
  if (values.dir === '') throw new UsageError('--dir must not be empty');
  return {
    replicas: whole('replicas', values.replicas, 2, 1, MAX_REPLICAS),
    port: whole('port', values.port, DEFAULT_PORT, 1, 65_535),
    dir: resolve(values.dir ?? DEFAULT_DIR),
    databaseUrl,
    fresh: values.fresh === true,
  };
}

/** A path as the user would type it from here. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

function summary(cluster: Cluster, options: Options): string {
  const token = cluster.adminToken;
  const url = cluster.url;
  const lines = [
    '',
    `nieuwszoeker cluster: ${cluster.replicas.length} ${cluster.replicas.length === 1 ? 'replica' : 'replicas'} behind nginx`,
    `  balancer      ${url}`,
    ...cluster.replicas.map((r) => `  replica ${String(r.index).padEnd(5)} ${r.url}   (log ${shown(r.logFile)})`),
    `  admin token   ${token}`,
    `  DATABASE_URL  ${cluster.databaseUrl}`,
    cluster.postgres
      ? `  PostgreSQL's data is in ${shown(cluster.postgres.dataDir)}: kept when the cluster stops, so what you write is there next time (--fresh starts empty)`
      : '  PostgreSQL: the server given with --database-url (its data is not touched by --fresh)',
    `  everything else (snapshots, nginx, logs) is in ${shown(options.dir)}`,
    '',
    'Try:',
    `  curl -s '${url}/api/search?q=NAVO'`,
    `  curl -s -X POST ${url}/api/articles -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\`,
    `       -d '{"title": "NAVO-top in Den Haag", "text": "De NAVO-landen vergaderen in Den Haag over defensie."}'`,
    '  # the answer\'s "seq" (also in its X-Change-Seq header): a search with after=SEQ waits until the replica',
    '  # that answers has that change, so you read your write whichever replica nginx picks',
    `  curl -s '${url}/api/search?q=NAVO-landen&after=SEQ'`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}

async function main(args: string[]): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(args);
    if (parsed === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cluster: ${error.message}\n${USAGE}`);
    return 2;
  }

  // Until the cluster runs, a signal just exits: the exit handlers of the launcher kill what was started.
  let cluster: Cluster | null = null;
  let stopping: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (cluster === null || stopping !== null) {
      process.stderr.write(`\ncluster: ${signal}: exiting now\n`);
      process.exit(130);
    }
    process.stdout.write(`\n${signal}: stopping the replicas, nginx${cluster.postgres ? ' and PostgreSQL' : ''}…\n`);
    stopping = cluster.stop().then(
      () => {
        process.stdout.write(`stopped${cluster!.postgres ? `; PostgreSQL's data stays in ${shown(cluster!.postgres.dataDir)}` : ''}\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`cluster: stopping failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const portTaken = (port: number) => {
    process.stderr.write(`cluster: the balancer's port ${port} on 127.0.0.1 is in use; choose another with --port <port>\n`);
    return 1;
  };
  // Before --fresh deletes anything.
  try {
    await requirePortFree(options.port);
  } catch (error) {
    if (error instanceof PortInUseError) return portTaken(error.port);
    throw error;
  }
  if (options.fresh && existsSync(options.dir)) {
    process.stdout.write(`--fresh: deleting ${shown(options.dir)}\n`);
    await rm(options.dir, { recursive: true, force: true });
  }
  const seedDir = resolve(process.env.ARTICLES_DIR ?? join('data', 'articles'));
  try {
    cluster = await startCluster({
      replicas: options.replicas,
      dir: options.dir,
      port: options.port,
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
      ...(process.env.ADMIN_TOKEN ? { adminToken: process.env.ADMIN_TOKEN } : {}),
      ...(existsSync(seedDir) ? { seed: [seedDir] } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof PortInUseError) return portTaken(error.port);
    process.stderr.write(`cluster: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(summary(cluster, options));
  // Runs until a signal: the children's handles keep the event loop alive.
  return new Promise<number>(() => undefined);
}

process.exitCode = await main(process.argv.slice(2));
