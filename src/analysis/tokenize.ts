/**
 * Cuts text into words with their `[start, end)` offsets (UTF-16 code units into the original string),
 * without changing a character. A word is a run of letters, digits and combining marks; Dutch joins:
 *   - an apostrophe between a letter or digit and a letter stays inside the word (zo'n, auto's, A4'tje);
 *   - a clitic 's 't 'n 'k after a non-word character is a word of its own ('s avonds, 't is);
 *   - `.` `,` `:` between digits stay inside numbers (17.00, 10.000, 3,5);
 *   - a soft hyphen between word characters stays inside the word;
 *   - a hyphen between word characters joins parts into one compound word (Kremlin-woordvoerder).
 * One pass, each code unit looked at a bounded number of times: linear in the text's length.
 */

const WORD = 1;
const LETTER = 2;
const DIGIT = 4;

/** Character classes of the BMP, filled lazily (bit 7 marks "computed"). */
const BMP_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) {
  let k = 0x80;
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) k |= WORD | LETTER;
  else if (c >= 0x30 && c <= 0x39) k |= WORD | DIGIT;
  BMP_CLASS[c] = k;
}
// Lone surrogates are never word characters; pairs are classified as whole code points.
for (let c = 0xd800; c <= 0xdfff; c++) BMP_CLASS[c] = 0x80;

const LETTER_RE = /^\p{L}$/u;
const DIGIT_RE = /^\p{N}$/u;
const MARK_RE = /^\p{M}$/u;

function classifyCodePoint(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (LETTER_RE.test(ch)) return WORD | LETTER;
  if (DIGIT_RE.test(ch)) return WORD | DIGIT;
  if (MARK_RE.test(ch)) return WORD;
  return 0;
}

/** Class bits of the code point starting at `i` (0 past the end). */
function classAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return classifyCodePoint(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
    return 0;
  }
  let k = BMP_CLASS[c]!;
  if (k === 0) {
    k = 0x80 | classifyCodePoint(c);
    BMP_CLASS[c] = k;
  }
  return k & 0x7f;
}

/** Class bits of the code point that ends just before `i` (0 at the start). */
function classBefore(text: string, i: number): number {
  if (i <= 0) return 0;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return classAt(text, i - 2);
  }
  return classAt(text, i - 1);
}

/** Width in code units of the code point at `i`. */
function widthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return 2;
  }
  return 1;
}

function isApostrophe(c: number): boolean {
  // ' ’ ‘ ´ (ʼ U+02BC is a letter, so it is inside words anyway)
  return c === 0x27 || c === 0x2019 || c === 0x2018 || c === 0xb4;
}

function isHyphen(c: number): boolean {
  // - ‐ ‑ (hyphen-minus, hyphen, non-breaking hyphen); dashes – — separate words
  return c === 0x2d || c === 0x2010 || c === 0x2011;
}

function isNumberJoiner(c: number): boolean {
  return c === 0x2e || c === 0x2c || c === 0x3a; // . , :
}

const SOFT_HYPHEN = 0xad;

/** Is there a clitic ('s 't 'n 'k standing alone) at `i`? */
function cliticAt(text: string, i: number): boolean {
  if (!isApostrophe(text.charCodeAt(i))) return false;
  const letter = text.charCodeAt(i + 1) | 0x20; // ASCII lowercase
  if (letter !== 0x73 && letter !== 0x74 && letter !== 0x6e && letter !== 0x6b) return false;
  return (classAt(text, i + 2) & WORD) === 0 && (classBefore(text, i) & WORD) === 0;
}

/** End of the word part (atom) that starts at `i` with a word character. */
function atomEnd(text: string, i: number): number {
  const n = text.length;
  let last = 0; // class of the last word character consumed
  while (i < n) {
    const c = text.charCodeAt(i);
    // ASCII letters and digits, most of any Dutch text, without the general lookups.
    if (c < 0x80) {
      const a = BMP_CLASS[c]! & 0x7f;
      if (a !== 0) {
        last = a;
        i++;
        continue;
      }
    } else {
      const k = classAt(text, i);
      if ((k & WORD) !== 0) {
        last = k;
        i += widthAt(text, i);
        continue;
      }
    }
    const next = classAt(text, i + 1);
    if (isApostrophe(c) && (next & LETTER) !== 0) i += 1;
    else if (isNumberJoiner(c) && (last & DIGIT) !== 0 && (next & DIGIT) !== 0) i += 1;
    else if (c === SOFT_HYPHEN && (next & WORD) !== 0) i += 1;
    else break;
  }
  return i;
}

/**
 * Calls `visit(start, end, parts)` for each word of `text`, in order. `parts` holds the bounds of the
 * word's hyphen-separated parts as `[start0, end0, start1, end1, ...]`; it is reused between calls,
 * so copy what you keep. A word without hyphens has one part equal to the word.
 */
export function forEachWord(
  text: string,
  visit: (start: number, end: number, parts: readonly number[]) => void,
): void {
  const n = text.length;
  // One reused pair for the plain word (most words): resizing an array costs a runtime call per word.
  const single = [0, 0];
  let i = 0;
  while (i < n) {
    const k = classAt(text, i);
    let partEnd: number;
    if ((k & WORD) !== 0) partEnd = atomEnd(text, i);
    else if (cliticAt(text, i)) partEnd = i + 2;
    else {
      i += widthAt(text, i);
      continue;
    }
    const start = i;
    i = partEnd;
    // Hyphen-joined parts: a hyphen with a word character right after it.
    if (i < n && isHyphen(text.charCodeAt(i)) && (classAt(text, i + 1) & WORD) !== 0) {
      const parts = [start, partEnd];
      do {
        const partStart = i + 1;
        i = atomEnd(text, partStart);
        parts.push(partStart, i);
      } while (i < n && isHyphen(text.charCodeAt(i)) && (classAt(text, i + 1) & WORD) !== 0);
      visit(start, i, parts);
      continue;
    }
    single[0] = start;
    single[1] = partEnd;
    visit(start, partEnd, single);
  }
}

/** Does the text contain a digit (any script)? Numbers are indexed as written, never stemmed. */
export function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i += widthAt(word, i)) if ((classAt(word, i) & DIGIT) !== 0) return true;
  return false;
}
