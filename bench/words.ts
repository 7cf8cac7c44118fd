/** Word lists for the benchmarks: Snowball's Dutch vocabulary, or the bundled article when ../shared is absent. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

/** Distinct lowercase Dutch words, with a note saying where they came from. */
export function benchmarkWords(): { words: string[]; source: string } {
  const voc = join(SHARED_DIR, 'snowball-dutch', 'voc.txt');
  if (existsSync(voc)) {
    const words = readFileSync(voc, 'utf8').split('\n').filter((w) => w.length > 0);
    return { words, source: `Snowball's Dutch vocabulary (${words.length} words)` };
  }
  const dir = join(REPO_ROOT, 'data', 'articles');
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join(' ');
  const words = [...new Set(text.toLowerCase().match(/\p{L}+/gu) ?? [])];
  return { words, source: `the bundled articles (${words.length} words; ../shared is absent)` };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
