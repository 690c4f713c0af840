/**
 * Recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), with the
 * leniencies real identity providers need (see {@link parseFilter}). Errors are always ScimErrors whose
 * detail names what was expected and the 0-based character position where parsing stopped.
 */
import { scimErrors } from '../errors.js';
import {
  type AttributePath,
  COMPARE_OPERATORS,
  type CompareOperator,
  type Filter,
  type FilterValue,
  type PatchPath,
} from './ast.js';
import { describe, type Fail, type Token, tokenize } from './lexer.js';
import { isAttributeName, readAttributePath } from './path.js';

/** Longer input is refused before lexing: no legitimate filter comes close, and it bounds all work. */
export const MAX_FILTER_LENGTH = 10_000;
/** Parentheses, `not (` and `[` may nest this deep; recursion is bounded, so hostile input cannot blow the stack. */
export const MAX_NESTING_DEPTH = 50;

const COMPARE_OPERATOR_SET: ReadonlySet<string> = new Set(COMPARE_OPERATORS);
const OPERATOR_LIST = `${COMPARE_OPERATORS.join(', ')} or pr`;
/** A JSON number (RFC 7159 §6); anything else unquoted is a bare-word string. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

const lower = (s: string) => s.toLowerCase();
const isWord = (token: Token, word: string) => token.kind === 'word' && lower(token.text) === word;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fail: Fail,
  ) {}

  /** Parses a whole filter and requires the input to end after it. */
  filter(): Filter {
    const filter = this.or(false);
    const next = this.peek();
    if (next.kind === ')')
      throw this.fail(`Unexpected ")" at position ${next.pos}: there is no matching "("`);
    if (next.kind === ']')
      throw this.fail(`Unexpected "]" at position ${next.pos}: there is no matching "["`);
    if (next.kind !== 'end') {
      throw this.fail(
        `Expected "and", "or" or the end of the filter at position ${next.pos} but found ${describe(next)}`,
      );
    }
    return filter;
  }

  /** `path` or `path[filter]` or `path[filter].sub`, then the end of the input. */
  patchPath(): PatchPath {
    const first = this.next();
    if (first.kind !== 'word')
      throw this.fail(`Expected an attribute name at position ${first.pos} but found ${describe(first)}`);
    const path = this.path(first);
    let result: PatchPath = { kind: 'attribute', path };
    if (this.peek().kind === '[') {
      result = { kind: 'valuePath', path, filter: this.bracketFilter(path, first) };
      const sub = this.subAfterBracket();
      if (sub !== undefined) result.sub = sub;
    }
    const rest = this.peek();
    if (rest.kind !== 'end')
      throw this.fail(`Unexpected ${describe(rest)} at position ${rest.pos} in the path`);
    return result;
  }

  private peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    // tokenize() always ends the list with an `end` token, so `last` is only undefined for a misuse.
    const token = this.tokens[this.index + offset] ?? last;
    if (!token) throw this.fail('Internal error: empty token list');
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  /** `or` binds loosest; chains are built left-associative in a loop, not by recursion. */
  private or(inValuePath: boolean): Filter {
    let left = this.and(inValuePath);
    while (isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.and(inValuePath) };
    }
    return left;
  }

  private and(inValuePath: boolean): Filter {
    let left = this.unary(inValuePath);
    while (isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.unary(inValuePath) };
    }
    return left;
  }

  /** `not ( filter )`, `( filter )`, or an attribute expression. */
  private unary(inValuePath: boolean): Filter {
    const token = this.peek();
    if (token.kind === '(') {
      this.next();
      return this.group(token, inValuePath);
    }
    if (token.kind === 'word') {
      if (isWord(token, 'not')) {
        const after = this.peek(1);
        if (after.kind === '(') {
          this.next();
          this.next();
          return { kind: 'not', filter: this.group(after, inValuePath) };
        }
        // `not eq "x"` is a comparison on an attribute that happens to be called "not".
        if (!(after.kind === 'word' && this.isOperator(after))) {
          throw this.fail(`Expected "(" after "not" at position ${after.pos} but found ${describe(after)}`);
        }
      }
      return this.attributeExpression(inValuePath);
    }
    const previous = this.index > 0 ? this.tokens[this.index - 1] : undefined;
    const after = previous ? ` after "${previous.text}"` : '';
    throw this.fail(
      `Expected an attribute name, "(" or "not"${after} at position ${token.pos} but found ${describe(token)}`,
    );
  }

  /** The inside of `(...)` once `(` has been consumed; `open` is that `(`, for the error detail. */
  private group(open: Token, inValuePath: boolean): Filter {
    this.enter(open);
    const inner = this.or(inValuePath);
    this.expectClose(open, ')');
    this.depth--;
    return inner;
  }

  private enter(open: Token): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw this.fail(
        `Filter is nested too deeply at position ${open.pos}: at most ${MAX_NESTING_DEPTH} levels of "(", "not (" and "[" are allowed`,
      );
    }
  }

  private expectClose(open: Token, close: ')' | ']'): void {
    const token = this.next();
    if (token.kind === close) return;
    if (token.kind === 'end') {
      throw this.fail(`Missing "${close}" to close the "${open.text}" at position ${open.pos}`);
    }
    throw this.fail(
      `Expected "and", "or" or "${close}" (closing the "${open.text}" at position ${open.pos}) at position ${token.pos} but found ${describe(token)}`,
    );
  }

  /** `path op value`, `path pr`, `path[filter]`, and the Entra form `path[filter].sub op value`. */
  private attributeExpression(inValuePath: boolean): Filter {
    const pathToken = this.next();
    const path = this.path(pathToken);
    const open = this.peek();
    if (open.kind !== '[') return this.condition(path, pathToken);
    if (inValuePath) {
      throw this.fail(
        `Unexpected "[" at position ${open.pos}: a value filter cannot contain another value filter`,
      );
    }
    const filter = this.bracketFilter(path, pathToken);
    const dot = this.peek();
    const sub = this.subAfterBracket();
    if (sub === undefined) return { kind: 'valuePath', path, filter };
    // Entra ID sends `emails[type eq "work"].value eq "x"`, which RFC 7644 allows only in PATCH paths.
    // It means "some element with type work has that value", i.e. the sub-condition joins the filter.
    const condition = this.condition({ attr: sub }, dot);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: condition } };
  }

  /** `[ valFilter ]` after `path`; the inner paths are relative to one element of `path`. */
  private bracketFilter(path: AttributePath, pathToken: Token): Filter {
    const open = this.next();
    if (path.sub !== undefined) {
      throw this.fail(
        `"${pathToken.text}" at position ${pathToken.pos} cannot take a value filter: "[...]" applies to a multi-valued attribute, not to a sub-attribute`,
      );
    }
    this.enter(open);
    if (this.peek().kind === ']') throw this.fail(`Empty value filter "[]" at position ${open.pos}`);
    const filter = this.or(true);
    this.expectClose(open, ']');
    this.depth--;
    return filter;
  }

  /** The `.sub` in `emails[type eq "work"].value`, if present. */
  private subAfterBracket(): string | undefined {
    const token = this.peek();
    if (token.kind !== 'word' || !token.text.startsWith('.')) return undefined;
    this.next();
    const sub = token.text.slice(1);
    if (!isAttributeName(sub)) {
      throw this.fail(`Invalid sub-attribute "${token.text}" after "]" at position ${token.pos}`);
    }
    return sub;
  }

  /** Operator and value after an attribute path (`pathToken` names it in error details). */
  private condition(path: AttributePath, pathToken: Token): Filter {
    const opToken = this.peek();
    if (opToken.kind !== 'word') {
      throw this.fail(
        `Expected a comparison operator (${OPERATOR_LIST}) after "${pathToken.text}" at position ${opToken.pos} but found ${describe(opToken)}`,
      );
    }
    const op = lower(opToken.text);
    if (op === 'pr') {
      this.next();
      const after = this.peek();
      if (
        after.kind === 'string' ||
        (after.kind === 'word' && !isWord(after, 'and') && !isWord(after, 'or'))
      ) {
        throw this.fail(`"pr" takes no value, but ${describe(after)} follows it at position ${after.pos}`);
      }
      return { kind: 'present', path };
    }
    if (!COMPARE_OPERATOR_SET.has(op)) {
      throw this.fail(
        `Unknown operator "${opToken.text}" after "${pathToken.text}" at position ${opToken.pos}: expected ${OPERATOR_LIST}`,
      );
    }
    this.next();
    const value = this.value(`${pathToken.text} ${opToken.text}`);
    return { kind: 'compare', path, op: op as CompareOperator, value };
  }

  private isOperator(token: Token): boolean {
    const word = lower(token.text);
    return word === 'pr' || COMPARE_OPERATOR_SET.has(word);
  }

  /**
   * compValue = false / null / true / number / string (RFC 7644), case-insensitive keywords. Leniency:
   * an unquoted word that is none of those is a string (`externalId eq jyoung`, bare dateTimes).
   */
  private value(after: string): FilterValue {
    const token = this.next();
    if (token.kind === 'string') return token.value;
    if (token.kind !== 'word' || isWord(token, 'and') || isWord(token, 'or')) {
      const hint = token.kind === 'word' ? ' (quote it if it is meant as a value)' : '';
      throw this.fail(
        `Expected a value after "${after}" at position ${token.pos} but found ${describe(token)}${hint}`,
      );
    }
    const word = lower(token.text);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (!JSON_NUMBER.test(token.text)) return token.text;
    // An integer too large for a double would silently change value (an 20-digit employee number);
    // keeping its digits as a string lets string attributes still match it exactly.
    if (INTEGER.test(token.text) && !Number.isSafeInteger(Number(token.text))) return token.text;
    const number = Number(token.text);
    if (!Number.isFinite(number))
      throw this.fail(`Number ${token.text} at position ${token.pos} is out of range`);
    return number;
  }

  private path(token: Token): AttributePath {
    const result = readAttributePath(token.text);
    if (!result.ok)
      throw this.fail(`Invalid attribute path "${token.text}" at position ${token.pos}: ${result.reason}`);
    return result.path;
  }
}

function checkInput(text: unknown, what: string, fail: Fail): string {
  if (typeof text !== 'string') throw fail(`The ${what} must be a string`);
  if (text.length > MAX_FILTER_LENGTH) {
    throw fail(`The ${what} is too long: ${text.length} characters, the limit is ${MAX_FILTER_LENGTH}`);
  }
  if (text.trim() === '') throw fail(`The ${what} is empty`);
  return text;
}

/**
 * Parses a `filter=` expression. Beyond RFC 7644 it accepts: unquoted bare-word values
 * (`userName sw O`, `meta.created gt 2015-10-10T14:38:21Z`), `attr[filter].sub op value` (Entra),
 * keywords and operators in any case, no space before `(`/`"`.
 * @throws ScimError invalidFilter
 */
export function parseFilter(text: string): Filter {
  const fail: Fail = scimErrors.invalidFilter;
  const source = checkInput(text, 'filter', fail);
  return new Parser(tokenize(source, fail), fail).filter();
}

/**
 * Parses a PATCH operation's `path`: `attrPath` or `valuePath [ "." subAttr ]` (RFC 7644 §3.5.2).
 * Syntax errors inside the bracketed filter are reported as invalidPath too, as §3.5.2 prescribes
 * for a malformed path.
 * @throws ScimError invalidPath
 */
export function parsePatchPath(text: string): PatchPath {
  const fail: Fail = scimErrors.invalidPath;
  const source = checkInput(text, 'path', fail);
  return new Parser(tokenize(source, fail), fail).patchPath();
}

/**
 * Parses a plain attribute path (`attr`, `attr.sub`, optionally URN-qualified) as used by `sortBy`,
 * `attributes` and `excludedAttributes`. Surrounding whitespace is ignored.
 * @throws ScimError invalidPath
 */
export function parseAttributePath(text: string): AttributePath {
  const fail: Fail = scimErrors.invalidPath;
  const source = checkInput(text, 'attribute path', fail).trim();
  const result = readAttributePath(source);
  if (!result.ok) throw fail(`Invalid attribute path "${source}": ${result.reason}`);
  return result.path;
}
