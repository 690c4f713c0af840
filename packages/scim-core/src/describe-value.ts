/**
 * Renders a value a client sent, shortened, for the detail of an error about it.
 *
 * JSON.parse reads nesting far deeper than JSON.stringify can print back: a 10 kB body of
 * `[[[…]]]` overflows the stack (RangeError), which would turn the 400 being reported into a 500.
 * Such a value is described by its type instead.
 */
export function describeValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return Array.isArray(value)
      ? 'an array nested too deeply to show'
      : 'an object nested too deeply to show';
  }
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
