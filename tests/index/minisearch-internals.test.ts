import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import MiniSearch from 'minisearch';
import { addDocumentFields, removeDocumentFields, TermCache, documentIds, fieldLengths, indexMeta, MiniSearchRestorer, walkTerms, type TermPostings } from '../../src/index/minisearch-internals.js';
import { toParagraphDocs } from '../../src/paragraphs/paragraphs.js';
import { udArticles } from '../helpers/ud.js';
import { miniSearchOptions } from '../../src/index/search-index.js';
import type { ParagraphDoc } from '../../src/paragraphs/paragraphs.js';
import { buildIndex, fixtureArticles } from '../helpers/corpus.js';

/** A term's postings in `toJSON`'s form: `{fieldId: {shortId: frequency}}`. */
function postingsToJSON(postings: TermPostings): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [fieldId, freqs] of postings) out[fieldId] = Object.fromEntries(freqs);
  return out;
}

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

  it('restores, part by part, an index equal to the original in toJSON and in search results', () => {
    const mini = buildIndex(fixtureArticles()).miniSearch;
    const restorer = new MiniSearchRestorer<ParagraphDoc>(miniSearchOptions(createAnalyzer()));
    for (const [shortId, id] of documentIds(mini)) restorer.document(shortId, id);
    for (const [shortId, lengths] of fieldLengths(mini)) restorer.fieldLengths(shortId, lengths);
    for (const [term, postings] of walkTerms(mini)) {
      for (const [fieldId, freqs] of postings) for (const [shortId, freq] of freqs) restorer.postings(term, fieldId).set(shortId, freq);
    }
    const restored = restorer.finish(indexMeta(mini));
    expect(JSON.parse(JSON.stringify(restored))).toEqual(JSON.parse(JSON.stringify(mini)));
    for (const q of ['navo', 'rusland', 'oekraine']) expect(restored.search(q)).toEqual(mini.search(q));
    // It is a working index: documents can be removed by id and added again.
    expect(restored.has('markup-in-text#1')).toBe(true);
    restored.discard('markup-in-text#1');
    expect(restored.has('markup-in-text#1')).toBe(false);
  });

  it("adds documents leaving exactly the structures MiniSearch's own add leaves, removable by removeAll", () => {
    const analyzer = createAnalyzer();
    const docs = [...fixtureArticles(), ...udArticles('the direct-add comparison on real text')].flatMap(toParagraphDocs);
    docs.push({ ...docs[0]!, id: 'herhaald#1', text: 'NAVO NAVO navo, de NAVO en Rutte-NAVO.' });
    const theirs = new MiniSearch<ParagraphDoc>(miniSearchOptions(analyzer));
    theirs.addAll(docs);
    const ours = new MiniSearch<ParagraphDoc>(miniSearchOptions(analyzer));
    const caches = [new TermCache(0), new TermCache(1)];
    for (const doc of docs) addDocumentFields(ours, doc.id, [analyzer.indexTerms(doc.text), analyzer.partTerms(doc.text)], caches);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    // Both fields hold terms: compounds were split.
    expect(JSON.stringify(ours)).toMatch(/"1":\{/);
    expect(() => addDocumentFields(ours, docs[0]!.id, [['x'], []], caches)).toThrow(`MiniSearch: duplicate ID ${docs[0]!.id}`);
    ours.removeAll(docs.slice(0, 10));
    theirs.removeAll(docs.slice(0, 10));
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });

  it("removes documents leaving exactly the structures MiniSearch's own remove leaves, with the cache still right for adding", () => {
    const analyzer = createAnalyzer();
    const docs = [...fixtureArticles(), ...udArticles('the direct-remove comparison on real text')].flatMap(toParagraphDocs);
    docs.push({ ...docs[0]!, id: 'herhaald#1', text: 'NAVO NAVO navo, de NAVO en Rutte-NAVO, telefoongesprek gesprek.' });
    docs.push({ ...docs[0]!, id: 'eenmalig#1', text: 'Een zeldzaamheidswoord komt hier alleen voor.' });
    const fieldsOf = (doc: ParagraphDoc) => [analyzer.indexTerms(doc.text), analyzer.partTerms(doc.text)];
    const theirs = new MiniSearch<ParagraphDoc>(miniSearchOptions(analyzer));
    const ours = new MiniSearch<ParagraphDoc>(miniSearchOptions(analyzer));
    const caches = [new TermCache(0), new TermCache(1)];
    for (const doc of docs) {
      theirs.add(doc);
      addDocumentFields(ours, doc.id, fieldsOf(doc), caches);
    }
    // Every third document, and the ones whose terms occur nowhere else (their terms leave the tree).
    const removed = docs.filter((_, n) => n % 3 === 0 || n >= docs.length - 2);
    for (const doc of removed) {
      theirs.remove(doc);
      removeDocumentFields(ours, doc.id, fieldsOf(doc), caches);
    }
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    // The same caches add them back as MiniSearch's add does: no slot points at a term that left the tree.
    for (const doc of removed) {
      theirs.add(doc);
      addDocumentFields(ours, doc.id, fieldsOf(doc), caches);
    }
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(() => removeDocumentFields(ours, 'nergens#1', [[], []], caches)).toThrow('MiniSearch: cannot remove document with ID nergens#1: it is not in the index');
  });
});
