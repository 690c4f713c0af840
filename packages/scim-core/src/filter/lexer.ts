/**
 * Splits filter and PATCH-path text into tokens. The token set is deliberately coarse: brackets,
 * parentheses, JSON strings, and "words" (any other run of non-space characters). Deciding whether a
 * word is an attribute path, an operator, a keyword or an unquoted value is the parser's job, because
 * only it knows where it is in the grammar; that is what lets it accept `externalId eq jyoung`.
 */
import type { ScimError } from '../errors.js';

/** Builds the error to throw: `invalidFilter` for filters, `invalidPath` for PATCH paths. */
export type Fail = (detail: string) => ScimError;

export type Token =
  | { kind: '(' | ')' | '[' | ']' | 'end'; pos: number; text: string }
  /** A run of characters that are not whitespace, `(`, `)`, `[`, `]` or `"`. */
  | { kind: 'word'; pos: number; text: string }
  /** A JSON string; `value` is the decoded text, `text` the source including the quotes. */
  | { kind: 'string'; pos: number; text: string; value: string };

const PUNCTUATION = new Set(['(', ')', '[', ']']);
const WHITESPACE = /\s/;

function isWordChar(ch: string): boolean {
  return !WHITESPACE.test(ch) && !PUNCTUATION.has(ch) && ch !== '"';
}

/** The token list always ends with exactly one `end` token, so the parser can peek without bounds checks. */
export function tokenize(text: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (WHITESPACE.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ kind: ch, pos: i, text: ch });
      i++;
    } else if (ch === '"') {
      const end = closingQuote(text, i, fail);
      const source = text.slice(i, end + 1);
      tokens.push({ kind: 'string', pos: i, text: source, value: decodeString(source, i, fail) });
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && isWordChar(text.charAt(i))) i++;
      tokens.push({ kind: 'word', pos: start, text: text.slice(start, i) });
    }
  }
  tokens.push({ kind: 'end', pos: text.length, text: '' });
  return tokens;
}

/** Index of the `"` that closes the string opened at `start`, skipping backslash escapes. */
function closingQuote(text: string, start: number, fail: Fail): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === '\\') i += 2;
    else if (ch === '"') return i;
    else i++;
  }
  throw fail(`Unterminated string starting at position ${start}: expected a closing '"'`);
}

/** RFC 7644 values are JSON strings (RFC 7159), so JSON.parse decodes them exactly, escapes included. */
function decodeString(source: string, pos: number, fail: Fail): string {
  try {
    return JSON.parse(source) as string;
  } catch {
    throw fail(`Invalid string at position ${pos}: bad escape sequence or unescaped control character`);
  }
}

/** A short, quoted rendering of a token for error details. */
export function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the input';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return token.kind === 'string' ? `the string ${text}` : `"${text}"`;
}
