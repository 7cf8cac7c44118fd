/**
 * `npm run bench:stem`: words per second of our Kraaij-Pohlmann stemmer against the npm Porter ports,
 * all warmed up and measured in one process, round-robin so that machine noise hits each alike.
 * `--json` prints the result as one JSON line instead (what `npm run bench` reads).
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stemmer as oramaDutch } from '@orama/stemmers/dutch';
import { stemDutch } from '../src/analysis/dutch-stemmer.js';
import { benchmarkWords, median } from './words.js';

const require = createRequire(import.meta.url);
const lunr = require('lunr');
require('lunr-languages/lunr.stemmer.support.js')(lunr);
require('lunr-languages/lunr.nl.js')(lunr);
const lunrDutch: (word: string) => string = lunr.nl.stemmer;

interface Contender {
  name: string;
  algorithm: string;
  stem: (word: string) => string;
}

const contenders: Contender[] = [
  { name: 'nieuwszoeker stemDutch', algorithm: 'Snowball dutch (Kraaij-Pohlmann)', stem: stemDutch },
  { name: '@orama/stemmers/dutch', algorithm: 'Snowball dutch_porter', stem: oramaDutch },
  { name: 'lunr-languages nl', algorithm: 'Snowball dutch_porter', stem: lunrDutch },
];

/** The ratio ours / fastest Porter port that the stemmer must reach. */
export const STEMMER_TARGET = 1.5;
const WARMUP_ROUNDS = 5;

export interface StemmerResult {
  source: string;
  rounds: number;
  wordsPerPass: number;
  node: string;
  stemmers: Array<{ name: string; algorithm: string; wordsPerSec: number }>;
  fastestPort: string;
  /** Ours / fastest Porter port. */
  ratio: number;
  target: number;
  checksum: number;
}

/** Median words/s of each stemmer over `rounds` round-robin passes (after 5 warm-up rounds). */
export function measureStemmers(rounds = 15): StemmerResult {
  const { words, source } = benchmarkWords();
  // Each timed pass stems about 200k words, long enough to dwarf timer resolution.
  const repeat = Math.max(1, Math.round(200_000 / words.length));
  let sink = 0; // keeps the optimiser from discarding the stems
  const pass = (stem: (word: string) => string): number => {
    const start = process.hrtime.bigint();
    for (let r = 0; r < repeat; r++) for (let i = 0; i < words.length; i++) sink += stem(words[i]!).length;
    const ns = Number(process.hrtime.bigint() - start);
    return (repeat * words.length) / (ns / 1e9);
  };

  for (let r = 0; r < WARMUP_ROUNDS; r++) for (const c of contenders) pass(c.stem);
  const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) for (const c of contenders) rates.get(c.name)!.push(pass(c.stem));

  const stemmers = contenders.map((c) => ({ name: c.name, algorithm: c.algorithm, wordsPerSec: Math.round(median(rates.get(c.name)!)) }));
  const ours = stemmers[0]!;
  const fastestPort = stemmers.slice(1).reduce((a, b) => (b.wordsPerSec > a.wordsPerSec ? b : a));
  return {
    source,
    rounds,
    wordsPerPass: repeat * words.length,
    node: process.version,
    stemmers,
    fastestPort: fastestPort.name,
    ratio: Math.round((ours.wordsPerSec / fastestPort.wordsPerSec) * 100) / 100,
    target: STEMMER_TARGET,
    checksum: sink,
  };
}

function main(): void {
  const result = measureStemmers(Number(process.env.ROUNDS ?? 15));
  const meets = result.ratio >= result.target;
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`stemmer throughput: ${result.source}, ${result.rounds} rounds of ${result.wordsPerPass} words each, medians`);
    console.log(`node ${process.version}, ${new Date().toISOString()}`);
    console.log('');
    console.log('| stemmer | algorithm | words/s (median) |');
    console.log('|---|---|---|');
    for (const s of result.stemmers) console.log(`| ${s.name} | ${s.algorithm} | ${s.wordsPerSec.toLocaleString('en-US')} |`);
    console.log('');
    const verdict = meets ? 'meets' : 'MISSES';
    console.log(`ratio ours / fastest Porter port (${result.fastestPort}): ${result.ratio.toFixed(2)}x — ${verdict} the ${result.target}x target`);
    console.log(`checksum (total stem length, all passes): ${result.checksum}`);
  }
  process.exitCode = meets ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
