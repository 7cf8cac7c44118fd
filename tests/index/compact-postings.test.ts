import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactPostings } from '../../src/index/compact-postings.js';

describe('CompactPostings', () => {
  it('behaves exactly as a Map of short ids, in ascending order, under any sequence of changes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), doc: fc.nat(200), tf: fc.integer({ min: 1, max: 70_000 }) }),
      fc.record({ kind: fc.constant('append' as const), tf: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('delete' as const), doc: fc.nat(200) }),
      fc.constant({ kind: 'clear' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ours = new CompactPostings();
        const model = new Map<number, number>();
        let next = 0;
        for (const o of ops) {
          const keysBefore = [...model.keys()].sort((a, b) => a - b).join(',');
          const versionBefore = ours.membershipVersion;
          if (o.kind === 'set') {
            ours.set(o.doc, o.tf);
            model.set(o.doc, o.tf);
          } else if (o.kind === 'append') {
            next = Math.max(next, ...model.keys(), -1) + 1;
            ours.set(next, o.tf);
            model.set(next, o.tf);
          } else if (o.kind === 'delete') expect(ours.delete(o.doc)).toBe(model.delete(o.doc));
          else {
            ours.clear();
            model.clear();
          }
          expect(ours.size).toBe(model.size);
          // The membership version moves whenever the set of documents changes (a frequency change is not one).
          const keysAfter = [...model.keys()].sort((a, b) => a - b).join(',');
          if (keysAfter !== keysBefore) expect(ours.membershipVersion).toBeGreaterThan(versionBefore);
          else if (o.kind !== 'clear') expect(ours.membershipVersion).toBe(versionBefore);
        }
        const sorted = [...model].sort((a, b) => a[0] - b[0]);
        expect([...ours]).toEqual(sorted);
        expect([...ours.keys()]).toEqual(sorted.map(([d]) => d));
        expect([...ours.values()]).toEqual(sorted.map(([, tf]) => tf));
        const visited: Array<[number, number]> = [];
        ours.forEach((tf, doc) => visited.push([doc, tf]));
        expect(visited).toEqual(sorted);
        for (let doc = 0; doc <= 201; doc++) {
          expect(ours.get(doc)).toBe(model.get(doc));
          expect(ours.has(doc)).toBe(model.has(doc));
        }
        expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(sorted));
        // The engine's raw walk, stepping over removed postings (frequency 0), sees the same pairs.
        const raw: Array<[number, number]> = [];
        for (let i = 0; i < ours.rawLength; i += 2) if (ours.raw[i + 1] !== 0) raw.push([ours.raw[i]!, ours.raw[i + 1]!]);
        expect(raw).toEqual(sorted);
      }),
      { numRuns: 500 },
    );
  });

  it('visits every entry of a walk that deletes as it goes: compaction waits until the walk ends', () => {
    for (const walk of ['forEach', 'entries', 'keys'] as const) {
      const list = new CompactPostings();
      for (let doc = 0; doc < 40; doc++) list.set(doc, 1);
      const visited: number[] = [];
      const visit = (doc: number) => {
        visited.push(doc);
        list.delete(doc); // past a quarter of tombstones by the 11th: a compaction mid-walk would skip entries
      };
      if (walk === 'forEach') list.forEach((_tf, doc) => visit(doc));
      else if (walk === 'entries') for (const [doc] of list) visit(doc);
      else for (const doc of list.keys()) visit(doc);
      expect(visited).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(list.size).toBe(0);
      // Compacted once the walk ended: the tombstones are gone.
      expect(list.rawLength).toBe(0);
    }
  });

  it('makes room for a restored list at once: appending what was reserved allocates nothing more', () => {
    const list = new CompactPostings();
    list.set(1, 2);
    list.reserveFor(1000);
    const room = list.raw;
    for (let doc = 2; doc <= 1001; doc++) list.set(doc * 3, doc % 7 + 1);
    expect(list.raw).toBe(room);
    expect(list.size).toBe(1001);
    expect([...list.keys()].slice(0, 3)).toEqual([1, 6, 9]);
    expect(list.get(3003)).toBe((1001 % 7) + 1);
  });
});
