/**
 * `npx tsx scripts/folding-study.ts`: measures where diacritic folding should go relative to stemming,
 * on real Dutch words (../shared): fold-then-stem (A), stem-then-fold (B), and B with A's stem as an
 * extra term where they differ (C, what the analyzer does). Evidence for DESIGN.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stemDutch } from '../src/analysis/dutch-stemmer.js';
import { foldDiacritics } from '../src/analysis/normalize.js';
import { SHARED_DIR } from '../bench/words.js';

const vocPath = join(SHARED_DIR, 'snowball-dutch', 'voc.txt');
const freqPath = join(SHARED_DIR, 'dutch-frequencies', 'nl-ud-word-frequencies.tsv');
if (!existsSync(vocPath) || !existsSync(freqPath)) {
  console.error(`folding-study: needs ${vocPath} and ${freqPath}`);
  process.exit(1);
}

const A = (w: string) => stemDutch(foldDiacritics(w));
const B = (w: string) => foldDiacritics(stemDutch(w));
const C = (w: string) => new Set([B(w), A(w)]);
const hasDiacritics = (w: string) => foldDiacritics(w) !== w;
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;

// 1. Snowball's vocabulary: which of its conflations survive, and do diacritic-free queries still meet the word?
const voc = readFileSync(vocPath, 'utf8').split('\n').filter(Boolean);
const byStem = new Map<string, string[]>();
for (const w of voc) {
  const s = stemDutch(w);
  byStem.set(s, [...(byStem.get(s) ?? []), w]);
}
let diacriticWords = 0;
let queryMissB = 0;
let pairs = 0;
let pairsKeptA = 0;
let pairsKeptB = 0;
let pairsKeptC = 0;
const brokenByA: string[] = [];
for (const w of voc) {
  if (!hasDiacritics(w)) continue;
  diacriticWords++;
  // A query typed without diacritics is analyzed like the folded word.
  if (B(foldDiacritics(w)) !== B(w)) queryMissB++;
  for (const v of byStem.get(stemDutch(w))!) {
    if (v === w) continue;
    pairs++;
    if (A(w) === A(v)) pairsKeptA++;
    else if (brokenByA.length < 8) brokenByA.push(`${w}/${v}`);
    if (B(w) === B(v)) pairsKeptB++;
    const cv = C(v);
    if ([...C(w)].some((t) => cv.has(t))) pairsKeptC++;
  }
}
console.log(`Snowball vocabulary: ${voc.length} words, ${diacriticWords} with diacritics`);
console.log(`  diacritic-free query misses the word: A 0 (by construction), B ${queryMissB} (${pct(queryMissB, diacriticWords)}), C 0 (by construction)`);
console.log(`  Snowball conflations kept (${pairs} pairs with a diacritic word): A ${pct(pairsKeptA, pairs)}, B ${pct(pairsKeptB, pairs)}, C ${pct(pairsKeptC, pairs)}`);
console.log(`  broken by A, e.g.: ${brokenByA.join(', ')}`);

// 2. Real running text (UD Dutch treebanks, token-weighted): how often do the orders differ, and what does C cost?
const rows = readFileSync(freqPath, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
let tokens = 0;
let diacriticTokens = 0;
let differ = 0;
const examples: string[] = [];
for (const [word, count] of rows) {
  const n = Number(count);
  tokens += n;
  if (!/\p{L}/u.test(word!) || !hasDiacritics(word!)) continue;
  diacriticTokens += n;
  if (A(word!) !== B(word!)) {
    differ += n;
    if (examples.length < 8) examples.push(`${word} (A ${A(word!)}, B ${B(word!)})`);
  }
}
console.log(`UD Dutch running text: ${tokens} tokens, ${diacriticTokens} (${pct(diacriticTokens, tokens)}) with diacritics`);
console.log(`  A and B differ on ${differ} tokens (${pct(differ, diacriticTokens)} of those; ${pct(differ, tokens)} of all): C indexes a second term there`);
console.log(`  e.g.: ${examples.join('; ')}`);
