/**
 * Marks the words of a paragraph that a query matched, from the paragraph's own analysis (never by
 * re-scanning with patterns built from the query). Contract: every character of the text is
 * HTML-escaped, and `<mark>` surrounds each matched word; removing the tags and unescaping gives the
 * text back exactly.
 */
import type { Analyzer } from '../analysis/analyzer.js';

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
export function matchSpans(text: string, analyzer: Pick<Analyzer, 'forEachTerms'>, terms: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  if (terms.size === 0) return spans;
  const initials = new Set<number>();
  for (const t of terms) initials.add(t.charCodeAt(0));
  let markedWholeEnd = -1;
  analyzer.forEachTerms(text, (start, end, wordTerms, part) => {
    if (part && end <= markedWholeEnd) return; // inside a compound marked whole
    for (let i = 0; i < wordTerms.length; i++) {
      if (!terms.has(wordTerms[i]!)) continue;
      spans.push({ start, end });
      if (!part) markedWholeEnd = end;
      return;
    }
  }, initials);
  return spans;
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
export function highlight(text: string, analyzer: Pick<Analyzer, 'forEachTerms'>, terms: ReadonlySet<string>): { html: string; matches: Span[] } {
  const matches = matchSpans(text, analyzer, terms);
  return { html: markSpans(text, matches), matches };
}
