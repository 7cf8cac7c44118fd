import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactPostings } from '../../src/index/compact-postings.js';
import { BLOCK_SIZE, BlockMaxima, termFactor, TOP_TIER_SHARE } from '../../src/query/block-maxima.js';

/**
 * Every live posting's factor is within its block's maximum, and each block ends at its last slot's id; every
 * live posting outside the top tier is within the rest maximum, and the tier is ascending.
 */
function expectBounds(postings: CompactPostings, maxima: BlockMaxima, lengthOf: (doc: number) => number, average: number): void {
  const raw = postings.raw;
  const used = postings.rawLength >>> 1;
  expect(maxima.blocks).toBe(Math.ceil(used / BLOCK_SIZE));
  const top = new Set(maxima.topDocs.subarray(0, maxima.topCount));
  for (let i = 1; i < maxima.topCount; i++) expect(maxima.topDocs[i]).toBeGreaterThan(maxima.topDocs[i - 1]!);
  for (let slot = 0; slot < used; slot++) {
    const block = BlockMaxima.blockOf(slot);
    const tf = raw[2 * slot + 1]!;
    const doc = raw[2 * slot]!;
    if (tf > 0) {
      const factor = termFactor(tf, lengthOf(doc), average);
      expect(factor).toBeLessThanOrEqual(maxima.maxima[block]!);
      if (!top.has(doc)) expect(factor).toBeLessThanOrEqual(maxima.restMax);
      else expect(factor).toBeLessThanOrEqual(maxima.topFactors[maxima.topDocs.subarray(0, maxima.topCount).indexOf(doc)]!);
    }
    if (slot === used - 1 || (slot + 1) % BLOCK_SIZE === 0) expect(maxima.lastDocs[block]).toBe(raw[2 * slot]);
  }
}

describe('BlockMaxima', () => {
  it('puts about TOP_TIER_SHARE of a list in its top tier: the postings of highest factor, the rest below them', () => {
    const postings = new CompactPostings();
    const lengthOf = (doc: number) => 5 + ((doc * 7919) % 53);
    for (let doc = 0; doc < 20_000; doc++) postings.set(doc, 1 + ((doc * 104729) % 97 < 9 ? 1 : 0) + ((doc * 31) % 211 === 0 ? 2 : 0));
    const maxima = BlockMaxima.build(postings, lengthOf, 30);
    expect(maxima.topCount).toBeGreaterThan(20_000 * TOP_TIER_SHARE * 0.8);
    expect(maxima.topCount).toBeLessThanOrEqual(20_000 * TOP_TIER_SHARE * 1.2);
    const factors = [...postings].map(([doc, tf]) => ({ doc, factor: termFactor(tf, lengthOf(doc), 30 * 1.05) }));
    const top = new Set(maxima.topDocs.subarray(0, maxima.topCount));
    const lowestTop = Math.min(...factors.filter((f) => top.has(f.doc)).map((f) => f.factor));
    const highestRest = Math.max(...factors.filter((f) => !top.has(f.doc)).map((f) => f.factor));
    expect(highestRest).toBeLessThanOrEqual(lowestTop);
    expect(maxima.restMax).toBeGreaterThanOrEqual(highestRest);
    expect(maxima.restMax).toBeLessThan(maxima.listMax);
    expectBounds(postings, maxima, lengthOf, 30);
  });

  it('cuts its tier for a lone word: the best postings of the tier above the cut, every other one below it', () => {
    const postings = new CompactPostings();
    const lengthOf = (doc: number) => 5 + ((doc * 7919) % 53);
    for (let doc = 0; doc < 20_000; doc++) postings.set(doc, 1 + ((doc * 104729) % 97 < 9 ? 1 : 0) + ((doc * 31) % 211 === 0 ? 2 : 0));
    const maxima = BlockMaxima.build(postings, lengthOf, 30);
    const { floor, rest } = maxima.cut(64);
    expect(floor).toBeGreaterThan(maxima.topFloor);
    expect(rest).toBeLessThan(floor);
    const factors = [...postings].map(([doc, tf]) => ({ doc, factor: termFactor(tf, lengthOf(doc), 30 * 1.05) }));
    const tier = new Map(Array.from(maxima.topDocs.subarray(0, maxima.topCount), (doc, i) => [doc, maxima.topFactors[i]!]));
    const above = factors.filter((f) => (tier.get(f.doc) ?? -1) >= floor);
    expect(above.length).toBeGreaterThanOrEqual(64);
    expect(above.length).toBeLessThan(64 + 40); // ties at the cut come along, not the whole tier
    for (const f of factors) if ((tier.get(f.doc) ?? -1) < floor) expect(f.factor).toBeLessThanOrEqual(rest);
    // A cut wider than the tier is the tier.
    expect(maxima.cut(maxima.topCount)).toEqual({ floor: maxima.topFloor, rest: maxima.restMax });
  });

  it('bounds every posting of its block, and the rest outside the top tier, through appends, frequency edits, removals, inserts and a changing average', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 300 }), tf: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('edit-last' as const), tf: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), tf: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('average' as const), factor: fc.double({ min: 0.5, max: 1.5, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const postings = new CompactPostings();
        const lengths = new Map<number, number>();
        const lengthOf = (doc: number) => lengths.get(doc)!;
        let next = 0;
        let average = 20;
        const add = (doc: number, tf: number) => {
          lengths.set(doc, 1 + ((doc * 31 + seed) % 60));
          postings.set(doc, tf);
        };
        add(next, 1);
        next += 2;
        const maxima = BlockMaxima.build(postings, lengthOf, average);
        for (const o of ops) {
          if (o.kind === 'append') for (let i = 0; i < o.n; i++, next += 2) add(next, 1 + ((next + i) % o.tf));
          else if (o.kind === 'edit-last') postings.set(next - 2, o.tf);
          else if (o.kind === 'remove') {
            const docs = [...postings.keys()];
            if (docs.length > 1) postings.delete(docs[o.at % docs.length]!);
          } else if (o.kind === 'insert') {
            const doc = 2 * (o.at % Math.max(1, next / 2)) + 1; // odd ids fall between the appended ones
            if (!lengths.has(doc)) add(doc, o.tf);
          } else average *= o.factor;
          maxima.refresh(average);
          expectBounds(postings, maxima, lengthOf, average);
        }
      }),
      { numRuns: 150, seed: 1201 },
    );
  });

  it('patches only from its last block when postings are appended, and builds again when slots move', () => {
    const postings = new CompactPostings();
    const lengthOf = (doc: number) => 5 + (doc % 11);
    for (let doc = 0; doc < 1000; doc++) postings.set(doc * 2, 1 + (doc % 3));
    const maxima = BlockMaxima.build(postings, lengthOf, 10);
    const before = maxima.maxima.slice(0, maxima.blocks - 1);
    for (let doc = 1000; doc < 1300; doc++) postings.set(doc * 2, 1);
    expect(maxima.refresh(10)).toBe(false);
    expect(maxima.maxima.slice(0, before.length)).toEqual(before);
    expect(maxima.blocks).toBe(Math.ceil(1300 / BLOCK_SIZE));
    postings.set(1, 7); // between two postings: slots move
    expect(maxima.refresh(10)).toBe(true);
    // The average grew past the band the maxima hold for: built again.
    expect(maxima.refresh(10.6)).toBe(true);
    expect(maxima.refresh(10.6)).toBe(false);
  });
});
