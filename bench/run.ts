/**
 * `npm run bench`: every contender over every corpus size, one child process at a time, then the system,
 * stemmer and analyzer benchmarks; medians, targets, and the report (bench/results.json, RESULTS.md, results.svg).
 *
 * Usage: npm run bench -- [--sizes 10k,100k] [--runs 3] [--engines ours,flexsearch,…|all] [--ud|--no-ud] [--seed 1] [--no-system]
 * (`--ud` adds the real articles of ../shared/ud-dutch; `--engines all` adds SQLite FTS5 and LanceDB to the default five.)
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import type { AnalyzerResult } from './analyzer-throughput.js';
import { CACHE_DIR, ensureCorpus, parseSize, readArticles, readManifest, sizeLabel } from './corpus.js';
import type { EngineRunResult } from './engine-run.js';
import { DEFAULT_ENGINES, ENGINE_NAMES, LUNR_MAX_PARAGRAPHS, isEngineName, type EngineName } from './engines/index.js';
import { ensureQueries, QUERY_VERSION, type QuerySet } from './queries.js';
import { writeReport, type BenchResults, type EngineSummary, type SizeResult, type SystemEntry, type SystemResult } from './report.js';
import type { StemmerResult } from './stemmer.js';
import { evaluateTargets } from './targets.js';
import { median, REPO_ROOT, SHARED_DIR } from './words.js';

const BENCH_DIR = join(REPO_ROOT, 'bench');
const UD_DIR = join(SHARED_DIR, 'ud-dutch', 'articles');
/**
 * lunr answers a query at 100k in about 25 ms: its full 2,000 would take a minute a run. From this size it
 * times the first LUNR_QUERIES of them (its build, which the targets use, is measured in full).
 */
const LUNR_QUERY_CAP_FROM = 50_000;
const LUNR_QUERIES = 500;
const LUNR_WARMUP = 50;
/** The time a default run should stay under on the 2-core development machine. */
const BUDGET_MS = 10 * 60_000;
/** Children get most of the RAM: a 1M-paragraph index is several GB of heap for some engines. */
const CHILD_HEAP_MB = Math.min(16_384, Math.floor((os.totalmem() / 2 ** 20) * 0.75));

interface Options {
  sizes: string[];
  runs: number;
  engines: EngineName[];
  ud: boolean;
  seed: number;
  system: boolean;
}

/** `bench/system.ts`'s contract (written separately; it may not exist yet). */
interface SystemModule {
  runSystemBenchmarks(options: {
    size: string;
    corpusDir: string;
    queries: string[];
    runs: number;
    parts?: Array<'http' | 'freshness' | 'startup' | 'writes'>;
  }): Promise<SystemResult>;
}

const started = performance.now();
function log(line: string): void {
  const s = (performance.now() - started) / 1000;
  const stamp = `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  process.stderr.write(`[bench ${stamp}] ${line}\n`);
}

function parseOptions(argv: string[]): Options {
  // The real-text run is opt-in (--ud): it is small and judges no target, and the default must fit 10 minutes.
  const options: Options = { sizes: ['10k', '100k'], runs: 3, engines: [...DEFAULT_ENGINES], ud: false, seed: 1, system: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--sizes':
        options.sizes = value().split(',').map((s) => sizeLabel(parseSize(s)));
        break;
      case '--runs':
        options.runs = Number(value());
        if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('bench: --runs must be a whole number ≥ 1');
        break;
      case '--engines': {
        const list = value();
        const names = list === 'all' ? [...ENGINE_NAMES] : list.split(',');
        const unknown = names.filter((n) => !isEngineName(n));
        if (unknown.length > 0) throw new Error(`bench: unknown engine ${unknown.join(', ')} (known: ${ENGINE_NAMES.join(', ')})`);
        options.engines = names as EngineName[];
        break;
      }
      case '--ud':
        if (!existsSync(UD_DIR)) throw new Error(`bench: --ud, but ${UD_DIR} is missing`);
        options.ud = true;
        break;
      case '--no-ud':
        options.ud = false;
        break;
      case '--seed':
        options.seed = Number(value());
        break;
      case '--no-system':
        options.system = false;
        break;
      default:
        throw new Error(`bench: unknown option ${flag}\nusage: npm run bench -- [--sizes 10k,100k,1m] [--runs 3] [--engines ${ENGINE_NAMES.join(',')}|all] [--ud|--no-ud] [--seed 1] [--no-system]`);
    }
  }
  return options;
}

/**
 * Runs a bench script in a child process (stderr passed through) and returns its last stdout line.
 * @param okCodes  exit codes that still count as a result (the stemmer CLI exits 1 when it misses its target)
 */
function runChild(script: string, args: string[], okCodes: number[] = [0]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', `--max-old-space-size=${CHILD_HEAP_MB}`, '--import', 'tsx', join(BENCH_DIR, script), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== null && okCodes.includes(code) && last.startsWith('{')) resolve(last);
      else reject(new Error(`${script} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Per metric, the median over runs (numbers), recursing into nested stats; other values from the first run. */
function medianOf(values: unknown[]): unknown {
  const first = values[0];
  if (typeof first === 'number') return median(values as number[]);
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      const present = values.map((v) => (v as Record<string, unknown>)[key]).filter((v) => v !== undefined);
      out[key] = medianOf(present);
    }
    return out;
  }
  return first;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

interface PreparedCorpus {
  size: SizeResult;
  dir: string;
  queriesFile: string;
  queries: QuerySet;
}

function prepareSynthetic(label: string, seed: number): PreparedCorpus {
  const info = ensureCorpus(label, seed, log);
  const manifest = readManifest(info.dir)!;
  const queriesFile = join(info.dir, `queries-v${QUERY_VERSION}-seed${seed}.json`);
  const queries = ensureQueries(info.dir, queriesFile, seed, log);
  return {
    dir: info.dir,
    queriesFile,
    queries,
    size: {
      label,
      kind: 'synthetic',
      corpusDir: relative(REPO_ROOT, info.dir),
      paragraphs: info.paragraphs,
      articles: info.articles,
      bytes: info.bytes,
      topContentWord: manifest.topContentWord,
      topContentWordParagraphShare: manifest.topContentWordParagraphShare,
      queries: querySummary(queriesFile, queries),
      engines: [],
    },
  };
}

function prepareUd(seed: number): PreparedCorpus {
  mkdirSync(CACHE_DIR, { recursive: true });
  const queriesFile = join(CACHE_DIR, `queries-ud-v${QUERY_VERSION}-seed${seed}.json`);
  const queries = ensureQueries(UD_DIR, queriesFile, seed, log);
  const files = readdirSync(UD_DIR).filter((f) => f.endsWith('.txt'));
  return {
    dir: UD_DIR,
    queriesFile,
    queries,
    size: {
      label: 'ud',
      kind: 'real',
      corpusDir: relative(REPO_ROOT, UD_DIR),
      paragraphs: readArticles(UD_DIR).reduce((n, a) => n + a.paragraphs.length, 0),
      articles: files.length,
      bytes: files.reduce((n, f) => n + statSync(join(UD_DIR, f)).size, 0),
      queries: querySummary(queriesFile, queries),
      engines: [],
    },
  };
}

function querySummary(file: string, q: QuerySet): SizeResult['queries'] {
  return {
    file: relative(REPO_ROOT, file),
    warmup: q.warmup.length,
    plain: q.plain.length,
    typo: q.typo.length,
    prefix: q.prefix.length,
    phrase: q.phrase.length,
    exclusion: q.exclusion.length,
  };
}

async function runEngines(corpus: PreparedCorpus, options: Options): Promise<void> {
  const { size } = corpus;
  const engines = options.engines.filter((e) => {
    if (e === 'lunr' && size.paragraphs > LUNR_MAX_PARAGRAPHS) {
      size.engines.push({ engine: e, runs: [], median: null, skipped: `skipped above ${LUNR_MAX_PARAGRAPHS.toLocaleString('en-US')} paragraphs`, errors: [] });
      return false;
    }
    return true;
  });
  const summaries = new Map<string, EngineSummary>(engines.map((e) => [e, { engine: e, runs: [], median: null, errors: [] }]));
  const sizeStarted = performance.now();
  for (let run = 0; run < options.runs; run++) {
    // Rotating the order spreads any drift of the machine (heat, neighbours) over all engines.
    for (const engine of rotate(engines, run)) {
      log(`${size.label}: run ${run + 1}/${options.runs}, ${engine}`);
      const summary = summaries.get(engine)!;
      try {
        const extra =
          engine === 'lunr' && size.paragraphs >= LUNR_QUERY_CAP_FROM ? ['--max-queries', String(LUNR_QUERIES), '--warmup', String(LUNR_WARMUP)] : [];
        const line = await runChild('engine-run.ts', ['--engine', engine, '--corpus', corpus.dir, '--queries', corpus.queriesFile, ...extra]);
        const r = JSON.parse(line) as EngineRunResult;
        summary.runs.push(r);
        log(
          `${size.label}: ${engine}: build ${(r.buildMs / 1000).toFixed(1)} s (${r.parPerSec.toLocaleString('en-US')} par/s), ` +
            `heap ${Math.round(r.heapPerPar)} B/par, RSS +${Math.round(r.rssGrowthPerPar ?? 0)} B/par, p50 ${r.query.p50} ms, p99 ${r.query.p99} ms, ${r.query.hitsMean} hits/query`,
        );
      } catch (error) {
        summary.errors.push(error instanceof Error ? error.message : String(error));
        log(`${size.label}: ${engine} FAILED: ${summary.errors.at(-1)}`);
      }
    }
    if (run === 0 && options.runs > 1) {
      const perRun = performance.now() - sizeStarted;
      log(`${size.label}: one run of ${engines.length} engines took ${(perRun / 1000).toFixed(0)} s; about ${((perRun * (options.runs - 1)) / 60_000).toFixed(1)} min more for this size`);
    }
  }
  for (const summary of summaries.values()) {
    summary.median = summary.runs.length > 0 ? (medianOf(summary.runs) as EngineRunResult) : null;
    size.engines.push(summary);
  }
}

async function loadSystemModule(): Promise<SystemModule | string> {
  if (!existsSync(join(BENCH_DIR, 'system.ts'))) return 'bench/system.ts does not exist (yet): system benchmarks skipped';
  // A computed specifier: the type checker must not require the file, which is written separately.
  const specifier = './system.js';
  const mod = (await import(specifier)) as Partial<SystemModule>;
  if (typeof mod.runSystemBenchmarks !== 'function') return 'bench/system.ts does not export runSystemBenchmarks: system benchmarks skipped';
  return mod as SystemModule;
}

/** HTTP and freshness are measured at 100k, start-up at 100k and 1M; with neither size, at the largest one run. */
async function runSystem(corpora: PreparedCorpus[], options: Options): Promise<SystemEntry[]> {
  const synthetic = corpora.filter((c) => c.size.kind === 'synthetic');
  let chosen = synthetic.filter((c) => c.size.label === '100k' || c.size.label === '1m');
  if (chosen.length === 0 && synthetic.length > 0) {
    chosen = [synthetic.reduce((a, b) => (b.size.paragraphs > a.size.paragraphs ? b : a))];
    log(`system: no 100k or 1m corpus in this run; measuring at ${chosen[0]!.size.label} instead (targets are judged at 100k/1M)`);
  }
  const mod = await loadSystemModule();
  if (typeof mod === 'string') {
    log(`system: ${mod}`);
    return chosen.map((c) => ({ size: c.size.label, error: mod }));
  }
  const entries: SystemEntry[] = [];
  for (const c of chosen) {
    log(`system: ${c.size.label}…`);
    const t = performance.now();
    try {
      // At 1M start-up and writes are measured (their targets are there); HTTP and freshness are judged at 100k.
      const parts: Array<'http' | 'freshness' | 'startup' | 'writes'> = c.size.label === '1m' ? ['startup', 'writes'] : ['http', 'freshness', 'startup', 'writes'];
      const result = await mod.runSystemBenchmarks({ size: c.size.label, corpusDir: c.dir, queries: c.queries.plain.map((q) => q.q), runs: options.runs, parts });
      entries.push({ size: c.size.label, result, wallMs: Math.round(performance.now() - t) });
      const { http, freshness, startup, writes } = result;
      log(`system: ${c.size.label} done in ${((performance.now() - t) / 1000).toFixed(0)} s: ${JSON.stringify({ http, freshness, startup, writes })}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      entries.push({ size: c.size.label, error: `failed: ${message}`, wallMs: Math.round(performance.now() - t) });
      log(`system: ${c.size.label} FAILED: ${message}`);
    }
  }
  return entries;
}

function gitFacts(): BenchResults['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const command = process.env.npm_lifecycle_event === 'bench' ? `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}` : `node --expose-gc --import tsx bench/run.ts ${argv.join(' ')}`.trim();
  const loadAvgStart = loadAverage();
  log(`${command}: sizes ${options.sizes.join(', ')}${options.ud ? ' + ud' : ''}, ${options.runs} run(s), engines ${options.engines.join(', ')}; load average ${loadAvgStart.join(' ')}`);

  const corpora = options.sizes.map((label) => prepareSynthetic(label, options.seed));
  if (options.ud) corpora.push(prepareUd(options.seed));
  for (const corpus of corpora) await runEngines(corpus, options);

  const system = options.system ? await runSystem(corpora, options) : [];

  log('stemmer…');
  let stemmer: BenchResults['stemmer'];
  try {
    stemmer = JSON.parse(await runChild('stemmer.ts', ['--json'], [0, 1])) as StemmerResult;
    log(`stemmer: ours / ${stemmer.fastestPort} = ${stemmer.ratio}×`);
  } catch (error) {
    stemmer = { error: error instanceof Error ? error.message : String(error) };
  }

  // The analyzer over the 100k corpus, or the largest synthetic one up to 100k when 100k is not in this run.
  const analyzerCorpus = corpora
    .filter((c) => c.size.kind === 'synthetic' && c.size.paragraphs <= 100_000)
    .reduce<PreparedCorpus | undefined>((a, b) => (a === undefined || b.size.paragraphs > a.size.paragraphs ? b : a), undefined);
  let analyzer: BenchResults['analyzer'];
  if (analyzerCorpus) {
    log(`analyzer over ${analyzerCorpus.size.label}…`);
    try {
      const r = JSON.parse(await runChild('analyzer-throughput.ts', ['--corpus', analyzerCorpus.dir, '--passes', '3'])) as AnalyzerResult;
      analyzer = { ...r, corpus: analyzerCorpus.size.corpusDir };
      log(`analyzer: ${r.parPerSec.toLocaleString('en-US')} par/s, ${r.wordsPerSec.toLocaleString('en-US')} words/s`);
    } catch (error) {
      analyzer = { error: error instanceof Error ? error.message : String(error) };
    }
  }

  const cpus = os.cpus();
  const partial: Omit<BenchResults, 'targets'> = {
    date: new Date().toISOString(),
    command,
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAvgStart,
      loadAvgEnd: loadAverage(),
    },
    git: gitFacts(),
    options,
    wallMs: Math.round(performance.now() - started),
    sizes: corpora.map((c) => c.size),
    system,
    ...(stemmer !== undefined ? { stemmer } : {}),
    ...(analyzer !== undefined ? { analyzer } : {}),
  };
  // The run recorded before this one (bench/results.json as committed), for the targets that compare with it.
  const previousFile = join(BENCH_DIR, 'results.json');
  const previous = existsSync(previousFile) ? (JSON.parse(readFileSync(previousFile, 'utf8')) as BenchResults) : null;
  const results: BenchResults = { ...partial, targets: evaluateTargets(partial, previous) };
  writeFileSync(previousFile, `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results, BENCH_DIR);

  console.log('\ntargets:');
  for (const t of results.targets) console.log(`  ${t.status === 'MISS' ? '!! MISS' : t.status.padEnd(7)} ${t.text}: ${t.measured} (limit ${t.limit})`);
  const misses = results.targets.filter((t) => t.status === 'MISS').length;
  const wall = results.wallMs;
  console.log(`\n${misses} target(s) missed. Wrote bench/results.json, bench/RESULTS.md, bench/results.svg in ${(wall / 60_000).toFixed(1)} min.`);
  if (wall > BUDGET_MS) log(`note: this run took ${(wall / 60_000).toFixed(1)} min, over the ${BUDGET_MS / 60_000}-minute budget of a default run`);
  if (corpora.some((c) => c.size.engines.some((e) => e.errors.length > 0))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
