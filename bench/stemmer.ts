/**
 * `npm run bench:stem`: words per second of our Kraaij-Pohlmann stemmer against the npm Porter ports,
 * all warmed up and measured in one process, round-robin so that machine noise hits each alike.
 */
import { createRequire } from 'node:module';
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

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const WARMUP_ROUNDS = 5;
const { words, source } = benchmarkWords();
// Each timed pass stems about 200k words, long enough to dwarf timer resolution.
const REPEAT = Math.max(1, Math.round(200_000 / words.length));

let sink = 0; // keeps the optimiser from discarding the stems
function pass(stem: (word: string) => string): number {
  const start = process.hrtime.bigint();
  for (let r = 0; r < REPEAT; r++) for (let i = 0; i < words.length; i++) sink += stem(words[i]!).length;
  const ns = Number(process.hrtime.bigint() - start);
  return (REPEAT * words.length) / (ns / 1e9);
}

for (let r = 0; r < WARMUP_ROUNDS; r++) for (const c of contenders) pass(c.stem);
const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (let r = 0; r < ROUNDS; r++) for (const c of contenders) rates.get(c.name)!.push(pass(c.stem));

const medians = contenders.map((c) => ({ ...c, rate: median(rates.get(c.name)!) }));
const ours = medians[0]!;
const fastestPort = medians.slice(1).reduce((a, b) => (b.rate > a.rate ? b : a));
const ratio = ours.rate / fastestPort.rate;

console.log(`stemmer throughput: ${source}, ${ROUNDS} rounds of ${REPEAT * words.length} words each, medians`);
console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log('');
console.log('| stemmer | algorithm | words/s (median) |');
console.log('|---|---|---|');
for (const m of medians) console.log(`| ${m.name} | ${m.algorithm} | ${Math.round(m.rate).toLocaleString('en-US')} |`);
console.log('');
const target = 1.5;
const verdict = ratio >= target ? 'meets' : 'MISSES';
console.log(`ratio ours / fastest Porter port (${fastestPort.name}): ${ratio.toFixed(2)}x — ${verdict} the ${target}x target`);
console.log(`checksum (total stem length, all passes): ${sink}`);
process.exitCode = ratio >= target ? 0 : 1;
