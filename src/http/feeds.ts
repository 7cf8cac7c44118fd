/**
 * Machine-readable views of the search for other programs: an Atom 1.0 feed of a search's articles (newest
 * first; a feed reader follows a subject with it) and the OpenSearch 1.1 description that lets a browser add
 * the site as a search engine, with suggestions. Built with the `feed` package and plain XML escaping.
 */
import { Feed } from 'feed';
import { dateRange } from '../articles/article.js';
import type { ArticleResults } from '../search/search.js';
import { escapeHtml } from '../search/highlight.js';
import { articleUrl, searchUrl } from './format.js';

/** When an article was published, as an instant: the first day of its date, else when its file last changed. */
function publishedAt(date: string | null, fallbackMs: number | undefined): Date {
  if (date !== null) return new Date(dateRange(date).first * 86_400_000);
  return new Date(fallbackMs ?? 0);
}

/**
 * The Atom feed of a search: one entry per matching article, newest first, linking to the article at its
 * best paragraph, with that paragraph marked as the entry's content.
 * @param site  the site's address (`http://localhost:3000`)
 * @param self  the feed's own path and query
 */
export function atomFeed(result: ArticleResults, site: string, self: string, modifiedMs?: (articleId: string) => number | undefined): string {
  const entries = result.articles.map((a) => {
    const best = a.paragraphs[0]!;
    return {
      // Titles and summaries are text: escaped, so a reader that takes them as HTML shows them as written.
      title: escapeHtml(a.title),
      id: `${site}${articleUrl(a.articleId)}`,
      link: `${site}${articleUrl(a.articleId, result.query, best.paragraph)}`,
      date: publishedAt(a.date, modifiedMs?.(a.articleId)),
      description: escapeHtml(best.text),
      content: a.paragraphs.map((p) => `<p>${p.highlight}</p>`).join(''),
    };
  });
  const updated = entries.reduce((latest, e) => (e.date > latest ? e.date : latest), new Date(0));
  const feed = new Feed({
    title: `nieuwszoeker: ${result.query}`,
    description: `Artikelen over ‘${result.query}’, nieuwste eerst`,
    id: `${site}${self}`,
    link: `${site}${searchUrl({ q: result.query, from: result.from, to: result.to, sort: 'nieuwste' })}`,
    language: 'nl',
    updated,
    copyright: '',
    generator: 'nieuwszoeker',
    // RFC 4287 4.1.1: a feed must name an author unless every entry does; ours have none of their own.
    author: { name: 'nieuwszoeker' },
    feedLinks: { atom: `${site}${self}` },
  });
  for (const entry of entries) feed.addItem(entry);
  return feed.atom1();
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (text: string) => text.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]!);

/** The OpenSearch 1.1 description: the search page and the suggestions URL (`application/x-suggestions+json`). */
export function openSearchDescription(site: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>nieuwszoeker</ShortName>
  <Description>Zoeken in Nederlands nieuws</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>nl</Language>
  <Url type="text/html" method="get" template="${xml(site)}/?q={searchTerms}"/>
  <Url type="application/x-suggestions+json" method="get" template="${xml(site)}/api/suggest?format=opensearch&amp;q={searchTerms}"/>
  <Url type="application/atom+xml" method="get" template="${xml(site)}/feed?q={searchTerms}"/>
</OpenSearchDescription>
`;
}
