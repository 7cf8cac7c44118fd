import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryCache } from '../../src/search/query-cache.js';

/** Asks for `key` as the searcher does: a look-up, and on a miss the value read and offered. */
function ask(cache: QueryCache<string>, key: string): boolean {
  if (cache.get(key) !== undefined) return true;
  cache.set(key, `read ${key}`);
  return false;
}

describe('QueryCache', () => {
  it('keeps everything while there is room, least recently used first out of the way', () => {
    const cache = new QueryCache<string>(3);
    for (const key of ['a', 'b', 'c']) expect(ask(cache, key)).toBe(false);
    for (const key of ['a', 'b', 'c']) expect(ask(cache, key)).toBe(true);
    expect(cache.size).toBe(3);
  });

  it('keeps popular queries through a sweep of queries asked once each, where a plain LRU would lose them', () => {
    const cache = new QueryCache<string>(64);
    const popular = Array.from({ length: 32 }, (_v, i) => `populair ${i}`);
    let asked = 0;
    let hits = 0;
    // Between two asks of one popular query come 31 others and 64 asked once: 95 texts, more than the room.
    for (let i = 0; i < 32 * 40; i++) {
      const hit = ask(cache, popular[i % 32]!);
      if (i >= 32 * 10) {
        asked++;
        if (hit) hits++;
      }
      ask(cache, `eenmalig ${2 * i}`);
      ask(cache, `eenmalig ${2 * i + 1}`);
      expect(cache.size).toBeLessThanOrEqual(64);
    }
    expect(hits / asked).toBeGreaterThan(0.9);
  });

  it('holds on to part of a cycle longer than itself, where a plain LRU would hit nothing', () => {
    const cache = new QueryCache<string>(100);
    const keys = Array.from({ length: 200 }, (_v, i) => `vraag ${i}`);
    for (const key of keys) ask(cache, key);
    let hits = 0;
    for (let round = 0; round < 5; round++) for (const key of keys) if (ask(cache, key)) hits++;
    expect(hits / (5 * keys.length)).toBeGreaterThan(0.3);
  });

  it('lets a query in once it is asked more often than what it would replace', () => {
    const cache = new QueryCache<string>(16);
    for (let i = 0; i < 16; i++) ask(cache, `oud ${i}`);
    expect(ask(cache, 'nieuw')).toBe(false);
    expect(cache.get('nieuw')).toBeUndefined(); // asked as often as the oldest entry: not yet
    for (let i = 0; i < 3; i++) ask(cache, 'nieuw');
    expect(cache.get('nieuw')).toBe('read nieuw');
  });

  it('forgets old popularity: a query asked often long ago loses its place to what is asked now', () => {
    const cache = new QueryCache<string>(8);
    for (let i = 0; i < 8; i++) for (let n = 0; n < 15; n++) ask(cache, `toen ${i}`);
    // Enough asks for the counts to be halved several times over.
    for (let round = 0; round < 40; round++) for (let i = 0; i < 8; i++) ask(cache, `nu ${i}`);
    for (let i = 0; i < 8; i++) expect(cache.get(`nu ${i}`)).toBe(`read nu ${i}`);
  });

  it('answers every key with the value last kept for it, or nothing, under any sequence of asks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()), { maxLength: 400 }), fc.integer({ min: 1, max: 12 }), (steps, capacity) => {
        const cache = new QueryCache<string>(capacity);
        const version = new Map<number, number>();
        for (const [k, rewrite] of steps) {
          const key = `k${k}`;
          const got = cache.get(key);
          if (got !== undefined) expect(got).toBe(`${key}@${version.get(k)}`);
          if (got === undefined || rewrite) {
            version.set(k, (version.get(k) ?? 0) + 1);
            if (!cache.set(key, `${key}@${version.get(k)}`) && got !== undefined) throw new Error('a kept key refused a new value');
          }
          expect(cache.size).toBeLessThanOrEqual(capacity);
        }
      }),
      { numRuns: 300 },
    );
  });
});
