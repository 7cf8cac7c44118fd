/**
 * The words that are never indexed: Snowball's Dutch stop list, plus the clitics that stand for
 * words on it ('s = des, 't = het, 'n = een, 'k = ik). Matched on the folded, lowercase form,
 * so `één` and `vóór` are treated exactly like `een` and `voor`.
 */

/** Snowball's Dutch stop list (snowballstem.org, algorithms/dutch/stop.txt; BSD-3-Clause), in its order. */
export const SNOWBALL_DUTCH_STOPWORDS: readonly string[] = [
  'de', 'en', 'van', 'ik', 'te', 'dat', 'die', 'in', 'een', 'hij', 'het', 'niet', 'zijn', 'is', 'was',
  'op', 'aan', 'met', 'als', 'voor', 'had', 'er', 'maar', 'om', 'hem', 'dan', 'zou', 'of', 'wat', 'mijn',
  'men', 'dit', 'zo', 'door', 'over', 'ze', 'zich', 'bij', 'ook', 'tot', 'je', 'mij', 'uit', 'der', 'daar',
  'haar', 'naar', 'heb', 'hoe', 'heeft', 'hebben', 'deze', 'u', 'want', 'nog', 'zal', 'me', 'zij', 'nu',
  'ge', 'geen', 'omdat', 'iets', 'worden', 'toch', 'al', 'waren', 'veel', 'meer', 'doen', 'toen', 'moet',
  'ben', 'zonder', 'kan', 'hun', 'dus', 'alles', 'onder', 'ja', 'eens', 'hier', 'wie', 'werd', 'altijd',
  'doch', 'wordt', 'wezen', 'kunnen', 'ons', 'zelf', 'tegen', 'na', 'reeds', 'wil', 'kon', 'niets', 'uw',
  'iemand', 'geweest', 'andere',
];

/** Clitics written with a leading apostrophe; each stands for a stopword (or for `des`). */
export const DUTCH_CLITICS: readonly string[] = ["'s", "'t", "'n", "'k"];

/** Every form the analyzer drops from the index (folded, lowercase). */
export const DUTCH_STOPWORDS: ReadonlySet<string> = new Set([...SNOWBALL_DUTCH_STOPWORDS, ...DUTCH_CLITICS]);
