/**
 * The Dutch stemmers a user can choose: Snowball's current `dutch` (Kraaij-Pohlmann, ours, the default)
 * and Snowball's older `dutch_porter`, taken from @orama/stemmers (which matches Snowball's reference).
 */
import { stemmer as stemDutchPorter } from '@orama/stemmers/dutch';
import { stemDutch } from './dutch-stemmer.js';

/** Snowball's names for the two algorithms. */
export type StemmerName = 'dutch' | 'dutch_porter';

export const STEMMER_NAMES: readonly StemmerName[] = ['dutch', 'dutch_porter'];

export const DEFAULT_STEMMER: StemmerName = 'dutch';

/** The stemming function for a Snowball algorithm name; throws on an unknown name. */
export function stemmerByName(name: string): (word: string) => string {
  switch (name) {
    case 'dutch':
      return stemDutch;
    case 'dutch_porter':
      return stemDutchPorter;
    default:
      throw new Error(`stemmers: unknown stemmer "${name}" (use one of ${STEMMER_NAMES.join(', ')})`);
  }
}
