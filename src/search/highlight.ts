/**
 * Marks the words of a paragraph that a query matched, from the paragraph's own analysis (never by
 * re-scanning with patterns built from the query). Contract: every character of the text is
 * HTML-escaped, and `<mark>` surrounds each matched word and each matched phrase as a whole (its
 * stopwords included); removing the tags and unescaping gives the text back exactly.
 */
import type { Analyzer } from '../analysis/analyzer.js';

/** What to mark: index terms (on the words holding them) and phrase windows of positions `[from, to)`. */
export interface Marks {
  terms: ReadonlySet<string>;
  phrases?: ReadonlyArray<{ from: number; to: number }>;
}

/** `[start, end)` offsets (UTF-16 code units) into a paragraph's text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The words to mark, in order: each word with an index term among `terms`. For a compound, the whole
 * word when its own (joined) term matched, otherwise each part that matched. Runs on the analyzer's
 * allocation-free walk (`forEachTerms`), the same analysis the paragraph was indexed with.
 */
export function matchSpans(text: string, analyzer: Pick<Analyzer, 'forEachTerms' | 'lettersOf'>, terms: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  if (terms.size === 0) return spans;
  const letters = analyzer.lettersOf(terms);
  let markedWholeEnd = -1;
  analyzer.forEachTerms(text, (start, end, wordTerms, part) => {
    if (part && end <= markedWholeEnd) return; // inside a compound marked whole
    for (let i = 0; i < wordTerms.length; i++) {
      if (!terms.has(wordTerms[i]!)) continue;
      spans.push({ start, end });
      if (!part) markedWholeEnd = end;
      return;
    }
  }, letters);
  return spans;
}

/**
 * The spans of phrase windows: each window `[from, to)` of positions (Analyzer.forEachPosition, counted the
 * way the index counted them) becomes one span from its first position's start to its last position's end.
 */
export function phraseSpans(text: string, analyzer: Pick<Analyzer, 'forEachPosition'>, windows: ReadonlyArray<{ from: number; to: number }>): Span[] {
  if (windows.length === 0) return [];
  const starts: number[] = [];
  const ends: number[] = [];
  analyzer.forEachPosition(text, (start, end) => {
    starts.push(start);
    ends.push(end);
  });
  const spans: Span[] = [];
  for (const { from, to } of windows) {
    if (from < 0 || to > starts.length || from >= to) continue;
    spans.push({ start: starts[from]!, end: ends[to - 1]! });
  }
  return spans;
}

/** Spans in order, overlapping ones joined (a word matched on its own inside a matched phrase). */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** The text as escaped HTML with `<mark>` around each span (spans in order, not overlapping). */
export function markSpans(text: string, spans: readonly Span[]): string {
  let html = '';
  let at = 0;
  for (const { start, end } of spans) {
    html += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    at = end;
  }
  return html + escapeHtml(text.slice(at));
}

/** A paragraph's highlight: escaped HTML with marks, and the marked offsets for clients that render their own. */
export function highlight(text: string, analyzer: Pick<Analyzer, 'forEachTerms' | 'forEachPosition' | 'lettersOf'>, marks: Marks): { html: string; matches: Span[] } {
  const words = matchSpans(text, analyzer, marks.terms);
  const matches = marks.phrases && marks.phrases.length > 0 ? mergeSpans([...words, ...phraseSpans(text, analyzer, marks.phrases)]) : words;
  return { html: markSpans(text, matches), matches };
}
