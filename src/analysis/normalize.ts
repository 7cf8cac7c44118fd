/**
 * Character-level normalisation of one word: Unicode compatibility form, lowercase, one apostrophe,
 * and diacritic folding. Pure functions; the analyzer decides where each one runs.
 */

/** Apostrophe look-alikes people type inside Dutch words (auto’s, zoʼn, auto´s), and the soft hyphen. */
const APOSTROPHE_LIKE = /[\u2019\u2018\u02bc\u00b4\u00ad]/g;

/**
 * The normalized form of a word as written: apostrophe look-alikes become `'`, soft hyphens vanish,
 * then NFKC (so the Dutch ligature `ĳ` becomes `ij` and full-width letters become plain ones) and lowercase.
 * Diacritics are kept: the stemmer needs them.
 * @example normalizeWord('Auto’s') === "auto's"
 */
export function normalizeWord(surface: string): string {
  if (isAscii(surface)) return surface.toLowerCase();
  // Apostrophes first: NFKC would turn the acute accent ´ into a space and a combining mark.
  return surface.replace(APOSTROPHE_LIKE, apostropheOrNothing).normalize('NFKC').toLowerCase();
}

function apostropheOrNothing(ch: string): string {
  return ch === '\u00ad' ? '' : "'";
}

/** Latin letters whose diacritic is not a combining mark, so NFD alone cannot remove it. */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ø: 'o', ł: 'l', đ: 'd', ħ: 'h', ı: 'i', ŀ: 'l', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ŧ: 't',
};
const UNDECOMPOSABLE_PATTERN = /[øłđħıŀßæœþŧ]/g;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;

/**
 * Removes diacritics from a lowercase word: `oekraïne` → `oekraine`, `één` → `een`, `søren` → `soren`.
 * Only the combining diacritical marks (U+0300–U+036F) are stripped, so scripts whose vowel signs are
 * also marks (Devanagari, say) keep their letters.
 */
export function foldDiacritics(word: string): string {
  if (!hasNonAscii(word)) return word;
  return word
    .normalize('NFD')
    .replace(COMBINING_DIACRITICS, '')
    .replace(UNDECOMPOSABLE_PATTERN, (ch) => UNDECOMPOSABLE[ch] ?? ch)
    .normalize('NFC');
}

/** True when every code unit is below U+0080. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

function hasNonAscii(text: string): boolean {
  return !isAscii(text);
}
