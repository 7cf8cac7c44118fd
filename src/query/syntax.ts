/**
 * The query language, read from the raw string before any analysis: words, `"phrases"`, `-exclusion`,
 * `OF`/`OR` between parts, parentheses and `word*` prefixes. One linear pass to tokens, one recursive
 * descent with a nesting cap; the grammar is in DESIGN.md ("The query language"). What it cannot read is a
 * QueryError with the offset of the character at fault — never a guess.
 */
import { QueryError } from './query-error.js';

/** A word as typed, with `*` removed (then `prefix`). Offsets are UTF-16 code units into the query. */
export interface SyntaxWord {
  kind: 'word';
  text: string;
  start: number;
  end: number;
  prefix: boolean;
}

export type SyntaxNode =
  | SyntaxWord
  | { kind: 'phrase'; words: SyntaxWord[]; start: number; end: number }
  | { kind: 'not'; child: SyntaxNode; start: number; end: number }
  | { kind: 'and'; children: SyntaxNode[]; start: number; end: number }
  | { kind: 'or'; children: SyntaxNode[]; start: number; end: number };

export interface ParsedSyntax {
  /** Null for a query of only white space. */
  root: SyntaxNode | null;
  /** Whether any operator was used (quotes, `-`, `OF`/`OR`, parentheses): then no implicit fallback applies. */
  operators: boolean;
}

/** Deepest nesting of parentheses. */
export const MAX_NESTING = 8;


type Token =
  | SyntaxWord
  | { kind: 'phrase'; words: SyntaxWord[]; start: number; end: number }
  | { kind: 'minus' | 'open' | 'close' | 'or'; start: number; end: number }
  | { kind: 'end'; start: number; end: number };

/** Quotation marks that open and close a phrase: straight, and the Dutch „…” and English “…” forms. */
const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
const SPACE = /\s/u;

function isSpace(ch: string): boolean {
  return SPACE.test(ch);
}

/** Splits the query into tokens, in one pass. */
function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (isSpace(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'open' : 'close', start: i, end: i + 1 });
      i++;
    } else if (QUOTES.has(ch)) {
      let close = i + 1;
      while (close < n && !QUOTES.has(text[close]!)) close++;
      if (close >= n) throw new QueryError('unclosed_quote', 'this quotation mark is never closed', i);
      const words = splitWords(text, i + 1, close);
      if (words.length === 0) throw new QueryError('empty_quotes', 'there is nothing between these quotation marks', i);
      tokens.push({ kind: 'phrase', words, start: i, end: close + 1 });
      i = close + 1;
    } else if (ch === '-' && startsOperand(text[i + 1])) {
      if (text[i + 1] === '-') throw new QueryError('double_minus', 'two minus signs: use one to exclude a word', i);
      tokens.push({ kind: 'minus', start: i, end: i + 1 });
      i++;
    } else {
      let end = i;
      while (end < n && !isSpace(text[end]!) && text[end] !== '(' && text[end] !== ')' && !QUOTES.has(text[end]!)) end++;
      const word = wordAt(text, i, end);
      if (!word.prefix && (word.text === 'OF' || word.text === 'OR')) tokens.push({ kind: 'or', start: i, end });
      else tokens.push(word);
      i = end;
    }
  }
  tokens.push({ kind: 'end', start: n, end: n });
  return tokens;
}

/** Whether the character after a `-` starts something to exclude (else the `-` is just a dash). */
function startsOperand(next: string | undefined): boolean {
  return next !== undefined && !isSpace(next) && next !== ')';
}

/** The words between `from` and `to`, split at white space (inside a phrase). */
function splitWords(text: string, from: number, to: number): SyntaxWord[] {
  const words: SyntaxWord[] = [];
  let i = from;
  while (i < to) {
    if (isSpace(text[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end < to && !isSpace(text[end]!)) end++;
    const word = wordAt(text, i, end);
    if (word.text.length > 0) words.push(word);
    i = end;
  }
  return words;
}

/** A word token: trailing `*`s mark a prefix (a lone `*` is an empty word, which the analysis drops). */
function wordAt(text: string, start: number, end: number): SyntaxWord {
  let stem = end;
  while (stem > start && text[stem - 1] === '*') stem--;
  return { kind: 'word', text: text.slice(start, stem), start, end, prefix: stem < end && stem > start };
}

/**
 * Reads a query. Grammar (DESIGN.md): `query := or; or := and ("OF"|"OR" and)*; and := unary+;
 * unary := "-"? primary; primary := word | phrase | "(" or ")"`.
 * @throws QueryError with the offset of the character at fault
 */
export function parseSyntax(text: string): ParsedSyntax {
  const tokens = lex(text);
  let at = 0;
  let operators = tokens.some((t) => t.kind !== 'word' && t.kind !== 'end');
  const peek = () => tokens[at]!;

  function or(depth: number): SyntaxNode | null {
    const first = and(depth);
    if (peek().kind !== 'or') return first;
    const parts: SyntaxNode[] = [];
    if (first === null) throw new QueryError('nothing_before_or', `${text.slice(peek().start, peek().end)} needs a part before it`, peek().start, text.slice(peek().start, peek().end));
    parts.push(first);
    while (peek().kind === 'or') {
      const op = tokens[at++]!;
      const part = and(depth);
      if (part === null) throw new QueryError('nothing_after_or', `${text.slice(op.start, op.end)} needs a part after it`, op.start, text.slice(op.start, op.end));
      parts.push(part);
    }
    return { kind: 'or', children: parts, start: parts[0]!.start, end: parts.at(-1)!.end };
  }

  function and(depth: number): SyntaxNode | null {
    const items: SyntaxNode[] = [];
    for (;;) {
      const t = peek();
      if (t.kind === 'end' || t.kind === 'close' || t.kind === 'or') break;
      items.push(unary(depth));
    }
    if (items.length === 0) return null;
    if (items.length === 1) return items[0]!;
    return { kind: 'and', children: items, start: items[0]!.start, end: items.at(-1)!.end };
  }

  function unary(depth: number): SyntaxNode {
    const t = peek();
    if (t.kind !== 'minus') return primary(depth);
    at++;
    const child = primary(depth);
    return { kind: 'not', child, start: t.start, end: child.end };
  }

  function primary(depth: number): SyntaxNode {
    const t = tokens[at++]!;
    switch (t.kind) {
      case 'word':
      case 'phrase':
        return t;
      case 'open': {
        if (depth + 1 > MAX_NESTING) {
          throw new QueryError('too_deeply_nested', `parentheses may be nested at most ${MAX_NESTING} deep`, t.start);
        }
        const inner = or(depth + 1);
        const close = tokens[at]!;
        if (close.kind !== 'close') throw new QueryError('unclosed_parenthesis', 'this parenthesis is never closed', t.start);
        if (inner === null) throw new QueryError('empty_parentheses', 'there is nothing between these parentheses', t.start);
        at++;
        return inner;
      }
      default:
        // `minus` cannot follow a minus (the lexer refuses `--`); `or`, `close` and `end` are the caller's.
        throw new QueryError('unexpected', `unexpected ${text.slice(t.start, t.end) || 'end'}`, Math.min(t.start, text.length - 1), text.slice(t.start, t.end));
    }
  }

  const root = or(0);
  const rest = peek();
  // `or` stops only at the end or at a `)` (an `OF` after nothing or at the end is refused inside it).
  if (rest.kind === 'close') throw new QueryError('unopened_parenthesis', 'this parenthesis closes nothing', rest.start);
  if (root === null) operators = false;
  return { root, operators };
}
