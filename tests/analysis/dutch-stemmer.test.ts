import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stemDutch } from '../../src/analysis/dutch-stemmer.js';
import { sharedPath } from '../helpers/shared.js';

const snowballDir = sharedPath("the Snowball conformance test", 'snowball-dutch');

describe('dutch-stemmer', () => {
  describe('stemDutch', () => {
    it.skipIf(!snowballDir)("agrees with every word of Snowball's reference vocabulary", () => {
      const words = readFileSync(join(snowballDir!, 'voc.txt'), 'utf8').split('\n');
      const stems = readFileSync(join(snowballDir!, 'output.txt'), 'utf8').split('\n');
      expect(words.length).toBe(stems.length);
      expect(words.length).toBeGreaterThan(36_000);
      const wrong: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const got = stemDutch(words[i]!);
        if (got !== stems[i]) wrong.push(`${words[i]} → ${got} (Snowball: ${stems[i]})`);
      }
      expect(wrong.slice(0, 20)).toEqual([]);
      expect(wrong.length).toBe(0);
    });

    it('conflates what the Porter variant misses', () => {
      expect(stemDutch('gepland')).toBe(stemDutch('plannen'));
      expect(stemDutch('beslissen')).toBe(stemDutch('beslissingen'));
      expect(stemDutch('gesprekken')).toBe(stemDutch('gesprek'));
      expect(stemDutch('aangekondigd')).toBe('aankondig');
    });

    // Each exception Snowball's dutch.sbl names, with the words it protects.
    it('keeps schilderij (painting) apart from schild (shield)', () => {
      expect(stemDutch('schilderij')).toBe('schilder');
      expect(stemDutch('schild')).toBe('schild');
    });

    it('keeps innig, innen and geïnd apart from in, and conflates geïnd with innen', () => {
      expect(stemDutch('innig')).toBe('innig');
      expect(stemDutch('innen')).toBe('inn');
      expect(stemDutch('geïnd')).toBe('inn');
      expect(stemDutch('in')).toBe('in');
    });

    it('keeps geënt (grafted) apart from en (and)', () => {
      expect(stemDutch('geënt')).toBe('ent');
      expect(stemDutch('en')).toBe('en');
    });

    it('does not strip ge- from geeft, gevallen, geval, gevaren or gevaarten', () => {
      expect(stemDutch('geeft')).toBe('geef');
      expect(stemDutch('gevallen')).toBe('geval');
      expect(stemDutch('geval')).toBe('geval');
      expect(stemDutch('gevaren')).toBe('gevaar');
      expect(stemDutch('gevaarten')).toBe('gevaart');
      expect(stemDutch('vallen')).toBe('val');
    });

    it("removes the possessive and plural 's and the diminutive 'tje", () => {
      expect(stemDutch("auto's")).toBe('auto');
      expect(stemDutch("oma's")).toBe('oma');
      expect(stemDutch("cd'tje")).toBe('cd');
    });

    it('turns ë and ï after a removed ge- into e and i', () => {
      expect(stemDutch('geëist')).toBe('eis');
      expect(stemDutch('geïnteresseerd')).toBe('interesseer');
    });

    it('keeps the diaeresis elsewhere, as Snowball does', () => {
      expect(stemDutch('financiële')).toBe('financieel');
      expect(stemDutch('oekraïne')).toBe('oekraïne');
    });

    // Branches the public vocabulary never reaches; each expected stem traced by hand through dutch.sbl.
    it('follows the rules the reference vocabulary does not exercise', () => {
      expect(stemDutch('hoorntje')).toBe('hoorn'); // Step_2 je: 'rnt' ] <-'rn'
      expect(stemDutch("baby'je")).toBe('baby'); // Step_2 je: '{'}' ] R1 delete
      expect(stemDutch('bedelarij')).toBe('bedel'); // Step_3 'arij' <-'aar', then Step_4 'laar' <-'l'
      expect(stemDutch('roodachtigst')).toBe('rood'); // Step_4 'achtigst' R1 delete
      expect(stemDutch('kiteit')).toBe('kiteit'); // Step_3 'iteit' fails R1: no other rule may take over
    });

    it('handles the empty string and words of one letter', () => {
      expect(stemDutch('')).toBe('');
      expect(stemDutch('e')).toBe('e');
      expect(stemDutch('s')).toBe('s');
      expect(stemDutch('n')).toBe('n');
    });

    it('treats an astral letter as one character', () => {
      // `hop 3` after ge- counts code points: 'ge' + 𝒜 + 'a' + 'b' has three characters after ge-.
      expect(stemDutch('ge\u{1d49c}ab')).toBe(stemDutch('gexab').replace('x', '\u{1d49c}'));
      expect(stemDutch('\u{1d49c}en')).toBe('\u{1d49c}en');
    });
  });
});
