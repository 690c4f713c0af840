/**
 * Text PostgreSQL cannot hold. `text` columns refuse U+0000, and `jsonb` refuses both `\u0000` and
 * unpaired UTF-16 surrogates (`"\ud800"`, which JSON's grammar allows; RFC 8259 §8.2). Without a
 * check here such a value reaches the database and fails there as a 500; with it, the client
 * learns which value to fix (found by the hostile-input tests, issue #7).
 */
import { scimErrors } from '@roster/scim-core/errors';

const NUL = '\u0000';
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What in the text cannot be stored, for an error detail; undefined when all of it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes(NUL)) return 'the character U+0000';
  if (UNPAIRED_SURROGATE.test(text)) return 'an unpaired UTF-16 surrogate (not a Unicode character)';
  return undefined;
}

/** Refuses a request body with a string value that cannot be stored, with 400 invalidValue naming where it is. */
export function assertStorableBody(body: unknown): void {
  const pending: [unknown, string][] = [[body, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, where] = next;
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) {
        throw scimErrors.invalidValue(
          `The value ${where ? `at ${where} ` : ''}contains ${problem}, which cannot be stored. Remove it and send the request again.`,
        );
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        pending.push([item, `${where}[${i}]`]);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        pending.push([item, where ? `${where}.${key}` : key]);
      }
    }
  }
}
