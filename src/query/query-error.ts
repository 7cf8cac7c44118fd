/** Why a query cannot be searched, and where: a character offset (UTF-16 code unit) inside the query as typed. */

/**
 * `bad_query`: the query cannot be read (an unclosed quote, `OF` with nothing after it, only exclusions).
 * The others name the cap that keeps one request cheap (DESIGN.md, "Caps").
 */
export type QueryErrorCode = 'bad_query' | 'too_deeply_nested' | 'too_many_terms' | 'too_many_expansions';

/** What exactly is wrong, for a message in the reader's language (the pages say it in Dutch). */
export type QueryErrorReason =
  | 'unclosed_quote'
  | 'empty_quotes'
  | 'double_minus'
  | 'nothing_before_or'
  | 'nothing_after_or'
  | 'unclosed_parenthesis'
  | 'empty_parentheses'
  | 'unopened_parenthesis'
  | 'unexpected'
  | 'only_exclusions'
  | 'too_deeply_nested'
  | 'too_many_terms'
  | 'too_many_expansions';

const CODES: Record<QueryErrorReason, QueryErrorCode> = {
  unclosed_quote: 'bad_query',
  empty_quotes: 'bad_query',
  double_minus: 'bad_query',
  nothing_before_or: 'bad_query',
  nothing_after_or: 'bad_query',
  unclosed_parenthesis: 'bad_query',
  empty_parentheses: 'bad_query',
  unopened_parenthesis: 'bad_query',
  unexpected: 'bad_query',
  only_exclusions: 'bad_query',
  too_deeply_nested: 'too_deeply_nested',
  too_many_terms: 'too_many_terms',
  too_many_expansions: 'too_many_expansions',
};

export class QueryError extends Error {
  readonly code: QueryErrorCode;

  /**
   * @param reason  what is wrong
   * @param message  the same in English, for the API and logs
   * @param position  offset of the character at fault
   * @param detail  the text the message speaks of (`OF`, a prefix), for messages in other languages
   */
  constructor(
    readonly reason: QueryErrorReason,
    message: string,
    readonly position: number,
    readonly detail: string = '',
  ) {
    super(message);
    this.name = 'QueryError';
    this.code = CODES[reason];
  }
}
