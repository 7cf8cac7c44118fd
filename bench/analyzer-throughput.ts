/**
 * Throughput of our analyzer's indexing path (`createAnalyzer().indexTerms`) over a corpus's paragraphs:
 * paragraphs, words and index terms per second. Prints one JSON line.
 *
 * Usage: node --import tsx bench/analyzer-throughput.ts --corpus DIR [--passes 3]
 */
import { createAnalyzer } from '../src/analysis/analyzer.js';
import { readArticles } from './corpus.js';
import { median } from './words.js';

export interface AnalyzerResult {
  paragraphs: number;
  /** Words as the analyzer's tokenizer counts them (stopwords included). */
  words: number;
  /** Index terms produced per pass. */
  terms: number;
  passes: number;
  parPerSec: number;
  wordsPerSec: number;
  termsPerSec: number;
}

function main(): void {
  const args = process.argv.slice(2);
  const at = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = at('corpus');
  if (dir === undefined) throw new Error('usage: analyzer-throughput --corpus DIR [--passes 3]');
  const passes = Number(at('passes') ?? 3);
  const paragraphs = readArticles(dir).flatMap((a) => a.paragraphs);
  const analyzer = createAnalyzer();

  let words = 0;
  for (const p of paragraphs) words += analyzer.tokenize(p).length;
  // Warm-up: one pass over up to 20,000 paragraphs, so the timed passes run optimised code.
  let terms = 0;
  for (const p of paragraphs.slice(0, 20_000)) terms += analyzer.indexTerms(p).length;

  const rates: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    terms = 0;
    const started = performance.now();
    for (let i = 0; i < paragraphs.length; i++) terms += analyzer.indexTerms(paragraphs[i]!).length;
    rates.push(paragraphs.length / ((performance.now() - started) / 1000));
  }
  const parPerSec = median(rates);
  const result: AnalyzerResult = {
    paragraphs: paragraphs.length,
    words,
    terms,
    passes,
    parPerSec: Math.round(parPerSec),
    wordsPerSec: Math.round((parPerSec * words) / paragraphs.length),
    termsPerSec: Math.round((parPerSec * terms) / paragraphs.length),
  };
  console.log(JSON.stringify(result));
}

main();
