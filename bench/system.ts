/**
 * The system-level part of `npm run bench`: HTTP throughput and latency, freshness, start-up, and search while
 * writing of the real server (src/main.ts as a child process) on one corpus folder. Each figure is the median
 * over `runs` runs, except search while writing (one run).
 */
import { readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { createRequire } from 'node:module';
import { DEFAULT_QUERIES, copiedCorpus, measureFreshness, withBenchServer, type FreshnessSamples } from './freshness.js';
import { isMain, percentile } from './server.js';
import { runWritesBenchmark, type WritesResult } from './search-during-writes.js';
import { startupBenchmark, type StartupRun } from './startup.js';
import { median, REPO_ROOT } from './words.js';

export interface SystemResult {
  http?: { searchReqPerSec: number; searchP99Ms: number; trivialReqPerSec: number; trivialP99Ms: number };
  freshness?: { fileP50Ms: number; fileP99Ms: number; adminP50Ms: number; adminP99Ms: number };
  startup?: { rebuildMs: number; snapshotMs: number; snapshotBytes: number; writeStallMaxMs: number };
  /** Search p99 (ms) and the longest event-loop delay (ms) per phase of bench/search-during-writes.ts (one run). */
  writes?: Record<'quiet' | 'snapshot' | 'burst' | 'trickle', { p99Ms: number; p99Ratio: number; loopMaxMs: number }>;
}

export type SystemPart = 'http' | 'freshness' | 'startup' | 'writes';
const ALL_PARTS: readonly SystemPart[] = ['http', 'freshness', 'startup', 'writes'];

/** autocannon's settings: 10 connections, 10 s measured after 2 s of the same load to warm up. */
const CONNECTIONS = 10;
const DURATION_S = 10;
const WARMUP_S = 2;
/** Files and admin POSTs per freshness run. */
const FRESHNESS_SAMPLES = 50;

// autocannon ships no types; this is the part of its programmatic API used here.
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { mean: number; total: number };
  latency: { mean: number; p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
  warmup?: AutocannonResult;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: AutocannonRequest[];
  warmup?: { connections: number; duration: number };
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** One autocannon measurement, as kept in `raw`. */
export interface LoadRun {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  statusCodes: Record<string, number>;
}

/**
 * Runs autocannon against `paths` (cycled over all connections) with its warm-up first. Any answer but 2xx,
 * any socket error or timeout, in the warm-up or the measurement, throws: a throughput that includes 503s
 * (not ready) or 400s (a bad query) measures the error path, not the search.
 */
export async function load(port: number, paths: readonly string[], label: string): Promise<LoadRun> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    warmup: { connections: CONNECTIONS, duration: WARMUP_S },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
  });
  for (const [phase, r] of [['warm-up', result.warmup], ['measurement', result]] as const) {
    if (!r) continue;
    if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
      throw new Error(
        `http: ${label} ${phase} had ${r.non2xx} non-2xx answers, ${r.errors} errors, ${r.timeouts} timeouts; ` +
          `status codes ${JSON.stringify(r.statusCodeStats)}`,
      );
    }
  }
  if (result.requests.total === 0) throw new Error(`http: ${label} completed no requests`);
  return {
    reqPerSec: result.requests.mean,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    requests: result.requests.total,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

/** The search paths the load cycles through, one per query. */
export const searchPaths = (queries: readonly string[]) => queries.map((q) => `/api/search?q=${encodeURIComponent(q)}`);
/**
 * The trivial route of the same app: `/healthz` answers `{status, articles, paragraphs}` from two Map sizes,
 * so it measures Express, helmet and JSON without any search.
 */
const TRIVIAL_PATH = '/healthz';

/**
 * Runs the system benchmarks on the articles in `corpusDir` (never changed: the server works on a copy of
 * hard links). `size` labels progress and `raw`; `queries` are what the HTTP load and the freshness
 * part's background searcher send. The HTTP and freshness parts share one server start, which matters at a
 * million paragraphs, where indexing takes minutes.
 */
export async function runSystemBenchmarks(opts: {
  size: string;
  corpusDir: string;
  queries: string[];
  runs: number;
  parts?: SystemPart[];
}): Promise<SystemResult & { raw: unknown }> {
  const parts = opts.parts ?? [...ALL_PARTS];
  if (opts.queries.length === 0) throw new Error('system: no queries');
  if (!(opts.runs >= 1)) throw new Error(`system: runs must be at least 1, got ${opts.runs}`);
  const log = (message: string) => console.error(`[system ${opts.size}] ${message}`);
  const result: SystemResult = {};
  // The corpus as a path inside the repository: the results are committed and read on other machines.
  const raw: Record<string, unknown> = { size: opts.size, corpusDir: relative(REPO_ROOT, opts.corpusDir), runs: opts.runs, queries: opts.queries.length };
  const began = performance.now();

  if (parts.includes('http') || parts.includes('freshness')) {
    await withBenchServer(opts.corpusDir, log, async (server) => {
      raw.corpus = { articles: server.indexed.articles, paragraphs: server.indexed.paragraphs, rebuildMs: server.indexed.ms };
      if (parts.includes('http')) {
        const paths = searchPaths(opts.queries);
        const runs: Array<{ search: LoadRun; trivial: LoadRun }> = [];
        for (let run = 0; run < opts.runs; run++) {
          // Alternate which goes first, so neither always runs on the warmer (or more disturbed) server.
          const order = run % 2 === 0 ? (['search', 'trivial'] as const) : (['trivial', 'search'] as const);
          const measured: Partial<Record<'search' | 'trivial', LoadRun>> = {};
          for (const kind of order) {
            log(`http run ${run + 1}/${opts.runs}: ${kind} (${WARMUP_S} s warm-up, ${DURATION_S} s)`);
            measured[kind] = await load(server.port, kind === 'search' ? paths : [TRIVIAL_PATH], kind);
            log(`  ${measured[kind].reqPerSec.toFixed(0)} req/s, p99 ${measured[kind].p99Ms} ms`);
          }
          runs.push({ search: measured.search!, trivial: measured.trivial! });
        }
        result.http = {
          searchReqPerSec: median(runs.map((r) => r.search.reqPerSec)),
          searchP99Ms: median(runs.map((r) => r.search.p99Ms)),
          trivialReqPerSec: median(runs.map((r) => r.trivial.reqPerSec)),
          trivialP99Ms: median(runs.map((r) => r.trivial.p99Ms)),
        };
        raw.http = { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, trivialPath: TRIVIAL_PATH, runs };
      }
      if (parts.includes('freshness')) {
        const runs: Array<FreshnessSamples & { fileP50Ms: number; fileP99Ms: number; adminP50Ms: number; adminP99Ms: number }> = [];
        for (let run = 0; run < opts.runs; run++) {
          log(`freshness run ${run + 1}/${opts.runs}: ${FRESHNESS_SAMPLES} files, then ${FRESHNESS_SAMPLES} admin POSTs, while another process searches`);
          const samples = await measureFreshness(server, { samples: FRESHNESS_SAMPLES, queries: opts.queries, tag: `r${run}`, log: (m) => log(`  ${m}`) });
          runs.push({
            fileP50Ms: percentile(samples.fileMs, 50),
            fileP99Ms: percentile(samples.fileMs, 99),
            adminP50Ms: percentile(samples.adminMs, 50),
            adminP99Ms: percentile(samples.adminMs, 99),
            ...samples,
          });
        }
        result.freshness = {
          fileP50Ms: median(runs.map((r) => r.fileP50Ms)),
          fileP99Ms: median(runs.map((r) => r.fileP99Ms)),
          adminP50Ms: median(runs.map((r) => r.adminP50Ms)),
          adminP99Ms: median(runs.map((r) => r.adminP99Ms)),
        };
        raw.freshness = { samplesPerRun: FRESHNESS_SAMPLES, backgroundLoops: 2, runs };
      }
    });
  }

  if (parts.includes('startup')) {
    const runs: StartupRun[] = await startupBenchmark(opts.corpusDir, opts.runs, (m) => log(`startup ${m}`));
    result.startup = {
      rebuildMs: median(runs.map((r) => r.rebuildMs)),
      snapshotMs: median(runs.map((r) => r.snapshotMs)),
      snapshotBytes: median(runs.map((r) => r.snapshotBytes)),
      writeStallMaxMs: median(runs.map((r) => r.writeStallMaxMs)),
    };
    raw.startup = { runs, writeStallOverallMaxMs: Math.max(...runs.map((r) => r.writeStallMaxMs)) };
  }

  if (parts.includes('writes')) {
    // One run: its own server (it changes the folder), four phases with one client searching throughout.
    const writes: WritesResult = await runWritesBenchmark({ size: opts.size, corpusDir: opts.corpusDir, queries: opts.queries, log: (m) => log(`writes ${m}`) });
    result.writes = Object.fromEntries(writes.phases.map((p) => [p.phase, { p99Ms: p.p99Ms, p99Ratio: p.p99Ratio, loopMaxMs: p.loopMaxMs }])) as NonNullable<SystemResult['writes']>;
    raw.writes = writes;
  }

  raw.wallMs = Math.round(performance.now() - began);
  log(`done in ${((performance.now() - began) / 1000).toFixed(0)} s: ${JSON.stringify(result)}`);
  return { ...result, raw };
}

/** Queries from a file: a JSON array of strings, or one query per line. */
function readQueries(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((q) => typeof q === 'string')) throw new Error(`${file}: expected a JSON array of strings`);
    return parsed;
  }
  return text.split('\n').map((q) => q.trim()).filter((q) => q.length > 0);
}

const USAGE = `usage: node --import tsx bench/system.ts (--corpus DIR | --copies N) [--parts http,freshness,startup,writes] [--runs 3]
       [--queries FILE (one query per line, or a JSON array)] [--size LABEL]
Prints the result as JSON on stdout, progress on stderr. --copies N benchmarks N copies of ../shared/ud-dutch.`;

async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) {
      console.error(USAGE);
      process.exit(2);
    }
    args.set(key.slice(2), value);
  }
  const parts = (args.get('parts') ?? ALL_PARTS.join(',')).split(',') as SystemPart[];
  const unknown = [...args.keys()].filter((k) => !['corpus', 'copies', 'parts', 'runs', 'queries', 'size'].includes(k));
  if (unknown.length > 0 || parts.some((p) => !ALL_PARTS.includes(p)) || args.has('corpus') === args.has('copies')) {
    console.error(USAGE);
    process.exit(2);
  }
  const copies = args.has('copies') ? copiedCorpus(Number(args.get('copies'))) : undefined;
  const corpusDir = copies?.dir ?? args.get('corpus')!;
  try {
    const result = await runSystemBenchmarks({
      size: args.get('size') ?? (copies ? `${copies.articles} articles` : corpusDir),
      corpusDir,
      queries: args.has('queries') ? readQueries(args.get('queries')!) : DEFAULT_QUERIES,
      runs: Number(args.get('runs') ?? 3),
      parts,
    });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (copies) rmSync(copies.dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
