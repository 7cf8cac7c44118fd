/**
 * Where each word of each paragraph stands, for phrase queries: MiniSearch stores no positions, so this is a
 * forward index of our own. Each position (a word, or a compound's part; stopwords included) is a *symbol*
 * — an integer standing for the position's key (its index terms, or the stopword it is) — and each
 * paragraph's symbols are stored as varints, one after the other, in shared chunks: no object per paragraph.
 * DESIGN.md ("Positions") has the layout and its measured cost.
 */
import { KEY_TERM_SEPARATOR, WORD_MEMO_SIZE, termsOfKey, positionKey } from '../analysis/analyzer.js';

/** Bytes of one chunk of the arena; a paragraph whose symbols need more gets a chunk of its own. */
const CHUNK_BYTES = 64 * 1024;
/** Short id → location: the chunk index in the high bits, the byte offset in the low 16. */
const OFFSET_BITS = 16;
/** A chunk is compacted when removals left less than this share of its bytes live. */
const MIN_LIVE_SHARE = 0.5;
const EMPTY = new Uint8Array(0);

/** 32-bit words of a paragraph's pair signature (`mayHoldPair`): 256 bits. */
export const PAIR_WORDS = 8;

/** The two bits (0–255) of the pair signature that the adjacent symbols `a`, `b` set: low and next byte of a hash. */
export function pairBits(a: number, b: number): number {
  const h = Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca6b);
  return (h ^ (h >>> 15)) & 0xffff;
}

/** Symbol 0: a position no phrase can match (a word with no index term that is not a stopword). */
export const NO_SYMBOL = 0;

/** One paragraph's symbols, decoded into a reusable buffer: read `symbols[0 … length)`. */
export interface DecodedPositions {
  symbols: Int32Array;
  length: number;
}

export class PositionStore {
  /** Symbol id → position key, and back. */
  private readonly keys: string[] = [''];
  private readonly ids = new Map<string, number>([['', NO_SYMBOL]]);
  /** Term → the symbols of keys with more than one term that hold it (a word whose two stems differ: rare). */
  private readonly shared = new Map<string, number[]>();
  /**
   * Symbol + 1 by the analyzer's word id (0: not seen yet). Indexing asks for a symbol at every position;
   * an array read instead of a Map look-up of the key string was a tenth of a build (DESIGN.md, "Positions").
   */
  private readonly byWord = new Int32Array(WORD_MEMO_SIZE);

  private chunks: Uint8Array[] = [];
  /** The same chunks seen as 32-bit words (their lengths are multiples of 4), for the phrase check's SWAR scan. */
  private words: Uint32Array[] = [];
  /** Bytes written to each chunk, bytes still live in it, and the first short id stored in it. */
  private used: number[] = [];
  private live: number[] = [];
  private firstId: number[] = [];
  /** By short id: location in the arena, and length in bytes (-1: not stored). */
  private location = new Int32Array(0);
  private length = new Int32Array(0);
  /**
   * By short id, PAIR_WORDS words: a Bloom filter of the paragraph's adjacent symbol pairs (two bits a pair),
   * which lets a phrase skip a candidate without reading its positions (DESIGN.md, "Positions").
   */
  private pairs = new Uint32Array(0);
  /** By short id, one bit: the signature is made (a paragraph loaded encoded waits for `signPending`). */
  private signed = new Uint32Array(0);
  /** No paragraph below this short id waits for its signature. */
  private firstUnsigned = Number.MAX_SAFE_INTEGER;
  private lastId = -1;
  private readonly scratch: DecodedPositions = { symbols: new Int32Array(256), length: 0 };

  /** Distinct position keys seen (symbols are never forgotten: a removed word's symbol may come back). */
  get symbolCount(): number {
    return this.keys.length;
  }

  /**
   * The symbol of a position key, assigned on first sight.
   * @param word  the analyzer's id of the written word at the position (−1 when it has none)
   */
  symbolOf(key: string, word = -1): number {
    if (word >= 0) {
      const known = this.byWord[word]!;
      if (known !== 0) return known - 1;
      const symbol = this.symbolOf(key);
      this.byWord[word] = symbol + 1;
      return symbol;
    }
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.keys.length;
    this.keys.push(key);
    this.ids.set(key, id);
    if (key.includes(KEY_TERM_SEPARATOR)) {
      for (const term of termsOfKey(key)) {
        const list = this.shared.get(term);
        if (list) list.push(id);
        else this.shared.set(term, [id]);
      }
    }
    return id;
  }

  /** The key of a symbol (for the snapshot). */
  keyOf(symbol: number): string {
    return this.keys[symbol]!;
  }

  /** Every symbol whose position holds index term `term`: its own, and those of words with two terms. */
  symbolsWithTerm(term: string): number[] {
    const own = this.ids.get(term);
    const shared = this.shared.get(term);
    if (own === undefined) return shared ? [...shared] : [];
    return shared ? [own, ...shared] : [own];
  }

  /** The symbol of a stopword (folded, lowercase), if any paragraph has held it. */
  stopwordSymbol(folded: string): number | undefined {
    return this.ids.get(positionKey([], folded));
  }

  /**
   * Stores the symbols of paragraph `shortId`. Short ids must come in increasing order (MiniSearch hands
   * them out that way), so each chunk holds one run of them.
   * @throws Error when `shortId` is not above every short id stored before
   */
  add(shortId: number, symbols: ArrayLike<number>, count: number): void {
    let bytes = 0;
    for (let i = 0; i < count; i++) bytes += varintLength(symbols[i]!);
    const at = this.reserve(shortId, bytes);
    this.markSigned(shortId);
    if (bytes === 0) return;
    const chunk = this.chunks[at >>> OFFSET_BITS]!;
    let p = at & ((1 << OFFSET_BITS) - 1);
    for (let i = 0; i < count; i++) p = writeVarint(chunk, p, symbols[i]!);
    const pairs = this.pairs;
    const base = shortId * PAIR_WORDS;
    for (let i = 1; i < count; i++) setPair(pairs, base, pairBits(symbols[i - 1]!, symbols[i]!));
  }

  /** Stores already encoded symbols (from a snapshot), with the same order rule as `add`. */
  addEncoded(shortId: number, encoded: Uint8Array): void {
    const at = this.reserve(shortId, encoded.length);
    if (encoded.length === 0) {
      // No positions, no pairs: signed as it is.
      this.markSigned(shortId);
      return;
    }
    this.chunks[at >>> OFFSET_BITS]!.set(encoded, at & ((1 << OFFSET_BITS) - 1));
    if (this.firstUnsigned > shortId) this.firstUnsigned = shortId;
    // The signature is not in the snapshot: it is the positions' own function, made again from them after
    // the load (`signPending`), so loading costs no more than copying.
  }

  /**
   * Makes the signatures of paragraphs loaded encoded (`addEncoded`) until done or `budgetMs` is spent;
   * true when none is left. Until a paragraph's signature is made, every pair may be in it.
   */
  signPending(budgetMs = Infinity): boolean {
    const started = performance.now();
    const from = this.firstUnsigned;
    for (; this.firstUnsigned <= this.lastId; this.firstUnsigned++) {
      const id = this.firstUnsigned;
      // Some progress whatever the budget: the clock is read every 256 paragraphs.
      if (id > from && (id & 255) === 0 && performance.now() - started >= budgetMs) return false;
      if (isSet(this.signed, id)) continue;
      const n = this.length[id]!;
      if (n > 0) this.signFromBytes(id, n);
      this.markSigned(id);
    }
    return true;
  }

  private markSigned(id: number): void {
    this.signed[id >>> 5]! |= 1 << (id & 31);
  }

  private signFromBytes(id: number, n: number): void {
    const at = this.location[id]!;
    const bytes = this.chunks[at >>> OFFSET_BITS]!;
    const start = at & ((1 << OFFSET_BITS) - 1);
    const pairs = this.pairs;
    const base = id * PAIR_WORDS;
    let previous = -1;
    let value = 0;
    let shift = 0;
    for (let i = start; i < start + n; i++) {
      const b = bytes[i]!;
      value |= (b & 0x7f) << shift;
      if (b >= 0x80) {
        shift += 7;
        continue;
      }
      if (previous >= 0) setPair(pairs, base, pairBits(previous, value));
      previous = value;
      value = 0;
      shift = 0;
    }
  }

  /**
   * Whether paragraph `shortId` may hold symbol `a` right before symbol `b`, given their `pairBits`: false
   * means it does not; true, that it may (a Bloom filter: about one in ten false for pairs it lacks).
   */
  mayHoldPair(shortId: number, bits: number): boolean {
    if (!isSet(this.signed, shortId)) return true;
    const pairs = this.pairs;
    const base = shortId * PAIR_WORDS;
    const x = bits & 0xff;
    const y = bits >>> 8;
    return ((pairs[base + (x >>> 5)]! >>> (x & 31)) & (pairs[base + (y >>> 5)]! >>> (y & 31)) & 1) !== 0;
  }

  /**
   * Where a paragraph's encoded symbols are, without allocating: the chunk holding them, with their range in
   * `spanStart` … `spanEnd` (valid until the next call); null when the paragraph is not stored. The phrase
   * check decodes straight from here.
   */
  span(shortId: number): Uint8Array | null {
    const n = shortId < this.length.length ? this.length[shortId]! : -1;
    if (n < 0) return null;
    if (n === 0) {
      this.spanStart = this.spanEnd = 0;
      return EMPTY;
    }
    const at = this.location[shortId]!;
    this.spanStart = at & ((1 << OFFSET_BITS) - 1);
    this.spanEnd = this.spanStart + n;
    return this.chunks[at >>> OFFSET_BITS]!;
  }
  spanStart = 0;
  spanEnd = 0;

  /**
   * The arena itself, for the phrase check's hot loop (`location[id]`: chunk << 16 | offset; `length[id]`:
   * bytes, −1 when absent). Valid while `version` is unchanged: growing or compacting replaces the arrays.
   */
  get arena(): { chunks: readonly Uint8Array[]; words: readonly Uint32Array[]; location: Int32Array; length: Int32Array } {
    return { chunks: this.chunks, words: this.words, location: this.location, length: this.length };
  }
  /** Changes whenever `arena`'s arrays are replaced. */
  version = 0;

  /** The encoded symbols of a paragraph (a view into the arena: copy before keeping), or null. */
  encoded(shortId: number): Uint8Array | null {
    const n = shortId < this.length.length ? this.length[shortId]! : -1;
    if (n < 0) return null;
    if (n === 0) return EMPTY;
    const at = this.location[shortId]!;
    const offset = at & ((1 << OFFSET_BITS) - 1);
    return this.chunks[at >>> OFFSET_BITS]!.subarray(offset, offset + n);
  }

  /** Forgets a paragraph's symbols; a chunk mostly emptied by removals is compacted. */
  remove(shortId: number): void {
    const n = shortId < this.length.length ? this.length[shortId]! : -1;
    if (n < 0) return;
    this.pairs.fill(0, shortId * PAIR_WORDS, (shortId + 1) * PAIR_WORDS);
    if (n === 0) {
      // A paragraph without positions (punctuation only) has no bytes in any chunk.
      this.length[shortId] = -1;
      return;
    }
    const c = this.location[shortId]! >>> OFFSET_BITS;
    this.length[shortId] = -1;
    this.live[c] = this.live[c]! - n;
    // The chunk still being appended to is left alone: it fills up again.
    if (c !== this.chunks.length - 1 && this.live[c]! < this.used[c]! * MIN_LIVE_SHARE) this.compact(c);
  }

  /**
   * The symbols of paragraph `shortId`, decoded into a buffer shared by every call (valid until the next
   * call). Length 0 when the paragraph is not stored.
   */
  read(shortId: number): DecodedPositions {
    const out = this.scratch;
    out.length = 0;
    const bytes = this.encoded(shortId);
    if (bytes === null) return out;
    if (out.symbols.length < bytes.length) out.symbols = new Int32Array(Math.max(bytes.length, out.symbols.length * 2));
    let n = 0;
    let value = 0;
    let shift = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        out.symbols[n++] = value;
        value = 0;
        shift = 0;
      } else shift += 7;
    }
    out.length = n;
    return out;
  }

  /** Bytes held by the arena and its tables (for measurements). */
  get bytes(): number {
    let total = this.location.byteLength + this.length.byteLength + this.pairs.byteLength + this.signed.byteLength;
    for (const chunk of this.chunks) total += chunk.byteLength;
    return total;
  }

  /** Room for `bytes` more bytes for `shortId`; returns the location. */
  private reserve(shortId: number, bytes: number): number {
    if (shortId <= this.lastId) throw new Error(`PositionStore: short id ${shortId} is not above ${this.lastId}`);
    this.lastId = shortId;
    this.ensureIds(shortId + 1);
    if (bytes === 0) {
      // Nothing to store; the location is never read (span and encoded answer empty for length 0).
      this.location[shortId] = 0;
      this.length[shortId] = 0;
      return 0;
    }
    let c = this.chunks.length - 1;
    // Never past CHUNK_BYTES in a chunk: offsets are 16 bits (an oversized chunk holds its one paragraph).
    if (c < 0 || this.used[c]! + bytes > Math.min(this.chunks[c]!.length, CHUNK_BYTES)) {
      // A new chunk; a paragraph larger than a chunk gets one of its own size.
      const chunk = new Uint8Array(Math.max(CHUNK_BYTES, roundUp4(bytes)));
      this.chunks.push(chunk);
      this.words.push(new Uint32Array(chunk.buffer));
      this.version++;
      this.used.push(0);
      this.live.push(0);
      this.firstId.push(shortId);
      c++;
    }
    const offset = this.used[c]!;
    this.used[c] = offset + bytes;
    this.live[c] = this.live[c]! + bytes;
    const at = (c << OFFSET_BITS) | offset;
    this.location[shortId] = at;
    this.length[shortId] = bytes;
    return at;
  }

  /** Copies the live paragraphs of chunk `c` into a chunk of just their size. */
  private compact(c: number): void {
    const old = this.chunks[c]!;
    const fresh = new Uint8Array(roundUp4(this.live[c]!));
    const end = c + 1 < this.firstId.length ? this.firstId[c + 1]! : this.lastId + 1;
    let p = 0;
    for (let id = this.firstId[c]!; id < end; id++) {
      const n = this.length[id]!;
      if (n <= 0) continue;
      const from = this.location[id]! & ((1 << OFFSET_BITS) - 1);
      fresh.set(old.subarray(from, from + n), p);
      this.location[id] = (c << OFFSET_BITS) | p;
      p += n;
    }
    this.chunks[c] = fresh;
    this.words[c] = new Uint32Array(fresh.buffer);
    this.used[c] = p;
    this.version++;
  }

  private ensureIds(n: number): void {
    if (this.length.length >= n) return;
    const size = Math.max(n, Math.ceil(this.length.length * 1.5), 1024);
    const location = new Int32Array(size);
    location.set(this.location);
    const length = new Int32Array(size).fill(-1);
    length.set(this.length);
    const pairs = new Uint32Array(size * PAIR_WORDS);
    pairs.set(this.pairs);
    const signed = new Uint32Array(Math.ceil(size / 32));
    signed.set(this.signed);
    this.location = location;
    this.length = length;
    this.pairs = pairs;
    this.signed = signed;
    this.version++;
  }
}

function isSet(bits: Uint32Array, id: number): boolean {
  return ((bits[id >>> 5]! >>> (id & 31)) & 1) !== 0;
}

function setPair(pairs: Uint32Array, base: number, bits: number): void {
  const x = bits & 0xff;
  const y = bits >>> 8;
  pairs[base + (x >>> 5)]! |= 1 << (x & 31);
  pairs[base + (y >>> 5)]! |= 1 << (y & 31);
}

function roundUp4(n: number): number {
  return (n + 3) & ~3;
}

function varintLength(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

function writeVarint(out: Uint8Array, at: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}
