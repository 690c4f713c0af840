/**
 * How deeply a parsed JSON body nests. JSON.parse accepts a two-megabyte body nested a million
 * levels deep, and everything after it that walks the value recursively (validation, jsonb
 * serialization, JSON.stringify) then overflows the stack. The apps refuse such bodies first.
 */

/** No SCIM resource or portal request nests deeper than a handful of levels. */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests arrays and objects deeper than `max` levels (walked without recursion). */
export function jsonDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
