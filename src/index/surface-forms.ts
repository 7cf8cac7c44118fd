/**
 * The words of the index as people write them, for suggestions as you type and for "did you mean": every
 * written form (`Oekraïne`, `oekraine`) with how often it occurs, grouped by its folded form (`oekraine`) and
 * by its index term, kept current as paragraphs are added and removed. Indexing counts an occurrence with
 * one typed-array increment; which written form is the commonest is decided when someone asks (DESIGN.md,
 * "Suggestions").
 */
import { WORD_MEMO_SIZE } from '../analysis/analyzer.js';

/** A word that starts with a prefix: its commonest written form and how often it occurs in all its forms. */
export interface FormMatch {
  display: string;
  folded: string;
  count: number;
}

/** Forms added since the sorted list was last rebuilt are scanned one by one; beyond this they are merged in. */
const MAX_RECENT = 2048;

/** Growable Int32Array-backed columns (by half again: these are most of the structure's memory). */
function grown(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

export class SurfaceForms {
  // Every string met (written forms, folded forms and index terms mostly coincide: `navo` is all three) is
  // kept once, with a small id; what is found by a string is an Int32Array column by that id, so the
  // vocabulary costs one Map, not one per way of looking it up.
  private readonly strings = new Map<string, number>();
  private stringText: string[] = [];
  /** By string id, + 1 (0: none): the surface written so, the folded form folded so, a term's first surface. */
  private surfaceByString = new Int32Array(1024);
  private formByString = new Int32Array(1024);
  private firstOfTerm = new Int32Array(1024);

  // Written forms (surfaces): text, index term (string ids), occurrences, folded form, and the next surface of
  // the same folded form and of the same term (chains through the arrays, so a group costs no array of its own).
  private surfaceString = new Int32Array(1024);
  private surfaceTerm = new Int32Array(1024);
  private surfaceCount = 0;
  private counts = new Int32Array(1024);
  private formOf = new Int32Array(1024);
  private nextInForm = new Int32Array(1024);
  private nextInTerm = new Int32Array(1024);
  /** Surface id + 1 by the analyzer's word id (0: not seen yet). */
  private readonly byWord = new Int32Array(WORD_MEMO_SIZE);

  // Folded forms: text (string ids) and first surface; sorted by text for prefix look-ups (plus those added since).
  private foldedText: string[] = [];
  private firstOfForm = new Int32Array(1024);
  private sorted: Int32Array<ArrayBuffer> = new Int32Array(0);
  private recent: number[] = [];
  private restoring = false;

  /** Distinct folded forms seen. */
  get size(): number {
    return this.foldedText.length;
  }

  /**
   * Counts one occurrence of a written word.
   * @param word  the analyzer's id of the written word (−1 when it has none)
   */
  add(surface: string, folded: string, term: string, word = -1): void {
    const id = this.surfaceId(surface, word) ?? this.register(surface, folded, term, word);
    this.counts[id] = this.counts[id]! + 1;
  }

  /** Forgets one occurrence (a removed paragraph's word). */
  remove(surface: string, word = -1): void {
    const id = this.surfaceId(surface, word);
    if (id !== undefined && this.counts[id]! > 0) this.counts[id] = this.counts[id]! - 1;
  }

  /** The written form seen most often for an index term, or undefined when no current word has it. */
  displayOfTerm(term: string): string | undefined {
    let best = -1;
    const t = this.strings.get(term);
    for (let s = t === undefined ? -1 : this.firstOfTerm[t]! - 1; s >= 0; s = this.nextInTerm[s]!) {
      if (this.counts[s]! > 0 && (best < 0 || this.counts[s]! > this.counts[best]!)) best = s;
    }
    return best < 0 ? undefined : this.textOf(best);
  }

  /**
   * The `limit` most frequent words whose folded form starts with `prefix` (folded), most frequent first,
   * each as its commonest written form. Linear in the words sharing the prefix.
   */
  withPrefix(prefix: string, limit: number): FormMatch[] {
    if (limit <= 0) return [];
    if (this.recent.length > MAX_RECENT) this.merge();
    const best: Array<{ form: number; count: number }> = [];
    const offer = (form: number) => {
      let count = 0;
      for (let s = this.firstOfForm[form]!; s >= 0; s = this.nextInForm[s]!) count += this.counts[s]!;
      if (count <= 0 || (best.length === limit && count <= best[limit - 1]!.count)) return;
      if (best.length === limit) best.pop();
      let i = best.length;
      best.push({ form, count });
      while (i > 0 && best[i - 1]!.count < count) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = { form, count };
    };
    // The sorted forms starting with the prefix are one run: find its start by binary search.
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.foldedText[this.sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length && this.foldedText[this.sorted[i]!]!.startsWith(prefix); i++) offer(this.sorted[i]!);
    for (const form of this.recent) if (this.foldedText[form]!.startsWith(prefix)) offer(form);
    return best.map(({ form, count }) => ({ display: this.commonest(form), folded: this.foldedText[form]!, count }));
  }

  // ---- the snapshot's view -----------------------------------------------------------------------

  /** Every written form: text, folded form, index term, occurrences. */
  *surfaces(): Generator<[string, string, string, number]> {
    for (let id = 0; id < this.surfaceCount; id++) {
      const text = this.stringText;
      yield [text[this.surfaceString[id]!]!, this.foldedText[this.formOf[id]!]!, text[this.surfaceTerm[id]!]!, this.counts[id]!];
    }
  }

  /** Restores one written form as `surfaces` gave it; call `restored` after the last. */
  restore(surface: string, folded: string, term: string, count: number): void {
    this.restoring = true;
    const id = this.surfaceId(surface, -1) ?? this.register(surface, folded, term, -1);
    this.counts[id] = count;
  }

  /** Ends a restore: sorts the restored words for prefix look-ups, once. */
  restored(): void {
    this.restoring = false;
    this.merge();
  }

  // ---- inside ------------------------------------------------------------------------------------

  private surfaceId(surface: string, word: number): number | undefined {
    if (word >= 0) {
      const known = this.byWord[word]!;
      if (known !== 0) return known - 1;
    }
    const s = this.strings.get(surface);
    const id = s === undefined ? 0 : this.surfaceByString[s]!;
    if (id === 0) return undefined;
    if (word >= 0) this.byWord[word] = id;
    return id - 1;
  }

  private textOf(surface: number): string {
    return this.stringText[this.surfaceString[surface]!]!;
  }

  /** The id of a string, added when new. */
  private intern(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) {
      id = this.stringText.length;
      this.stringText.push(text);
      this.strings.set(text, id);
      const n = id + 1;
      this.surfaceByString = grown(this.surfaceByString, n);
      this.formByString = grown(this.formByString, n);
      this.firstOfTerm = grown(this.firstOfTerm, n);
      this.surfaceByString[id] = 0;
      this.formByString[id] = 0;
      this.firstOfTerm[id] = 0;
    }
    return id;
  }

  private register(surface: string, folded: string, term: string, word: number): number {
    const id = this.surfaceCount++;
    const n = id + 1;
    this.surfaceString = grown(this.surfaceString, n);
    this.surfaceTerm = grown(this.surfaceTerm, n);
    this.counts = grown(this.counts, n);
    this.formOf = grown(this.formOf, n);
    this.nextInForm = grown(this.nextInForm, n);
    this.nextInTerm = grown(this.nextInTerm, n);
    const s = this.intern(surface);
    const f = this.intern(folded);
    const t = this.intern(term);
    this.surfaceString[id] = s;
    this.surfaceTerm[id] = t;
    this.counts[id] = 0;
    this.surfaceByString[s] = id + 1;
    if (word >= 0) this.byWord[word] = id + 1;

    let form = this.formByString[f]! - 1;
    if (form < 0) {
      form = this.foldedText.length;
      this.foldedText.push(this.stringText[f]!);
      this.firstOfForm = grown(this.firstOfForm, form + 1);
      this.firstOfForm[form] = -1;
      this.formByString[f] = form + 1;
      this.recent.push(form);
      // Merged as they come (a pass over the sorted list per MAX_RECENT new words), so no question ever waits
      // for a large sort; a snapshot's restore sorts once at the end instead (`restored`).
      if (!this.restoring && this.recent.length >= MAX_RECENT) this.merge();
    }
    this.formOf[id] = form;
    this.nextInForm[id] = this.firstOfForm[form]!;
    this.firstOfForm[form] = id;
    this.nextInTerm[id] = this.firstOfTerm[t]! - 1;
    this.firstOfTerm[t] = id + 1;
    return id;
  }

  /** The written form of a folded form that occurs most often now. */
  private commonest(form: number): string {
    let best = this.firstOfForm[form]!;
    for (let s = best; s >= 0; s = this.nextInForm[s]!) if (this.counts[s]! > this.counts[best]!) best = s;
    return this.textOf(best);
  }

  /**
   * Merges the recent forms into the sorted list: the recent ones sorted, each one's place found by binary
   * search, and the runs of the list between them copied whole — string comparisons grow with the recent
   * forms only, not with the whole list, so merging as words arrive stays cheap at a million paragraphs.
   */
  private merge(): void {
    const text = this.foldedText;
    // Sorted as strings by the engine's own comparison (no comparator called per pair), then back to ids.
    const keys = this.recent.map((form) => text[form]!).sort();
    const sorted = this.sorted;
    const merged = new Int32Array(sorted.length + keys.length);
    let copied = 0;
    let k = 0;
    for (const key of keys) {
      // Galloping from where the last one went: the next place is usually a short way on.
      let step = 1;
      let lo = copied;
      let hi = copied;
      while (hi < sorted.length && text[sorted[hi]!]! <= key) {
        lo = hi + 1;
        hi += step;
        step *= 2;
      }
      if (hi > sorted.length) hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (text[sorted[mid]!]! <= key) lo = mid + 1;
        else hi = mid;
      }
      merged.set(sorted.subarray(copied, lo), k);
      k += lo - copied;
      copied = lo;
      merged[k++] = this.formByString[this.strings.get(key)!]! - 1;
    }
    merged.set(sorted.subarray(copied), k);
    this.sorted = merged;
    this.recent = [];
  }
}
