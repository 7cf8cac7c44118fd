/** Dutch formatting for the pages: dates, counts and durations as a Dutch reader expects them. */

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

/** Link to a search result page. */
export function searchUrl(q: string, page = 1): string {
  return `/?q=${encodeURIComponent(q)}${page > 1 ? `&pagina=${page}` : ''}`;
}

/** Link to an article, at a paragraph, with the query's words marked. */
export function articleUrl(id: string, q = '', paragraph?: number): string {
  return `/articles/${encodeURIComponent(id)}${q ? `?q=${encodeURIComponent(q)}` : ''}${paragraph ? `#p-${paragraph}` : ''}`;
}

/** An ISO timestamp as a Dutch date and time: `24 november 2026 om 23:15`. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} om ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
