/**
 * Splits a closed Dutch compound into its parts (`veiligheidsgaranties` → `veiligheid·s` + `garanties`) with
 * the compound lexicon: every split whose parts the lexicon allows where they stand is a candidate, and the
 * one whose parts are most frequent wins (Koehn & Knight 2003; ties by the parts' productivity in the
 * lexicon), unless the word itself is more frequent, or more productive than a part (DESIGN.md, "Compounds").
 */
import { FORM_HASH_START, FormTable, MIN_PART_LENGTH, type CompoundLexicon, type LexiconForm } from './lexicon.js';

/** One part of a split compound, in the word it came from. */
export interface CompoundPart {
  /** The part as it stands in the word, linking morpheme included (`veiligheids`). */
  text: string;
  /** Offsets of `text` in the word. */
  start: number;
  end: number;
  /** The lexicon word it is a form of (`veiligheid`): what the part is indexed by. */
  lemma: string;
  /** Its linking morpheme (`s`, `en`, `e`, …), or ''. */
  link: string;
}

/**
 * Parts one split makes at most; a part is split again, so `zuid·pool·gebieden` is two splits. Three keeps
 * the candidates few (each level multiplies them).
 */
export const MAX_PARTS = 3;

/** Letters only (diacritics allowed), lowercase: what may be a closed compound. */
const LETTERS = /^[a-zà-öø-ÿ]+$/;

type Segment = { start: number; end: number; form: LexiconForm };

/**
 * The parts of `word` (normalized: lowercase, diacritics kept), or null when it is no compound the
 * lexicon can tell: too short, not only letters, or best left whole.
 */
export function splitCompound(word: string, lexicon: CompoundLexicon): CompoundPart[] | null {
  if (word.length < 2 * MIN_PART_LENGTH || word.length > 64 || !LETTERS.test(word)) return null;
  const best = bestSplit(word, lexicon);
  if (best === null) return null;
  // Each part is split again, by the same rules: `arbeidsmarkt·situatie` → `arbeids·markt·situatie`.
  const out: CompoundPart[] = [];
  for (const { start, end, form } of best) {
    const text = word.slice(start, end);
    const inner = form.link === '' || text.endsWith(form.link) ? text.slice(0, text.length - form.link.length) : null;
    const sub = inner === null || inner.length < 2 * MIN_PART_LENGTH ? null : partSplit(inner, lexicon);
    if (sub === null) {
      out.push({ text, start, end, lemma: form.lemma, link: form.link });
      continue;
    }
    sub.forEach((p, i) => {
      const lastSub = i === sub.length - 1;
      out.push({ text: lastSub ? p.text + form.link : p.text, start: start + p.start, end: lastSub ? end : start + p.end, lemma: p.lemma, link: lastSub ? form.link : p.link });
    });
  }
  return out;
}

/**
 * Parts recur across compounds far more than compounds do (`telefoon`, `gesprek`): their own splits are
 * remembered, a bounded number per lexicon.
 */
const PART_SPLIT_MEMO_SIZE = 20_000;
const partMemos = new WeakMap<CompoundLexicon, Map<string, readonly CompoundPart[] | null>>();

function partSplit(part: string, lexicon: CompoundLexicon): readonly CompoundPart[] | null {
  let memo = partMemos.get(lexicon);
  if (memo === undefined) partMemos.set(lexicon, (memo = new Map()));
  const known = memo.get(part);
  if (known !== undefined) return known;
  const parts = splitCompound(part, lexicon);
  if (memo.size < PART_SPLIT_MEMO_SIZE) memo.set(part, parts === null ? null : Object.freeze(parts));
  return parts;
}


/** Scratch for one word's cuts: where a last part may start, with its form (no word is longer than 64). */
const lastCuts = new Int32Array(65);
const lastForms: Array<LexiconForm | undefined> = new Array(65);

/**
 * The best split of `word` by Koehn & Knight's criterion, or null. Candidates are a first part and a last
 * part, or a first, a middle and a last part (longer compounds come from splitting the parts again). Most
 * words end in no last part at all: that is looked at first, one look-up per cut, nothing allocated.
 */
function bestSplit(word: string, lexicon: CompoundLexicon): Segment[] | null {
  const n = word.length;
  let cuts = 0;
  // Suffixes from the shortest: the hash of word[cut, n) read backward, rolled one letter at a time.
  let h = FORM_HASH_START;
  for (let cut = n - 1; cut >= MIN_PART_LENGTH; cut--) {
    h = FormTable.roll(h, word.charCodeAt(cut));
    if (n - cut < MIN_PART_LENGTH) continue;
    const form = lexicon.lastTable.find(word, cut, n, h);
    if (form === undefined || !boundaryAllowed(word, cut)) continue;
    lastCuts[cuts] = cut;
    lastForms[cuts++] = form;
  }
  if (cuts === 0) return null;
  // In increasing order, as the candidates are made.
  for (let i = 0, j = cuts - 1; i < j; i++, j--) {
    const c = lastCuts[i]!;
    lastCuts[i] = lastCuts[j]!;
    lastCuts[j] = c;
    const f = lastForms[i];
    lastForms[i] = lastForms[j];
    lastForms[j] = f;
  }
  // The best candidate so far, as its cuts and forms (the winner alone becomes segments). Compared by the
  // mean log frequency (the log of Koehn & Knight's geometric mean), then the mean log family; ties go to
  // fewer parts (the coarser split), then the longer last part.
  let bestFirst: LexiconForm | undefined;
  let bestMiddle: LexiconForm | undefined;
  let bestLast: LexiconForm | undefined;
  let bestCut = 0;
  let bestAt = 0;
  let bestFrequency = -1;
  let bestFamily = -1;
  const maxFirstEnd = lastCuts[cuts - 1]!;
  let prefix = FORM_HASH_START;
  for (let i = 0; i < MIN_PART_LENGTH - 1; i++) prefix = FormTable.roll(prefix, word.charCodeAt(i));
  for (let cut = MIN_PART_LENGTH; cut <= maxFirstEnd; cut++) {
    prefix = FormTable.roll(prefix, word.charCodeAt(cut - 1));
    if (!boundaryAllowed(word, cut)) continue;
    const begin = lexicon.firstTable.find(word, 0, cut, prefix);
    if (begin === undefined) continue;
    for (let c = 0; c < cuts; c++) {
      const at = lastCuts[c]!;
      const end = lastForms[c]!;
      let middle: LexiconForm | undefined;
      let frequency: number;
      let family: number;
      if (at === cut) {
        frequency = (begin.logFrequency + end.logFrequency) / 2;
        family = (begin.logFamily + end.logFamily) / 2;
      } else if (at - cut >= MIN_PART_LENGTH) {
        middle = lexicon.middle.get(word.slice(cut, at));
        if (middle === undefined) continue;
        frequency = (begin.logFrequency + middle.logFrequency + end.logFrequency) / 3;
        family = (begin.logFamily + middle.logFamily + end.logFamily) / 3;
      } else continue;
      const order = frequency - bestFrequency || family - bestFamily;
      const fewer = bestLast !== undefined && (middle === undefined) !== (bestMiddle === undefined) ? middle === undefined : at < bestAt;
      if (order > 0 || (order === 0 && bestLast !== undefined && fewer)) {
        bestFirst = begin;
        bestMiddle = middle;
        bestLast = end;
        bestCut = cut;
        bestAt = at;
        bestFrequency = frequency;
        bestFamily = family;
      }
    }
  }
  if (bestLast === undefined) return null;
  const parts: Segment[] = [{ start: 0, end: bestCut, form: bestFirst! }];
  if (bestMiddle !== undefined) parts.push({ start: bestCut, end: bestAt, form: bestMiddle });
  parts.push({ start: bestAt, end: n, form: bestLast });
  bestFrequency = Math.exp(bestFrequency);
  // Koehn & Knight: a word more frequent than its parts' geometric mean is a word of its own (`belangrijk`,
  // `besloten`), however it could be cut; a common compound's parts are commoner still (`telefoon`, `gesprek`).
  const base = lexicon.inflectionOf(word);
  const wholeFrequency = Math.max(lexicon.frequency(word), base === undefined ? 0 : lexicon.frequency(base));
  if (wholeFrequency > 0 && bestFrequency <= wholeFrequency + 1) return null;
  // A word the lexicon lists (or an inflection of one) stays whole unless each part is more productive
  // than the word itself: `gesprek` (a part of 87 of the lexicon's compounds) is not `gesp` + `rek` (8 and
  // 7), while `telefoongesprek` (part of none) is `telefoon` (25) + `gesprek` (87).
  const whole = lexicon.last.get(word) ?? lexicon.first.get(word);
  const wholeLemma = whole?.lemma ?? (lexicon.words.has(word) ? word : null);
  if (wholeLemma !== null) {
    const own = Math.max(lexicon.family(wholeLemma), base === undefined ? 0 : lexicon.family(base));
    for (const part of parts) if (part.form.family <= own) return null;
  }
  return parts;
}



/**
 * Whether a part may end before `cut`: not between the two letters of a two-letter vowel (aa ee oo uu ie oe
 * eu ei ij ui au ou), which Dutch spelling never leaves to a closed compound (it writes `zee-egel`).
 */
function boundaryAllowed(word: string, cut: number): boolean {
  const a = word.charCodeAt(cut - 1);
  const b = word.charCodeAt(cut);
  switch (a) {
    case 0x61: // a: aa, au
      return b !== 0x61 && b !== 0x75;
    case 0x65: // e: ee, eu, ei
      return b !== 0x65 && b !== 0x75 && b !== 0x69;
    case 0x6f: // o: oo, oe, ou
      return b !== 0x6f && b !== 0x65 && b !== 0x75;
    case 0x75: // u: uu, ui
      return b !== 0x75 && b !== 0x69;
    case 0x69: // i: ie, ij
      return b !== 0x65 && b !== 0x6a;
    default:
      return true;
  }
}

/** The parts written as the evaluation lists write them: `veiligheids+garanties`. */
export function formatSplit(word: string, parts: CompoundPart[] | null): string {
  return parts === null ? word : parts.map((p) => p.text).join('+');
}
