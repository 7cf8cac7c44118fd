/**
 * Scores the compound splitter on the two lists beside this script: common words that are not compounds
 * (any split is a false split) and compounds with their gold split (right only when every part boundary
 * is). Usage: npm run eval:compounds [-- --show 20]  (prints the scores and the first misses of each list).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatSplit, splitCompound } from '../src/analysis/decompound.js';
import { compoundLexicon, type CompoundLexicon } from '../src/analysis/lexicon.js';

export interface CompoundScores {
  nonCompounds: { words: number; split: number; rate: number; misses: string[] };
  compounds: { words: number; right: number; rate: number; unsplit: number; misses: string[] };
}

/** The entries of a list: non-comment lines, `word` or `word<TAB>split`. */
export function readList(file: string): Array<[string, string]> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [word, split] = line.trim().split('\t') as [string, string?];
      return [word, split ?? word];
    });
}

const here = (name: string) => fileURLToPath(new URL(`compounds/${name}`, import.meta.url));

export function scoreCompounds(lexicon: CompoundLexicon = compoundLexicon()): CompoundScores {
  const plain = readList(here('non-compounds.txt'));
  const split = plain.filter(([word]) => splitCompound(word, lexicon) !== null);
  const compounds = readList(here('compounds.txt'));
  const wrong: string[] = [];
  let unsplit = 0;
  for (const [word, gold] of compounds) {
    const parts = splitCompound(word, lexicon);
    if (parts === null) unsplit++;
    const ours = formatSplit(word, parts);
    if (ours !== gold) wrong.push(`${word}: ${ours} (gold ${gold})`);
  }
  return {
    nonCompounds: { words: plain.length, split: split.length, rate: split.length / plain.length, misses: split.map(([w]) => `${w}: ${formatSplit(w, splitCompound(w, lexicon))}`) },
    compounds: { words: compounds.length, right: compounds.length - wrong.length, rate: (compounds.length - wrong.length) / compounds.length, unsplit, misses: wrong },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const show = Number(process.argv[process.argv.indexOf('--show') + 1]) || 15;
  const started = performance.now();
  const lexicon = compoundLexicon();
  const loaded = performance.now();
  const s = scoreCompounds(lexicon);
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  console.log(`lexicon: OpenTaal ${lexicon.release}, read in ${Math.round(loaded - started)} ms`);
  console.log(`non-compounds: ${s.nonCompounds.split} of ${s.nonCompounds.words} split (${pct(s.nonCompounds.rate)}; target under 1%)`);
  for (const m of s.nonCompounds.misses.slice(0, show)) console.log(`  false split  ${m}`);
  console.log(`compounds:     ${s.compounds.right} of ${s.compounds.words} split right (${pct(s.compounds.rate)}; target over 90%), ${s.compounds.unsplit} left whole`);
  for (const m of s.compounds.misses.slice(0, show)) console.log(`  wrong        ${m}`);
  const ok = s.nonCompounds.rate < 0.01 && s.compounds.rate > 0.9;
  console.log(ok ? 'both targets met' : 'a target is missed');
  process.exitCode = ok ? 0 : 1;
}
