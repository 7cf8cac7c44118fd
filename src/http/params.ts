/** Validation of request parameters with zod; failures become 400 HttpErrors naming the fields at fault. */
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from '../search/query.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET } from '../search/search.js';
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
  .transform((value) => (value as string).trim());

export const searchParams = z.object({
  q: query,
  limit: wholeNumber('limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
  offset: wholeNumber('offset', 0, MAX_OFFSET, 0),
});

export type SearchParams = z.infer<typeof searchParams>;

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
