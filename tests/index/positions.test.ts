import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, KEY_STOPWORD_MARK, KEY_TERM_SEPARATOR, positionKey } from '../../src/analysis/analyzer.js';
import { NO_SYMBOL, pairBits, PositionStore } from '../../src/index/positions.js';

/** Bytes of one arena chunk (src/index/positions.ts): a paragraph needing more gets a chunk of its own. */
const CHUNK = 64 * 1024;

/** What a store reads for `shortId`, copied out of its shared buffer. */
function readOf(store: PositionStore, shortId: number): number[] {
  const { symbols, length } = store.read(shortId);
  return Array.from(symbols.subarray(0, length));
}

/** Unsigned LEB128, the varint format the snapshot stores: the oracle for `encoded`. */
function leb128(values: ArrayLike<number>): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let v = values[i]!;
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  }
  return Uint8Array.from(out);
}

function sameInts(actual: Int32Array, expected: Int32Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength));
}

/** Ranges of symbol ids by varint length: 1 to 5 bytes (up to 2^31 − 1, the most an Int32Array holds). */
const BANDS: Array<[number, number]> = [
  [0, 0x7f],
  [0x80, 0x3fff],
  [0x4000, 0x1fffff],
  [0x200000, 0xfffffff],
  [0x10000000, 0x7fffffff],
];

type Dist = 'small' | 'mixed' | 'large';

/** A paragraph's symbols, expanded from a short description (fast-check need not build 70,000-element arrays). */
function symbolsOf(length: number, dist: Dist, seed: number): Int32Array {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const band = dist === 'small' ? BANDS[0]! : dist === 'large' ? BANDS[2 + (next() % 3)]! : BANDS[next() % 5]!;
    out[i] = band[0] + (next() % (band[1] - band[0] + 1));
  }
  return out;
}

type Command =
  | { kind: 'add'; gap: number; length: number; dist: Dist; seed: number; junk: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'read'; pick: number };

/** More symbols than one chunk holds (> 64 KiB of varints), both ways: many 1-byte ones, or fewer 5-byte ones. */
const oversized = fc.oneof(
  fc.record({ length: fc.integer({ min: CHUNK + 1, max: CHUNK + 6000 }), dist: fc.constant<Dist>('small') }),
  fc.record({ length: fc.integer({ min: 22_000, max: 26_000 }), dist: fc.constant<Dist>('large') }),
);
const paragraph = fc.oneof(
  { weight: 2, arbitrary: fc.record({ length: fc.constant(0), dist: fc.constant<Dist>('small') }) },
  { weight: 6, arbitrary: fc.record({ length: fc.integer({ min: 1, max: 40 }), dist: fc.constantFrom<Dist>('small', 'mixed', 'large') }) },
  { weight: 6, arbitrary: fc.record({ length: fc.integer({ min: 500, max: 9000 }), dist: fc.constantFrom<Dist>('small', 'mixed', 'large') }) },
  { weight: 1, arbitrary: oversized },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ gap: fc.integer({ min: 1, max: 3 }), p: paragraph, seed: fc.integer(), junk: fc.integer({ min: 0, max: 3 }) })
      .map(({ gap, p, seed, junk }) => ({ kind: 'add' as const, gap, length: p.length, dist: p.dist, seed, junk })),
  },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: 'remove' as const, pick })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: 'read' as const, pick })) },
);


describe('positions', () => {
  describe('PositionStore', () => {
    it('keeps each paragraph\'s adjacent pairs in its signature, the same from symbols and (once signed) from a snapshot\'s bytes, and rules most others out', () => {
      const paragraph = fc.array(fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 300_000 })), { minLength: 0, maxLength: 120 });
      let absentPairs = 0;
      let admitted = 0;
      fc.assert(
        fc.property(fc.array(paragraph, { minLength: 1, maxLength: 12 }), (paragraphs) => {
          const built = new PositionStore();
          const loaded = new PositionStore();
          paragraphs.forEach((symbols, id) => {
            built.add(id, Int32Array.from(symbols), symbols.length);
            loaded.addEncoded(id, built.encoded(id)!.slice());
          });
          // Loaded and not yet signed: nothing is ruled out (a paragraph without positions holds no pair).
          paragraphs.forEach((symbols, id) => expect(loaded.mayHoldPair(id, pairBits(123_457, 654_321))).toBe(symbols.length > 0));
          expect(loaded.signPending()).toBe(true);
          paragraphs.forEach((symbols, id) => {
            const present = new Set<string>();
            for (let i = 1; i < symbols.length; i++) {
              present.add(`${symbols[i - 1]},${symbols[i]}`);
              // Never a false "no": a phrase would lose a match.
              expect(built.mayHoldPair(id, pairBits(symbols[i - 1]!, symbols[i]!))).toBe(true);
              expect(loaded.mayHoldPair(id, pairBits(symbols[i - 1]!, symbols[i]!))).toBe(true);
            }
            for (let k = 0; k < 20; k++) {
              const a = 1 + ((id * 7919 + k * 104_729) % 250_000);
              const b = 1 + ((k * 15_485_863 + id) % 250_000);
              if (present.has(`${a},${b}`)) continue;
              absentPairs++;
              if (built.mayHoldPair(id, pairBits(a, b))) admitted++;
              expect(loaded.mayHoldPair(id, pairBits(a, b))).toBe(built.mayHoldPair(id, pairBits(a, b)));
            }
            built.remove(id);
            if (symbols.length > 1) expect(built.mayHoldPair(id, pairBits(symbols[0]!, symbols[1]!))).toBe(false);
          });
        }),
        { numRuns: 200, seed: 11 },
      );
      // A filter that admits everything would pass the checks above: most absent pairs must be ruled out.
      expect(absentPairs).toBeGreaterThan(5_000);
      expect(admitted / absentPairs).toBeLessThan(0.25);
    });

    it('reads back what was added, forgets what was removed, and compaction never changes what is read', () => {
      fc.assert(
        fc.property(fc.array(command, { minLength: 1, maxLength: 45 }), (commands) => {
          const store = new PositionStore();
          const oracle = new Map<number, Int32Array>();
          const everStored = new Set<number>();
          let next = 0;
          const expectAllLive = () => {
            for (const [id, symbols] of oracle) {
              const { symbols: got, length } = store.read(id);
              expect(length).toBe(symbols.length);
              expect(sameInts(got.subarray(0, length), symbols)).toBe(true);
            }
          };
          for (const c of commands) {
            if (c.kind === 'add') {
              const id = next + c.gap - 1;
              next = id + 1;
              const symbols = symbolsOf(c.length, c.dist, c.seed);
              // `count` may be less than the buffer: the index hands over its scratch array.
              const buffer = new Int32Array(c.length + c.junk).fill(0x7fffffff);
              buffer.set(symbols);
              store.add(id, buffer, c.length);
              oracle.set(id, symbols);
              everStored.add(id);
              const { symbols: got, length } = store.read(id);
              expect(length).toBe(c.length);
              expect(sameInts(got.subarray(0, length), symbols)).toBe(true);
            } else if (c.kind === 'remove') {
              const ids = [...everStored];
              if (ids.length === 0) continue;
              // Removes a live paragraph mostly; sometimes one already removed (a no-op).
              const id = ids[c.pick % ids.length]!;
              store.remove(id);
              oracle.delete(id);
              expect(store.read(id).length).toBe(0);
              expect(store.encoded(id)).toBeNull();
              expectAllLive();
            } else {
              // Any id up to a little past the last: stored, removed, skipped by a gap, or never reached.
              const id = c.pick % (next + 3);
              const expected = oracle.get(id);
              if (expected === undefined) {
                expect(store.read(id).length).toBe(0);
                expect(store.encoded(id)).toBeNull();
                expect(store.span(id)).toBeNull();
              } else {
                expect(sameInts(store.read(id).symbols.subarray(0, store.read(id).length), expected)).toBe(true);
                // `span` names the same bytes as `encoded`, in place.
                const chunk = store.span(id)!;
                expect(Buffer.from(chunk.subarray(store.spanStart, store.spanEnd)).equals(Buffer.from(store.encoded(id)!))).toBe(true);
              }
            }
          }
          expectAllLive();
          // `encoded` is LEB128 of the symbols, and round-trips through `addEncoded` into another store.
          const copy = new PositionStore();
          for (const id of [...oracle.keys()].sort((a, b) => a - b)) {
            const encoded = store.encoded(id)!;
            expect(Buffer.from(encoded).equals(Buffer.from(leb128(oracle.get(id)!)))).toBe(true);
            copy.addEncoded(id, encoded.slice());
          }
          for (let id = 0; id < next + 2; id++) {
            const expected = oracle.get(id);
            if (expected === undefined) expect(copy.encoded(id)).toBeNull();
            else {
              const { symbols, length } = copy.read(id);
              expect(length).toBe(expected.length);
              expect(sameInts(symbols.subarray(0, length), expected)).toBe(true);
            }
          }
        }),
        { numRuns: 60, seed: 20250519 },
      );
    });

    it('reads a named paragraph back, including symbols of every varint length', () => {
      const store = new PositionStore();
      const symbols = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 2_147_483_647];
      store.add(4, symbols, symbols.length);
      expect(readOf(store, 4)).toEqual(symbols);
      expect(store.encoded(4)!.length).toBe(1 + 1 + 1 + 2 + 2 + 3 + 3 + 4 + 4 + 5 + 5);
      expect(readOf(store, 3)).toEqual([]);
      expect(readOf(store, 5)).toEqual([]);
      expect(readOf(store, 1_000_000)).toEqual([]);
    });

    it('stores only the first `count` symbols of the buffer it is handed', () => {
      const store = new PositionStore();
      store.add(0, Int32Array.from([7, 8, 9, 10]), 2);
      expect(readOf(store, 0)).toEqual([7, 8]);
    });

    it('throws when a short id is not above the last one added, and keeps what it had', () => {
      const store = new PositionStore();
      store.add(5, [1, 2, 3], 3);
      expect(() => store.add(5, [4], 1)).toThrow('PositionStore: short id 5 is not above 5');
      expect(() => store.add(2, [4], 1)).toThrow('PositionStore: short id 2 is not above 5');
      expect(() => store.addEncoded(5, Uint8Array.of(4))).toThrow('is not above 5');
      expect(readOf(store, 5)).toEqual([1, 2, 3]);
      expect(readOf(store, 2)).toEqual([]);
      // Removing the last paragraph does not free its short id for a second use.
      store.remove(5);
      expect(() => store.add(5, [4], 1)).toThrow('is not above 5');
      store.add(6, [4], 1);
      expect(readOf(store, 6)).toEqual([4]);
    });

    it('compacts a mostly emptied chunk, leaves the chunk being appended to alone, and reads the same after', () => {
      const store = new PositionStore();
      const paragraphOf = (id: number) => Array.from({ length: 1000 }, (_, i) => (id * 31 + i) % 128);
      // 1,000 one-byte symbols each: 65 paragraphs a chunk, so ids 0–64 fill the first chunk, 195–199 the last.
      for (let id = 0; id < 200; id++) store.add(id, paragraphOf(id), 1000);
      const full = store.bytes;
      for (let id = 195; id < 200; id++) store.remove(id);
      expect(store.bytes).toBe(full);
      for (let id = 0; id <= 40; id++) store.remove(id);
      expect(store.bytes).toBeLessThanOrEqual(full - 32_000);
      for (let id = 0; id < 200; id++) expect(readOf(store, id)).toEqual(id <= 40 || id >= 195 ? [] : paragraphOf(id));
      // The store keeps appending after a compaction.
      store.add(200, [5, 6], 2);
      expect(readOf(store, 200)).toEqual([5, 6]);
      expect(readOf(store, 64)).toEqual(paragraphOf(64));
    });

    it('gives a paragraph larger than a chunk a chunk of its own, next to small ones', () => {
      const store = new PositionStore();
      const big = symbolsOf(20_000, 'large', 42);
      store.add(0, [1, 2], 2);
      store.add(1, big, big.length);
      store.add(2, [3], 1);
      expect(readOf(store, 0)).toEqual([1, 2]);
      expect(sameInts(Int32Array.from(readOf(store, 1)), big)).toBe(true);
      expect(readOf(store, 2)).toEqual([3]);
      store.remove(0);
      store.remove(2);
      expect(sameInts(Int32Array.from(readOf(store, 1)), big)).toBe(true);
    });

    // A paragraph with no positions (`—`, `* * *`) stored when the last chunk is exactly full once got the
    // location `offset 65,536`, which spilled into the chunk index bits and named a chunk that did not exist.
    it('reads an empty paragraph stored right after an oversized one as empty', () => {
      const store = new PositionStore();
      store.add(0, new Int32Array(70_000).fill(5), 70_000);
      store.add(1, [], 0);
      expect(store.read(1).length).toBe(0);
      expect(store.encoded(1)!.length).toBe(0);
    });

    it('reads an empty paragraph stored when a chunk is exactly full as empty, and removes it', () => {
      const store = new PositionStore();
      store.add(0, new Int32Array(CHUNK).fill(1), CHUNK);
      store.add(1, [], 0);
      expect(store.read(1).length).toBe(0);
      store.add(2, [7], 1);
      store.remove(1);
      store.remove(0);
      expect(store.read(1).length).toBe(0);
      expect(readOf(store, 2)).toEqual([7]);
    });

    it('gives each position key one stable symbol, and the key back', () => {
      const store = new PositionStore();
      expect(store.symbolOf('')).toBe(NO_SYMBOL);
      expect(store.symbolCount).toBe(1);
      const oekraine = store.symbolOf('oekrain');
      const de = store.symbolOf(positionKey([], 'de'));
      const twoTerms = positionKey(['financieel', 'financiel'], null);
      const financieel = store.symbolOf(twoTerms);
      expect(new Set([NO_SYMBOL, oekraine, de, financieel]).size).toBe(4);
      expect(store.symbolOf('oekrain')).toBe(oekraine);
      expect(store.symbolOf(twoTerms)).toBe(financieel);
      expect(store.symbolCount).toBe(4);
      expect(store.keyOf(oekraine)).toBe('oekrain');
      expect(store.keyOf(de)).toBe(KEY_STOPWORD_MARK + 'de');
      expect(store.keyOf(financieel)).toBe(`financieel${KEY_TERM_SEPARATOR}financiel`);
    });

    it('gives the same symbol by the analyzer’s word id as by the key', () => {
      const analyzer = createAnalyzer();
      const byKey = new PositionStore();
      const byWord = new PositionStore();
      const text = 'Oekraïne en oekraine, Oekraïne en de NAVO; financiële steun en financiele steun voor Oekraïne.';
      const keys: string[] = [];
      const viaWord: number[] = [];
      analyzer.forEachPosition(text, (_s, _e, key, _terms, _surface, _folded, word) => {
        keys.push(key);
        viaWord.push(byWord.symbolOf(key, word));
      });
      expect(viaWord).toEqual(keys.map((k) => byKey.symbolOf(k)));
      // Asked by key afterwards, the word-id store answers the same, and knows no extra keys.
      expect(keys.map((k) => byWord.symbolOf(k))).toEqual(viaWord);
      expect(byWord.symbolCount).toBe(byKey.symbolCount);
    });

    it('finds the single-term symbol and every two-term symbol holding a term', () => {
      const store = new PositionStore();
      expect(store.symbolsWithTerm('financieel')).toEqual([]);
      const pair = store.symbolOf(positionKey(['financieel', 'financiel'], null));
      // Only the two-term symbol until the term is seen on its own.
      expect(store.symbolsWithTerm('financieel')).toEqual([pair]);
      expect(store.symbolsWithTerm('financiel')).toEqual([pair]);
      const own = store.symbolOf('financieel');
      const other = store.symbolOf(positionKey(['economisch', 'financieel'], null));
      expect(store.symbolsWithTerm('financieel').sort((a, b) => a - b)).toEqual([pair, own, other].sort((a, b) => a - b));
      expect(store.symbolsWithTerm('financieel')[0]).toBe(own);
      expect(store.symbolsWithTerm('economisch')).toEqual([other]);
      expect(store.symbolsWithTerm('financ')).toEqual([]);
      // A copy each time: changing it changes nothing in the store.
      store.symbolsWithTerm('financieel').length = 0;
      expect(store.symbolsWithTerm('financieel')).toHaveLength(3);
    });

    it('matches symbolsWithTerm against a scan of every key, for random keys of one or two terms', () => {
      const term = fc.constantFrom('navo', 'poetin', 'oekrain', 'financieel', 'financiel', 'rusland', 'trump');
      const key = fc.oneof(
        term.map((t) => positionKey([t], null)),
        fc.tuple(term, term).filter(([a, b]) => a !== b).map(([a, b]) => positionKey([a, b], null)),
        fc.constantFrom('in', 'de', 'het').map((s) => positionKey([], s)),
      );
      fc.assert(
        fc.property(fc.array(key, { maxLength: 30 }), (keys) => {
          const store = new PositionStore();
          for (const k of keys) store.symbolOf(k);
          for (const t of ['navo', 'poetin', 'oekrain', 'financieel', 'financiel', 'rusland', 'trump', 'in', 'de']) {
            const expected: number[] = [];
            for (let s = 1; s < store.symbolCount; s++) {
              const k = store.keyOf(s);
              if (!k.startsWith(KEY_STOPWORD_MARK) && k.split(KEY_TERM_SEPARATOR).includes(t)) expected.push(s);
            }
            expect(store.symbolsWithTerm(t).sort((a, b) => a - b)).toEqual(expected);
          }
        }),
        { numRuns: 200, seed: 7 },
      );
    });

    it('knows a stopword symbol once a stopword key was added, and not a term as a stopword', () => {
      const store = new PositionStore();
      expect(store.stopwordSymbol('in')).toBeUndefined();
      store.symbolOf('in');
      expect(store.stopwordSymbol('in')).toBeUndefined();
      const inSymbol = store.symbolOf(positionKey([], 'in'));
      expect(store.stopwordSymbol('in')).toBe(inSymbol);
      expect(store.stopwordSymbol('de')).toBeUndefined();
      expect(store.symbolsWithTerm('in')).toEqual([store.symbolOf('in')]);
    });

    it('stores the positions of a Dutch paragraph as the analyzer gives them', () => {
      const analyzer = createAnalyzer();
      const store = new PositionStore();
      const keys: string[] = [];
      const text = 'De financiële steun aan Oekraïne komt in gesprekken met het Kremlin-woordvoerder aan bod.';
      analyzer.forEachPosition(text, (_s, _e, key) => keys.push(key));
      store.add(0, keys.map((k) => store.symbolOf(k)), keys.length);
      expect(readOf(store, 0).map((s) => store.keyOf(s))).toEqual(keys);
      // `financiële` has two terms, joined in one key; `in` keeps its place as a stopword.
      expect(keys.some((k) => k.includes(KEY_TERM_SEPARATOR))).toBe(true);
      const financieel = keys.find((k) => k.includes(KEY_TERM_SEPARATOR))!;
      for (const t of financieel.split(KEY_TERM_SEPARATOR)) expect(store.symbolsWithTerm(t)).toContain(store.symbolOf(financieel));
      expect(readOf(store, 0)).toContain(store.stopwordSymbol('in'));
    });
  });
});
