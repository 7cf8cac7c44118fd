/** Validation of request parameters with zod; failures become 400 HttpErrors naming the fields at fault. */
import { z } from 'zod';
import { dateRange, isValidDate } from '../articles/article.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_LENGTH, type SearchOptions } from '../search/search.js';
import { MAX_SUGGESTIONS } from '../search/suggest.js';
import { HttpError } from './errors.js';

/** A whole number in a range; an absent or empty parameter takes the default. */
export function wholeNumber(field: string, min: number, max: number, fallback: number) {
  const message = `${field} must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string({ message })
      .regex(/^\d{1,9}$/, { message })
      .transform(Number)
      .pipe(z.number().min(min, { message }).max(max, { message }))
      .default(fallback),
  );
}

const query = z
  .unknown()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) ctx.addIssue({ code: 'custom', message: 'q is required' });
    else if (typeof value !== 'string') ctx.addIssue({ code: 'custom', message: 'q must be given once, as text' });
    else if (value.trim() === '') ctx.addIssue({ code: 'custom', message: 'q must not be empty' });
    else if (value.length > MAX_QUERY_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `q must be at most ${MAX_QUERY_LENGTH} characters (got ${value.length})` });
    }
  })
  // Kept as sent, not trimmed: a bad query's `position` counts from q as the client typed it.
  .transform((value) => value as string);

/** One of a few words; absent or empty takes the default. */
function oneOf<const T extends readonly [string, ...string[]]>(field: string, values: T, fallback: T[number]) {
  const message = `${field} must be one of ${values.join(', ')}`;
  return z.preprocess((value) => (value === '' ? undefined : value), z.enum(values, { message }).default(fallback as never));
}

/** A date as articles carry them, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, naming a real day; absent or empty: none. */
function dateParam(field: string) {
  const message = `${field} must be a date as YYYY, YYYY-MM or YYYY-MM-DD`;
  return z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string({ message }).refine(isValidDate, { message }).nullish().transform((v) => v ?? null),
  );
}

/** A change sequence number from a write's receipt; absent or empty: none. */
const changeSeq = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string({ message: 'after must be a change sequence number (a write\'s seq)' })
    .regex(/^\d{1,15}$/, { message: 'after must be a change sequence number (a write\'s seq)' })
    .transform(Number)
    .nullish()
    .transform((v) => v ?? null),
);

/** The fields a hit has in the JSON API, in their order there; `fields=` picks among them. */
export const HIT_FIELDS = ['id', 'articleId', 'paragraph', 'title', 'date', 'score', 'text', 'highlight', 'matches', 'explanation'] as const;
export type HitField = (typeof HIT_FIELDS)[number];

/** A comma-separated subset of HIT_FIELDS; absent or empty: every field. */
const hitFields = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string({ message: `fields must be a comma-separated list of ${HIT_FIELDS.join(', ')}` })
    .transform((value, ctx) => {
      const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
      const unknown = names.filter((name) => !(HIT_FIELDS as readonly string[]).includes(name));
      if (unknown.length > 0 || names.length === 0) {
        ctx.addIssue({ code: 'custom', message: `fields: ${unknown.length > 0 ? `unknown ${unknown.map((n) => `"${n}"`).join(', ')}` : 'none given'}; choose from ${HIT_FIELDS.join(', ')}` });
        return z.NEVER;
      }
      return new Set(names as HitField[]);
    })
    .nullish()
    .transform((v) => v ?? null),
);

export const searchParams = z
  .object({
    q: query,
    limit: wholeNumber('limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset: wholeNumber('offset', 0, MAX_OFFSET, 0),
    group: oneOf('group', ['paragraph', 'article'], 'paragraph'),
    sort: oneOf('sort', ['relevance', 'date'], 'relevance'),
    from: dateParam('from'),
    to: dateParam('to'),
    facets: z.preprocess((value) => (value === '' ? undefined : value), z.literal('month', { message: 'facets must be month' }).optional()),
    suggest: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['0', '1'], { message: 'suggest must be 0 or 1' }).optional()),
    explain: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['0', '1'], { message: 'explain must be 0 or 1' }).optional()),
    exactTotal: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['0', '1'], { message: 'exactTotal must be 0 or 1' }).optional()),
    after: changeSeq,
    fields: hitFields,
  })
  .superRefine((p, ctx) => {
    if (p.from !== null && p.to !== null && dateRange(p.from).first > dateRange(p.to).last) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
    }
  });

export type SearchParams = z.infer<typeof searchParams>;

export const suggestParams = z.object({
  q: z
    .string({ message: 'q is required, given once' })
    .max(MAX_QUERY_LENGTH, { message: `q must be at most ${MAX_QUERY_LENGTH} characters` }),
  limit: wholeNumber('limit', 1, MAX_SUGGESTIONS, MAX_SUGGESTIONS),
  format: oneOf('format', ['json', 'opensearch'], 'json'),
});

/**
 * Parses `input` with `schema`, or throws a 400 whose code names the first field at fault
 * (`invalid_q`, `invalid_limit`, …) and whose `fields` lists every problem.
 */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message }));
  const first = fields[0]!;
  throw new HttpError(400, `invalid_${first.field.replace(/\W+/g, '_')}`, first.message, fields);
}

/** The searcher's options from validated parameters. */
export function searchOptions(p: SearchParams): SearchOptions {
  return { limit: p.limit, offset: p.offset, group: p.group, sort: p.sort, from: p.from, to: p.to, facets: p.facets === 'month', suggest: p.suggest === '1', explain: p.explain === '1', exactTotal: p.exactTotal === '1' };
}
