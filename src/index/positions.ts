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
    if (bytes === 0) return;
    const chunk = this.chunks[at >>> OFFSET_BITS]!;
    let p = at & ((1 << OFFSET_BITS) - 1);
    for (let i = 0; i < count; i++) p = writeVarint(chunk, p, symbols[i]!);
  }

  /** Stores already encoded symbols (from a snapshot), with the same order rule as `add`. */
  addEncoded(shortId: number, encoded: Uint8Array): void {
    const at = this.reserve(shortId, encoded.length);
    if (encoded.length > 0) this.chunks[at >>> OFFSET_BITS]!.set(encoded, at & ((1 << OFFSET_BITS) - 1));
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
    let total = this.location.byteLength + this.length.byteLength;
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
    this.location = location;
    this.length = length;
    this.version++;
  }
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
