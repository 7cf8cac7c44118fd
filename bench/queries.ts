/**
 * The benchmark's queries: 1–3 content words taken from real paragraphs of a corpus, as a user would type
 * them, plus typo and prefix variants for our engine. Deterministic for a corpus and a seed.
 *
 * Usage: tsx bench/queries.ts --corpus DIR [--seed 1] [--out FILE]
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFunctionWord, readArticles } from './corpus.js';
import { Rng } from './random.js';

/**
 * Bump when the queries for a given corpus and seed change: cached query files of another version are redone.
 * Version 2 added phrase and exclusion queries; the plain, typo and prefix ones are drawn first, as before,
 * so they are the same queries as version 1's.
 */
export const QUERY_VERSION = 2;
export const DEFAULT_QUERY_COUNT = 2_000;
export const WARMUP_QUERY_COUNT = 200;
/** One in five plain queries gets a typo variant, and one in five a prefix variant. */
const VARIANT_SHARE = 1 / 5;
/** Reading a 1M corpus to pick 2,200 paragraphs is waste: a stride sample of this many articles is read. */
const MAX_SAMPLE_ARTICLES = 7_000;
/** How many words a query has: 1 (35%), 2 (40%) or 3 (25%). */
const WORD_COUNT_WEIGHTS = [0.35, 0.4, 0.25];
const TYPO_MIN_LETTERS = 5;
const PREFIX_LETTERS = [4, 6] as const;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export type QueryKind = 'plain' | 'typo' | 'prefix' | 'phrase' | 'exclusion' | 'warmup';

export interface BenchQuery {
  q: string;
  kind: QueryKind;
}

export interface QuerySet {
  version: number;
  seed: number;
  /** Where the paragraphs came from, and how many were sampled. */
  source: { corpus: string; paragraphs: number };
  /** Run before timing, never timed; distinct from the timed queries, so no engine meets a timed query twice. */
  warmup: BenchQuery[];
  plain: BenchQuery[];
  typo: BenchQuery[];
  prefix: BenchQuery[];
  /** 2–3 words standing together in a paragraph, function words included, in quotes (`"de eerste minister"`). */
  phrase: BenchQuery[];
  /** A plain query of 1–2 words minus a frequent content word (`minister -regering`). */
  exclusion: BenchQuery[];
}

/** A query word: letters only (no digits, hyphens or apostrophes, which tokenizers split differently). */
const QUERY_WORD = /^\p{L}{2,}$/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * The content words of a paragraph, once each, in order, as a user would type them: lowercase, except a
 * capitalised word inside a sentence (a name), which keeps its capital.
 */
function contentWords(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let sentenceStart = true;
  for (const raw of text.split(' ')) {
    const word = raw.replace(EDGE_PUNCTUATION, '');
    const typed = sentenceStart ? word.toLowerCase() : word;
    sentenceStart = /[.!?]["'»)]*$/.test(raw);
    if (!QUERY_WORD.test(word) || isFunctionWord(word)) continue;
    const key = word.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(typed);
  }
  return out;
}

/** Paragraph texts of a corpus folder, or of a stride sample of its articles when it is large. */
function sampleParagraphs(corpusDir: string): string[] {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.txt'));
  if (files.length <= MAX_SAMPLE_ARTICLES) return readArticles(corpusDir).flatMap((a) => a.paragraphs);
  // readArticles reads a whole folder; for a sample, read the chosen files through a filtered view.
  const chosen = new Set<string>();
  const sorted = files.sort();
  const step = sorted.length / MAX_SAMPLE_ARTICLES;
  for (let i = 0; i < MAX_SAMPLE_ARTICLES; i++) chosen.add(sorted[Math.floor(i * step)]!);
  return readArticles(corpusDir, (f) => chosen.has(f)).flatMap((a) => a.paragraphs);
}

/**
 * Generates the query lists for a corpus.
 *
 * Each query comes from one random paragraph, so an AND query has at least that paragraph as a hit. Half the
 * queries take the paragraph's words weighted by how many paragraphs of the corpus hold them (so frequent
 * words, with long postings lists, are well represented), half take them uniformly (so rare words are too).
 * @param source  a corpus folder, or its paragraphs (texts or `{text}` documents)
 */
export function generateQueries(source: string | readonly (string | { text: string })[], n = DEFAULT_QUERY_COUNT, seed = 1): QuerySet {
  const paragraphs = typeof source === 'string' ? sampleParagraphs(source) : source.map((p) => (typeof p === 'string' ? p : p.text));
  const words = paragraphs.map(contentWords);
  // Document frequency over the sample, case-folded.
  const df = new Map<string, number>();
  for (const list of words) for (const w of list) {
    const key = w.toLowerCase();
    df.set(key, (df.get(key) ?? 0) + 1);
  }

  const rng = new Rng(seed ^ 0x9e77);
  const seen = new Set<string>();
  const draw = (kind: QueryKind): BenchQuery => {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const candidates = words[rng.int(words.length)]!;
      if (candidates.length === 0) continue;
      const k = Math.min(candidates.length, 1 + weightedIndex(rng, WORD_COUNT_WEIGHTS));
      const weights = rng.chance(0.5) ? candidates.map((w) => df.get(w.toLowerCase()) ?? 1) : candidates.map(() => 1);
      const picked = pickWithoutReplacement(rng, weights, k).sort((a, b) => a - b); // in reading order
      const q = picked.map((i) => candidates[i]!).join(' ');
      if (seen.has(q.toLowerCase())) continue;
      seen.add(q.toLowerCase());
      return { q, kind };
    }
    throw new Error('queries: cannot find enough distinct queries in this corpus');
  };

  const warmup = Array.from({ length: WARMUP_QUERY_COUNT }, () => draw('warmup'));
  const plain = Array.from({ length: n }, () => draw('plain'));
  const variants = Math.round(n * VARIANT_SHARE);

  const typoBase = spread(plain.filter((p) => p.q.split(' ').some((w) => [...w].length >= TYPO_MIN_LETTERS)), variants, 0);
  const typo = typoBase.map(({ q }): BenchQuery => {
    const parts = q.split(' ');
    const long = parts.map((w, i) => ({ w, i })).filter(({ w }) => [...w].length >= TYPO_MIN_LETTERS);
    const target = rng.pick(long);
    parts[target.i] = withTypo(rng, target.w);
    return { q: parts.join(' '), kind: 'typo' };
  });

  const prefixBase = spread(plain.filter((p) => [...p.q.split(' ').at(-1)!].length > PREFIX_LETTERS[0]), variants, 0.5);
  const prefix = prefixBase.map(({ q }): BenchQuery => {
    const parts = q.split(' ');
    const last = [...parts.at(-1)!];
    const keep = rng.between(PREFIX_LETTERS[0], Math.min(PREFIX_LETTERS[1], last.length - 1));
    parts[parts.length - 1] = `${last.slice(0, keep).join('')}*`;
    return { q: parts.join(' '), kind: 'prefix' };
  });

  // Phrases: a window of 2–3 consecutive words of a random paragraph, half of them starting at a function
  // word (they keep their place in a phrase), so every phrase has at least that paragraph as a hit.
  const phrases = new Set<string>();
  const phrase: BenchQuery[] = [];
  for (let attempt = 0; phrase.length < variants && attempt < variants * 1000; attempt++) {
    const tokens = paragraphs[rng.int(paragraphs.length)]!.split(' ').map((t) => t.replace(EDGE_PUNCTUATION, ''));
    const length = rng.chance(0.5) ? 2 : 3;
    if (tokens.length < length) continue;
    const at = rng.int(tokens.length - length + 1);
    const window = tokens.slice(at, at + length);
    if (!window.every((w) => QUERY_WORD.test(w)) || window.every(isFunctionWord)) continue;
    if (rng.chance(0.5) !== isFunctionWord(window[0]!)) continue;
    const q = `"${window.join(' ').toLowerCase()}"`;
    if (phrases.has(q)) continue;
    phrases.add(q);
    phrase.push({ q, kind: 'phrase' });
  }
  // Exclusions: a plain query of one or two words without the paragraphs holding a frequent word.
  const frequent = [...df].filter(([w]) => QUERY_WORD.test(w)).sort((a, b) => b[1] - a[1]).slice(0, 50).map(([w]) => w);
  const exclusionBase = spread(plain.filter((p) => p.q.split(' ').length <= 2), variants, 0.25);
  const exclusion = exclusionBase.map(({ q }): BenchQuery => {
    const own = new Set(q.toLowerCase().split(' '));
    const word = rng.pick(frequent.filter((w) => !own.has(w)));
    return { q: `${q} -${word}`, kind: 'exclusion' };
  });

  return {
    version: QUERY_VERSION,
    seed,
    source: { corpus: typeof source === 'string' ? source : '(paragraphs)', paragraphs: paragraphs.length },
    warmup,
    plain,
    typo,
    prefix,
    phrase,
    exclusion,
  };
}

/** `count` items spread evenly over `items` (in order), starting `phase` of a step in. */
function spread<T>(items: readonly T[], count: number, phase: number): T[] {
  if (items.length < count) throw new Error(`queries: only ${items.length} queries qualify for ${count} variants`);
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i + phase) * step)]!);
}

function weightedIndex(rng: Rng, weights: readonly number[]): number {
  let r = rng.float() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function pickWithoutReplacement(rng: Rng, weights: readonly number[], k: number): number[] {
  const w = [...weights];
  const picked: number[] = [];
  for (let j = 0; j < k; j++) {
    const i = weightedIndex(rng, w);
    picked.push(i);
    w[i] = 0;
  }
  return picked;
}

/** One edit: substitution, deletion, insertion or transposition of two neighbours, never a no-op. */
export function withTypo(rng: Rng, word: string): string {
  const chars = [...word];
  for (;;) {
    const c = [...chars];
    const at = rng.int(c.length);
    switch (rng.int(4)) {
      case 0:
        c[at] = rng.pick([...LETTERS]);
        break;
      case 1:
        c.splice(at, 1);
        break;
      case 2:
        c.splice(at, 0, rng.pick([...LETTERS]));
        break;
      default: {
        const i = Math.min(at, c.length - 2);
        [c[i], c[i + 1]] = [c[i + 1]!, c[i]!];
      }
    }
    const typo = c.join('');
    if (typo.toLowerCase() !== word.toLowerCase()) return typo;
  }
}

/** The cached query set in `file` when it matches this version and seed, else a new one written there. */
export function ensureQueries(corpusDir: string, file: string, seed: number, log: (line: string) => void = () => {}): QuerySet {
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as QuerySet;
    if (cached.version === QUERY_VERSION && cached.seed === seed && cached.plain.length === DEFAULT_QUERY_COUNT) return cached;
  }
  const started = performance.now();
  const set = generateQueries(corpusDir, DEFAULT_QUERY_COUNT, seed);
  writeFileSync(file, `${JSON.stringify(set)}\n`);
  log(
    `generated ${set.plain.length} queries (+${set.typo.length} typo, ${set.prefix.length} prefix, ${set.phrase.length} phrase, ` +
      `${set.exclusion.length} exclusion) from ${set.source.paragraphs} paragraphs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return set;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const corpus = get('corpus');
  if (corpus === undefined) throw new Error('usage: tsx bench/queries.ts --corpus DIR [--seed 1] [--out FILE]');
  const set = generateQueries(resolve(corpus), DEFAULT_QUERY_COUNT, Number(get('seed') ?? 1));
  const out = get('out');
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(set)}\n`);
  else for (const list of [set.plain, set.typo, set.prefix, set.phrase, set.exclusion]) for (const { q, kind } of list) console.log(`${kind}\t${q}`);
}
