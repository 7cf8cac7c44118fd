import { describe, expect, it } from 'vitest';
import { documentIds, fieldLengths, indexMeta, postingsToJSON, walkTerms } from '../../src/index/minisearch-internals.js';
import { buildIndex, fixtureArticles } from '../helpers/corpus.js';

describe('minisearch-internals', () => {
  it("walks exactly what MiniSearch's own toJSON serializes", () => {
    const index = buildIndex(fixtureArticles());
    const mini = index.miniSearch;
    mini.discard('markup-in-text#1'); // a discarded document's postings stay until vacuumed: they must round-trip too
    const expected = JSON.parse(JSON.stringify(mini));
    const terms = [...walkTerms(mini)].map(([term, postings]) => [term, postingsToJSON(postings)]);
    const byTerm = (a: unknown[], b: unknown[]) => ((a[0] as string) < (b[0] as string) ? -1 : 1);
    expect(terms.sort(byTerm)).toEqual([...expected.index].sort(byTerm));
    expect(Object.fromEntries(documentIds(mini))).toEqual(expected.documentIds);
    expect(Object.fromEntries(fieldLengths(mini))).toEqual(expected.fieldLength);
    expect(indexMeta(mini)).toEqual({
      documentCount: expected.documentCount,
      nextId: expected.nextId,
      fieldIds: expected.fieldIds,
      averageFieldLength: expected.averageFieldLength,
      dirtCount: expected.dirtCount,
    });
  });
});
