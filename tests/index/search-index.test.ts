import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { buildIndex, seedArticle, SEED_ID } from '../helpers/corpus.js';
import { ids, reference } from '../helpers/query.js';
import { documentIds, walkTerms } from '../../src/index/minisearch-internals.js';

const article = (id: string, paragraphs: string[]): Article => ({ id, title: id, date: null, source: null, url: null, paragraphs });
/** The index term of one word (the index holds stems: `Rutte` → `rut`, `OVSE` → `ovs`). */
const term = (word: string) => buildIndex([]).analyzer.indexTerms(word)[0]!;

describe('search-index', () => {
  describe('SearchIndex', () => {
    it('indexes every paragraph of an article and finds them through the analyzer', () => {
      const index = buildIndex();
      expect(index.articleCount).toBe(1);
      expect(index.paragraphCount).toBe(19);
      expect(ids(index, 'navo')).toEqual([`${SEED_ID}#16`, `${SEED_ID}#18`]);
      expect(reference(index, 'navo')[0]!.terms).toEqual(['navo']);
    });

    it('leaves no posting of a discarded paragraph after MiniSearch\'s vacuum (the snapshot loader\'s path for changed articles)', async () => {
      const articles = Array.from({ length: 40 }, (_, i) => article(`a${String(i).padStart(3, '0')}`, [`gemeenschappelijk woord nummer ${i}`]));
      const index = buildIndex(articles);
      const mini = index.miniSearch;
      mini.discardAll(articles.slice(0, 20).map((a) => `${a.id}#1`));
      await mini.vacuum({ batchSize: 5000, batchWait: 0 });
      const present = documentIds(mini);
      const leftovers: string[] = [];
      for (const [t, fields] of walkTerms(mini)) for (const [, postings] of fields) for (const [doc] of postings) if (!present.has(doc)) leftovers.push(`${t}:${doc}`);
      expect(leftovers).toEqual([]);
    });

    it('refuses to add an article twice', () => {
      const index = buildIndex();
      expect(() => index.addArticle(seedArticle())).toThrow(`SearchIndex: article "${SEED_ID}" is already indexed`);
    });

    it('replaces an article whose paragraph count changed, leaving no stale paragraph behind', () => {
      const index = buildIndex([article('a', ['Eerste alinea over de NAVO.', 'Tweede over Poetin.', 'Derde over Trump.'])]);
      index.replaceArticle(article('a', ['Nu alleen over Witkoff.']));
      expect(index.paragraphCount).toBe(1);
      expect(reference(index, 'navo')).toEqual([]);
      expect(ids(index, 'poetin')).toEqual([]);
      expect(index.getParagraph('a#2')).toBeUndefined();
      expect(ids(index, 'witkoff')).toEqual(['a#1']);
    });

    it('removes an article and reports whether it was there', () => {
      const index = buildIndex();
      expect(index.removeArticle(SEED_ID)).toBe(true);
      expect(index.removeArticle(SEED_ID)).toBe(false);
      expect(reference(index, 'navo')).toEqual([]);
      expect(ids(index, 'navo')).toEqual([]);
      expect(index.paragraphCount).toBe(0);
    });

    it('orders equal scores by article id, then paragraph', () => {
      const index = buildIndex([article('b', ['Rutte.', 'Rutte.']), article('a', ['Rutte.'])]);
      expect(ids(index, term('Rutte'))).toEqual(['a#1', 'b#1', 'b#2']);
    });

    it('combines terms with AND and OR', () => {
      const index = buildIndex();
      const paragraphs = (found: string[]) => found.map((id) => Number(id.split('#')[1])).sort((x, y) => x - y);
      expect(paragraphs(ids(index, { and: ['navo', term('OVSE')] }))).toEqual([16, 18]);
      expect(paragraphs(ids(index, { or: ['navo', 'witkoff'] }))).toEqual([6, 16, 18]);
    });

    it('settles (drops its adding caches) without changing what further adds produce', () => {
      const [first, ...rest] = [seedArticle(), article('a', ['De NAVO en Rutte.', 'Rutte-NAVO overleg.']), article('b', ['NAVO NAVO Rutte.'])];
      const run = (settle: boolean) => {
        const index = buildIndex([first!]);
        if (settle) index.settle();
        for (const a of rest) index.addArticle(a);
        index.removeArticle('a');
        if (settle) index.settle();
        index.addArticle(rest[0]!);
        return index;
      };
      const settled = run(true);
      const unsettled = run(false);
      expect(JSON.stringify(settled.miniSearch)).toBe(JSON.stringify(unsettled.miniSearch));
      // `overleg` left MiniSearch's tree with article a; added again, it must be back in the tree.
      expect(ids(unsettled, term('overleg'))).toEqual(['a#2']);
      expect(ids(settled, term('Rutte')).sort()).toEqual(['a#1', 'a#2', 'b#1']);
    });
  });
});
