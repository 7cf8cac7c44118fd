/** Dutch formatting for the pages: dates, counts, durations, links and messages as a Dutch reader expects them. */
import { MAX_QUERY_TERMS } from '../query/analyze.js';
import { MAX_EXPANSIONS } from '../query/engine.js';
import type { QueryError } from '../query/query-error.js';
import { MAX_NESTING } from '../query/syntax.js';

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `2025-05-19` → `19 mei 2025`, `2025-05` → `mei 2025`, `2025` → `2025`. */
export function formatDate(date: string | null): string {
  if (!date) return '';
  const [year, month, day] = date.split('-');
  const monthName = month === undefined ? undefined : MONTHS[Number(month) - 1];
  if (monthName === undefined) return year ?? '';
  return day === undefined ? `${monthName} ${year}` : `${Number(day)} ${monthName} ${year}`;
}

/** `1234` → `1.234`. */
export function formatCount(n: number): string {
  return n.toLocaleString('nl-NL');
}

/** `1.5` → `1,5 ms`. */
export function formatMs(ms: number): string {
  return `${ms.toLocaleString('nl-NL', { maximumFractionDigits: ms < 10 ? 1 : 0 })} ms`;
}

/** `1 resultaat`, `2 resultaten`. */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What the search page shows, from its (Dutch) URL parameters. */
export interface PageState {
  q: string;
  page: number;
  sort: 'relevantie' | 'nieuwste';
  view: 'artikelen' | 'alineas';
  from: string | null;
  to: string | null;
}

/** Link to a search page; defaults are left out of the URL (`/?q=NAVO`). */
export function searchUrl(state: Partial<PageState> & { q: string }): string {
  const params: string[] = [`q=${encodeURIComponent(state.q)}`];
  if (state.sort === 'nieuwste') params.push('sortering=nieuwste');
  if (state.view === 'alineas') params.push('weergave=alineas');
  if (state.from) params.push(`van=${encodeURIComponent(state.from)}`);
  if (state.to) params.push(`tot=${encodeURIComponent(state.to)}`);
  if (state.page !== undefined && state.page > 1) params.push(`pagina=${state.page}`);
  return `/?${params.join('&')}`;
}

/** The feed of a search (the API's parameter names). */
export function feedUrl(state: Pick<PageState, 'q' | 'from' | 'to'>): string {
  return `/feed?q=${encodeURIComponent(state.q)}${state.from ? `&from=${encodeURIComponent(state.from)}` : ''}${state.to ? `&to=${encodeURIComponent(state.to)}` : ''}`;
}

/** `2025-05` → `mei 2025`; `kort` gives `mei '25` for a chart's axis. */
export function formatMonth(month: string, short = false): string {
  const [year, m] = month.split('-');
  const name = MONTHS[Number(m) - 1] ?? '';
  return short ? `${name.slice(0, 3)} ’${year!.slice(2)}` : `${name} ${year}`;
}

/** Why a query cannot be searched, in Dutch, for the search page. */
export function dutchQueryError(error: QueryError): string {
  const where = `(bij teken ${error.position + 1})`;
  switch (error.reason) {
    case 'unclosed_quote':
      return `Een aanhalingsteken wordt niet gesloten ${where}. Zet de woordgroep tussen twee aanhalingstekens: "speciale gezant".`;
    case 'empty_quotes':
      return `Er staat niets tussen de aanhalingstekens ${where}.`;
    case 'double_minus':
      return `Twee mintekens ${where}: één min sluit een woord uit, zoals -NAVO.`;
    case 'nothing_before_or':
      return `Voor ${error.detail} staat niets ${where}. Gebruik ${error.detail} tussen twee delen: Poetin OF Zelensky.`;
    case 'nothing_after_or':
      return `Na ${error.detail} staat niets ${where}. Gebruik ${error.detail} tussen twee delen: Poetin OF Zelensky.`;
    case 'unclosed_parenthesis':
      return `Een haakje wordt niet gesloten ${where}.`;
    case 'empty_parentheses':
      return `Er staat niets tussen de haakjes ${where}.`;
    case 'unopened_parenthesis':
      return `Bij dit sluithaakje hoort geen openingshaakje ${where}.`;
    case 'unexpected':
      return `Hier verwachtten we een woord ${where}.`;
    case 'only_exclusions':
      return `Alleen uitgesloten woorden ${where}: zoek ook op een woord dat wél moet voorkomen, zoals Rusland -NAVO.`;
    case 'too_deeply_nested':
      return `Haakjes mogen hoogstens ${MAX_NESTING} diep genest worden ${where}.`;
    case 'too_many_terms':
      return `Uw zoekopdracht heeft te veel woorden: hoogstens ${MAX_QUERY_TERMS} ${where}.`;
    case 'too_many_expansions':
      return `‘${error.detail}*’ past op meer dan ${formatCount(MAX_EXPANSIONS)} woorden ${where}. Maak het begin langer.`;
  }
}

/** Link to an article, at a paragraph, with the query's words marked. */
export function articleUrl(id: string, q: string = '', paragraph?: number): string {
  return `/articles/${encodeURIComponent(id)}${q ? `?q=${encodeURIComponent(q)}` : ''}${paragraph ? `#p-${paragraph}` : ''}`;
}

/** An ISO timestamp as a Dutch date and time: `24 november 2026 om 23:15`. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} om ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
