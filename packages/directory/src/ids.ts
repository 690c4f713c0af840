/** Row ids are UUIDs (v4, made by `randomUUID`). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value can be a row id: anything else names no row, and must not reach a uuid column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
