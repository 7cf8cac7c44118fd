/**
 * `npm run bench:cluster`: the PostgreSQL cluster measured on this machine, in one run. Freshness (a write
 * acknowledged through the balancer until every replica finds it), search throughput with 1 and 2 replicas
 * behind nginx against one process without it, and a replica's start-up from its snapshot against a build
 * from PostgreSQL at ~100k paragraphs. Writes bench/cluster-results.json and prints a summary.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster, type Replica } from '../src/cluster/cluster.js';
import { startPostgres } from '../src/cluster/postgres-server.js';
import { copiedCorpus, DEFAULT_QUERIES } from './freshness.js';
import { isMain, percentile } from './server.js';
import { load, searchPaths, type LoadRun } from './system.js';
import { median, REPO_ROOT } from './words.js';

const round = (ms: number) => Math.round(ms * 10) / 10;
const log = (message: string) => process.stderr.write(`bench:cluster: ${message}\n`);

export interface ClusterBenchResult {
  machine: { cpus: number; model: string };
  freshness: { writes: number; writeP50Ms: number; writeP99Ms: number; searchableP50Ms: number; searchableP99Ms: number; searchableMaxMs: number };
  throughput: { direct: LoadRun; oneReplica: LoadRun; twoReplicas: LoadRun };
  startup: { paragraphs: number; articles: number; runs: number; fromPostgresMs: number[]; fromSnapshotMs: number[]; fromPostgresMedianMs: number; fromSnapshotMedianMs: number };
}

interface Options {
  writes: number;
  copies: number;
  startupRuns: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { writes: 200, copies: 80, startupRuns: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = Number(value);
    if (flag === '--writes' && Number.isInteger(number) && number > 0) options.writes = number;
    else if (flag === '--copies' && Number.isInteger(number) && number > 0) options.copies = number;
    else if (flag === '--startup-runs' && Number.isInteger(number) && number > 0) options.startupRuns = number;
    else throw new Error(`usage: npm run bench:cluster -- [--writes N] [--copies N] [--startup-runs N] (bad: ${flag} ${value ?? ''})`);
    i++;
  }
  return options;
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

/**
 * `writes` articles PUT through the balancer, one after another; after each acknowledgement every replica is
 * asked for it with `after=SEQ` at once, so each answer comes the moment that replica has applied the write.
 */
async function measureFreshness(cluster: Cluster, writes: number): Promise<ClusterBenchResult['freshness']> {
  const writeMs: number[] = [];
  const searchableMs: number[] = [];
  const auth = { authorization: `Bearer ${cluster.adminToken}`, 'content-type': 'application/json' };
  for (let i = 0; i < writes; i++) {
    const word = `clusterversheid${i}x`;
    const started = performance.now();
    const put = await json(`${cluster.url}/api/articles/vers-${i}`, { method: 'PUT', headers: auth, body: JSON.stringify({ title: `Vers ${i}`, text: `Een nieuw artikel over ${word}.` }) });
    const acknowledged = performance.now();
    if (put.status !== 201) throw new Error(`PUT answered ${put.status}: ${JSON.stringify(put.body)}`);
    writeMs.push(acknowledged - started);
    const seq = put.body.seq as number;
    const found = await Promise.all(
      cluster.replicas.map(async (replica: Replica) => {
        const res = await json(`${replica.url}/api/search?q=${word}&after=${seq}`);
        if (res.status !== 200 || res.body.total !== 1) throw new Error(`replica ${replica.index} answered ${res.status} for write ${seq}: ${JSON.stringify(res.body).slice(0, 200)}`);
        return performance.now() - acknowledged;
      }),
    );
    searchableMs.push(Math.max(...found));
  }
  return {
    writes,
    writeP50Ms: round(percentile(writeMs, 50)),
    writeP99Ms: round(percentile(writeMs, 99)),
    searchableP50Ms: round(percentile(searchableMs, 50)),
    searchableP99Ms: round(percentile(searchableMs, 99)),
    searchableMaxMs: round(Math.max(...searchableMs)),
  };
}

/** Long enough for the readiness watcher (every 500 ms) to see a replica come or go and nginx to reload. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

/** Search throughput: one replica's own port, then the balancer in front of one, then of two. */
async function measureThroughput(cluster: Cluster): Promise<ClusterBenchResult['throughput']> {
  const paths = searchPaths(DEFAULT_QUERIES);
  const port = (url: string) => Number(new URL(url).port);
  const [first, second] = cluster.replicas;
  await second!.stop();
  await settle();
  const direct = await load(first!.port, paths, 'one process, no balancer');
  log(`direct: ${direct.reqPerSec.toFixed(0)} req/s, p99 ${direct.p99Ms} ms`);
  const oneReplica = await load(port(cluster.url), paths, 'balancer, 1 replica');
  log(`1 replica behind nginx: ${oneReplica.reqPerSec.toFixed(0)} req/s, p99 ${oneReplica.p99Ms} ms`);
  await second!.start();
  await settle();
  const twoReplicas = await load(port(cluster.url), paths, 'balancer, 2 replicas');
  log(`2 replicas behind nginx: ${twoReplicas.reqPerSec.toFixed(0)} req/s, p99 ${twoReplicas.p99Ms} ms`);
  return { direct, oneReplica, twoReplicas };
}

/**
 * A replica's start-up at ~100k paragraphs: from nothing (a build from PostgreSQL) and from its snapshot,
 * alternately, `runs` times each. The articles are imported into a PostgreSQL of their own first.
 */
async function measureStartup(copies: number, runs: number): Promise<ClusterBenchResult['startup']> {
  const corpus = copiedCorpus(copies);
  const dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-cluster-startup-'));
  const postgres = await startPostgres({ dataDir: join(dir, 'postgres') });
  let cluster: Cluster | undefined;
  try {
    log(`importing ${corpus.articles} articles (${corpus.source} ×${copies}) into PostgreSQL`);
    cluster = await startCluster({ replicas: 1, dir: join(dir, 'cluster'), databaseUrl: postgres.url, seed: [corpus.dir], env: { LOG_LEVEL: 'info' }, log });
    const replica = cluster.replicas[0]!;
    const status = (await json(`${replica.url}/readyz`)).body as { articles: number; paragraphs: number };
    const fromPostgresMs: number[] = [];
    const fromSnapshotMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      await replica.stop(); // writes its snapshot on the way out
      let started = performance.now();
      await replica.start();
      fromSnapshotMs.push(round(performance.now() - started));
      await replica.stop();
      rmSync(replica.indexDir, { recursive: true, force: true });
      started = performance.now();
      await replica.start();
      fromPostgresMs.push(round(performance.now() - started));
      log(`start-up run ${run + 1}: from snapshot ${fromSnapshotMs.at(-1)} ms, from PostgreSQL ${fromPostgresMs.at(-1)} ms`);
    }
    return {
      paragraphs: status.paragraphs,
      articles: status.articles,
      runs,
      fromPostgresMs,
      fromSnapshotMs,
      fromPostgresMedianMs: median(fromPostgresMs),
      fromSnapshotMedianMs: median(fromSnapshotMs),
    };
  } finally {
    await cluster?.stop();
    await postgres.remove();
    rmSync(dir, { recursive: true, force: true });
    rmSync(corpus.dir, { recursive: true, force: true });
  }
}

export async function runClusterBenchmark(options: Options): Promise<ClusterBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-cluster-'));
  const corpus = copiedCorpus(1);
  let cluster: Cluster | undefined;
  let freshness: ClusterBenchResult['freshness'];
  let throughput: ClusterBenchResult['throughput'];
  try {
    cluster = await startCluster({ replicas: 2, dir, seed: [corpus.dir], env: { LOG_LEVEL: 'warn' }, log });
    log(`cluster at ${cluster.url}: ${options.writes} writes`);
    freshness = await measureFreshness(cluster, options.writes);
    log(`searchable on every replica after p50 ${freshness.searchableP50Ms} ms, p99 ${freshness.searchableP99Ms} ms`);
    throughput = await measureThroughput(cluster);
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(corpus.dir, { recursive: true, force: true });
  }
  const startup = await measureStartup(options.copies, options.startupRuns);
  const cpu = cpus();
  return { machine: { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown' }, freshness, throughput, startup };
}

if (isMain(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const result = await runClusterBenchmark(options);
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })();
  writeFileSync(join(REPO_ROOT, 'bench', 'cluster-results.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), options, ...result, commit }, null, 2)}\n`);
  const { freshness: f, throughput: t, startup: s } = result;
  const rps = (r: LoadRun) => `${r.reqPerSec.toFixed(0)} req/s (p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms)`;
  process.stdout.write(
    [
      `machine: ${result.machine.cpus} × ${result.machine.model}`,
      `freshness, ${f.writes} writes through the balancer: write acknowledged p50 ${f.writeP50Ms} ms, p99 ${f.writeP99Ms} ms; ` +
        `then searchable on every replica p50 ${f.searchableP50Ms} ms, p99 ${f.searchableP99Ms} ms, max ${f.searchableMaxMs} ms`,
      `search throughput: one process direct ${rps(t.direct)}; nginx + 1 replica ${rps(t.oneReplica)}; nginx + 2 replicas ${rps(t.twoReplicas)}`,
      `start-up at ${s.paragraphs} paragraphs (${s.articles} articles), median of ${s.runs}: from the snapshot ${s.fromSnapshotMedianMs} ms, ` +
        `from PostgreSQL ${s.fromPostgresMedianMs} ms`,
      '',
    ].join('\n'),
  );
}
