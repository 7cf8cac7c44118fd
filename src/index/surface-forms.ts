/**
 * The words of the index as people write them, for suggestions as you type and for "did you mean": each
 * word's folded form (`oekraine`) with its commonest written variant (`Oekraïne`) and how often it occurs,
 * kept current as paragraphs are added and removed; and for each index term, the written form seen most
 * often. Lean on purpose — parallel arrays and one Map, no object per word — since it grows with the
 * vocabulary (DESIGN.md, "Suggestions").
 */

/** A written word that starts with a prefix, with how often it occurs. */
export interface FormMatch {
  /** The commonest written variant. */
  display: string;
  folded: string;
  /** Occurrences (tokens) in the index. */
  count: number;
}

/** Forms added since the sorted list was last rebuilt are scanned one by one; beyond this they are merged in. */
const MAX_RECENT = 2048;

export class SurfaceForms {
  /** Folded form → form id. */
  private readonly ids = new Map<string, number>();
  private folded: string[] = [];
  /** The commonest written variant, or null when it is the folded form itself (most words). */
  private display: Array<string | null> = [];
  /** Occurrences of the `display` variant. */
  private counts = new Int32Array(1024);
  /** Occurrences of the other written variants, by the variant (exact surface). */
  private readonly variants = new Map<string, number>();
  /** Index term → the form id written most often for it (its display variant's count decides). */
  private readonly byTerm = new Map<string, number>();
  /** Form ids sorted by folded form, for prefix look-ups; plus those added since, unsorted. */
  private sorted: Int32Array = new Int32Array(0);
  private recent: number[] = [];

  /** Distinct folded forms ever seen. */
  get size(): number {
    return this.folded.length;
  }

  /** Counts one occurrence of a written word (`surface`, folded `folded`) that contributes index term `term`. */
  add(surface: string, folded: string, term: string): void {
    let id = this.ids.get(folded);
    if (id === undefined) {
      id = this.folded.length;
      this.ids.set(folded, id);
      this.folded.push(folded);
      this.display.push(surface === folded ? null : surface);
      if (id === this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
      this.counts[id] = 1;
      this.recent.push(id);
    } else if ((this.display[id] ?? folded) === surface) {
      this.counts[id] = this.counts[id]! + 1;
    } else {
      // Another way of writing it (a capital, a missing diacritic): becomes the display form once commoner.
      const n = (this.variants.get(surface) ?? 0) + 1;
      if (n > this.counts[id]!) {
        const old = this.display[id] ?? folded;
        this.variants.delete(surface);
        if (this.counts[id]! > 0) this.variants.set(old, this.counts[id]!);
        this.display[id] = surface === folded ? null : surface;
        this.counts[id] = n;
      } else this.variants.set(surface, n);
    }
    const best = this.byTerm.get(term);
    if (best === undefined || (best !== id && this.counts[id]! > this.counts[best]!)) this.byTerm.set(term, id);
  }

  /** Forgets one occurrence (a removed paragraph's word). */
  remove(surface: string, folded: string): void {
    const id = this.ids.get(folded);
    if (id === undefined) return;
    if ((this.display[id] ?? folded) === surface) {
      if (this.counts[id]! > 0) this.counts[id] = this.counts[id]! - 1;
      return;
    }
    const n = this.variants.get(surface);
    if (n === undefined) return;
    if (n <= 1) this.variants.delete(surface);
    else this.variants.set(surface, n - 1);
  }

  /** The written form seen most often for an index term, or undefined when the term was never seen. */
  displayOfTerm(term: string): string | undefined {
    const id = this.byTerm.get(term);
    return id === undefined ? undefined : (this.display[id] ?? this.folded[id]);
  }

  /**
   * The `limit` most frequent words whose folded form starts with `prefix` (folded), most frequent first.
   * Linear in the words sharing the prefix, with no allocation per word passed over.
   */
  withPrefix(prefix: string, limit: number): FormMatch[] {
    if (this.recent.length > MAX_RECENT) this.merge();
    const best: number[] = [];
    const offer = (id: number) => {
      const count = this.counts[id]!;
      if (count <= 0) return;
      if (best.length === limit && count <= this.counts[best[best.length - 1]!]!) return;
      let i = best.length < limit ? best.length : limit - 1;
      if (best.length < limit) best.push(id);
      while (i > 0 && this.counts[best[i - 1]!]! < count) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = id;
    };
    // The sorted forms starting with the prefix are one run: find its start by binary search.
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.folded[this.sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length && this.folded[this.sorted[i]!]!.startsWith(prefix); i++) offer(this.sorted[i]!);
    for (const id of this.recent) if (this.folded[id]!.startsWith(prefix)) offer(id);
    return best.map((id) => ({ display: this.display[id] ?? this.folded[id]!, folded: this.folded[id]!, count: this.counts[id]! }));
  }

  // ---- the snapshot's view -----------------------------------------------------------------------

  /** Every form in id order: folded, display (null: the folded form), count. */
  *forms(): Generator<[string, string | null, number]> {
    for (let id = 0; id < this.folded.length; id++) yield [this.folded[id]!, this.display[id]!, this.counts[id]!];
  }

  /** Counts of the written variants that are not their form's display. */
  otherVariants(): IterableIterator<[string, number]> {
    return this.variants.entries();
  }

  /** Index term → form id of its commonest written form. */
  termForms(): IterableIterator<[string, number]> {
    return this.byTerm.entries();
  }

  /** Restores what `forms`, `otherVariants` and `termForms` gave, in that order. */
  restoreForm(folded: string, display: string | null, count: number): void {
    const id = this.folded.length;
    this.ids.set(folded, id);
    this.folded.push(folded);
    this.display.push(display);
    if (id === this.counts.length) {
      const grown = new Int32Array(this.counts.length * 2);
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[id] = count;
    this.recent.push(id);
  }

  restoreVariant(surface: string, count: number): void {
    this.variants.set(surface, count);
  }

  restoreTermForm(term: string, id: number): void {
    if (id >= 0 && id < this.folded.length) this.byTerm.set(term, id);
  }

  /** Merges the recent forms into the sorted list (one pass: the recent ones are sorted, then merged). */
  private merge(): void {
    const byFolded = (a: number, b: number) => (this.folded[a]! < this.folded[b]! ? -1 : this.folded[a]! > this.folded[b]! ? 1 : 0);
    const recent = this.recent.sort(byFolded);
    const merged = new Int32Array(this.sorted.length + recent.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length || j < recent.length) {
      if (j >= recent.length || (i < this.sorted.length && byFolded(this.sorted[i]!, recent[j]!) <= 0)) merged[k++] = this.sorted[i++]!;
      else merged[k++] = recent[j++]!;
    }
    this.sorted = merged;
    this.recent = [];
  }
}
