/**
 * `npm run --silent stem [-- --porter]`: reads words on stdin, one a line, and prints one stem a line,
 * in the same order and count. The stemmer's debugging tool and its conformance interface.
 */
import { createInterface } from 'node:readline';
import { stemmerByName, type StemmerName } from '../analysis/stemmers.js';

const name: StemmerName = process.argv.includes('--porter') ? 'dutch_porter' : 'dutch';
const stem = stemmerByName(name);

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out: string[] = [];
for await (const line of lines) {
  out.push(stem(line));
  if (out.length >= 4096) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
}
if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
