/**
 * Irregular Dutch forms and their lemmas (`zei` → `zeggen`, `steden` → `stad`), from the table in
 * irregular-forms.ts: what no suffix-stripping stemmer can bring together.
 */
import { IRREGULAR_FORMS } from './irregular-forms.js';

/** Form → lemma, both lowercase. A form listed under several lemmas keeps the first. */
export function irregularLemmas(table: string = IRREGULAR_FORMS): ReadonlyMap<string, string> {
  const lemmas = new Map<string, string>();
  table.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`irregular forms, line ${i + 1}: expected "lemma: form form …"`);
    const lemma = line.slice(0, colon).trim();
    for (const form of line.slice(colon + 1).trim().split(/\s+/)) {
      if (form !== '' && form !== lemma && !lemmas.has(form)) lemmas.set(form, lemma);
    }
  });
  return lemmas;
}
